package sftest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBodyBytes bounds a create/update body.
const maxBodyBytes = 10 << 20

// readRecordBody decodes a JSON object body, answering JSON_PARSER_ERROR the way Salesforce
// does for anything else.
func readRecordBody(r *http.Request) (map[string]any, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return nil, newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", "Unable to read the request body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonParserError(body, err)
	}
	if dec.More() {
		off := dec.InputOffset()
		return nil, newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", fmt.Sprintf(
			"Unexpected character ('%c' (code %d)): expected EOF %s", body[off], body[off], position(body, off)))
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR",
			"Cannot deserialize instance of SObject out of non-object token at [line:1, column:1]")
	}
	return obj, nil
}

// jsonParserError words a decoding error like Salesforce's JSON parser.
func jsonParserError(body []byte, err error) *apiError {
	var syn *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(body)) == 0 || errors.Is(err, io.EOF):
		return newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR",
			"No content to map due to end-of-input at [line:1, column:0]")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR",
			"Unexpected end-of-input: expected close marker for OBJECT "+position(body, int64(len(body))))
	case errors.As(err, &syn):
		off := max(syn.Offset-1, 0)
		if off >= int64(len(body)) {
			off = int64(len(body)) - 1
		}
		c := body[off]
		expect := "expected a value"
		switch {
		case strings.Contains(syn.Error(), "object key"):
			expect = "was expecting double-quote to start field name"
		case strings.Contains(syn.Error(), "after object key:value pair"):
			expect = "was expecting comma to separate OBJECT entries"
		case strings.Contains(syn.Error(), "after object key"):
			expect = "was expecting a colon to separate field name and value"
		}
		return newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", fmt.Sprintf(
			"Unexpected character ('%c' (code %d)): %s %s", c, c, expect, position(body, off+1)))
	}
	return newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", "Unable to parse the request body "+position(body, 0))
}

// position renders a byte offset as Salesforce's "[line:l, column:c]".
func position(body []byte, off int64) string {
	line, col := 1, 0
	for i := int64(0); i < off && i < int64(len(body)); i++ {
		col++
		if body[i] == '\n' {
			line, col = line+1, 0
		}
	}
	return fmt.Sprintf("at [line:%d, column:%d]", line, col)
}

// checkWritable validates a create/update body against o and converts the values.
func checkWritable(o *sobject, body map[string]any, create bool) (Record, *apiError) {
	out := Record{}
	var readOnly []string
	for k, v := range body {
		if strings.EqualFold(k, "attributes") {
			continue
		}
		f := o.field(k)
		if f == nil {
			return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD",
				"No such column '"+k+"' on sobject of type "+o.Name)
		}
		if f.Name == "Id" {
			if create {
				return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD",
					"The Id field should not be specified in the sobject data.")
			}
			continue
		}
		if (create && !f.Createable) || (!create && !f.Updateable) {
			readOnly = append(readOnly, f.Name)
			continue
		}
		cv, err := canonical(f, v)
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", fmt.Sprintf(
				"Cannot deserialize instance of %s from %s value %v or request may be missing a required field",
				f.Type, jsonKind(v), v))
		}
		out[f.Name] = cv
	}
	if len(readOnly) > 0 {
		return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
			"Unable to create/update fields: "+strings.Join(readOnly, ", ")+". Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
			readOnly...)
	}
	return out, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "VALUE_STRING"
	case bool:
		return "VALUE_" + strings.ToUpper(fmt.Sprint(v))
	case json.Number:
		return "VALUE_NUMBER_INT"
	case map[string]any:
		return "START_OBJECT"
	case []any:
		return "START_ARRAY"
	}
	return "VALUE_NULL"
}

// createResult is the 201 body of a create.
type createResult struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Errors  []any  `json:"errors"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, o *sobject) *apiError {
	if !o.Createable {
		return errMethod(r.Method, "GET,HEAD")
	}
	body, apiErr := readRecordBody(r)
	if apiErr != nil {
		return apiErr
	}
	rec, apiErr := checkWritable(o, body, true)
	if apiErr != nil {
		return apiErr
	}
	var missing []string
	for _, name := range o.Required {
		if v, ok := rec[name]; !ok || v == nil || v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return newAPIError(http.StatusBadRequest, "REQUIRED_FIELD_MISSING",
			"Required fields are missing: ["+strings.Join(missing, ", ")+"]", missing...)
	}
	s.mu.Lock()
	rw, err := s.insert(o, rec, false)
	s.mu.Unlock()
	if err != nil {
		return newAPIError(http.StatusBadRequest, "INVALID_FIELD", "Unable to create the record")
	}
	writeJSON(w, http.StatusCreated, createResult{ID: rw.id(), Success: true, Errors: []any{}})
	return nil
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, o *sobject, id string) *apiError {
	body, apiErr := readRecordBody(r)
	if apiErr != nil {
		return apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rw, apiErr := findRow(o, id)
	if apiErr != nil {
		return apiErr
	}
	if rw.deleted {
		return errDeleted()
	}
	if !o.Updateable {
		return errMethod(r.Method, "GET,HEAD")
	}
	rec, apiErr := checkWritable(o, body, false)
	if apiErr != nil {
		return apiErr
	}
	for k, v := range rec {
		rw.data[k] = v
	}
	s.touch(o, rw)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// touch updates the modification stamps of a row. Caller holds mu.
func (s *Server) touch(o *sobject, rw *row) {
	now := s.now().UTC()
	for _, f := range []string{"LastModifiedDate", "SystemModstamp"} {
		if o.field(f) != nil {
			rw.data[f] = now
		}
	}
}

func (s *Server) remove(w http.ResponseWriter, o *sobject, id string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	rw, apiErr := findRow(o, id)
	if apiErr != nil {
		return apiErr
	}
	if rw.deleted {
		return errDeleted()
	}
	if !o.Deletable {
		return errMethod(http.MethodDelete, "GET,HEAD")
	}
	rw.deleted = true
	rw.data["IsDeleted"] = true
	s.touch(o, rw)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// blob serves GET …/sobjects/{Obj}/{Id}/{Field}; only EventLogFile.LogFile has content.
func (s *Server) blob(w http.ResponseWriter, r *http.Request, o *sobject, id, field string) *apiError {
	s.mu.Lock()
	rw, apiErr := findRow(o, id)
	if apiErr == nil && rw.deleted {
		apiErr = errDeleted()
	}
	var (
		f   *EventLogFile
		gen logGen
	)
	if apiErr == nil {
		if rw.elf == nil || !strings.EqualFold(field, "LogFile") {
			apiErr = errNotFound()
		} else {
			f = rw.elf
			gen = s.logGen(*f)
		}
	}
	s.mu.Unlock()
	if apiErr != nil {
		return apiErr
	}
	w.Header().Set("Content-Type", "application/octetstream")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if f.Body != nil {
		if err := f.Body(w); err != nil {
			// Abort the connection so the client sees a broken download, not a short file.
			panic(http.ErrAbortHandler)
		}
		return nil
	}
	n, pad, _ := gen.plan(f.Rows, f.Size)
	_ = gen.write(r.Context(), w, n, pad)
	return nil
}
