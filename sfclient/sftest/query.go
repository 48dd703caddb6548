package sftest

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest/internal/soql"
)

// Query batch sizes (Sforce-Query-Options: batchSize=N).
const (
	defaultBatchSize = 2000
	minBatchSize     = 200
	maxBatchSize     = 2000
	// cursorLifetime is how long a query locator stays valid.
	cursorLifetime = 48 * time.Hour
)

// cursor is the rest of a query result that nextRecordsUrl pages through.
type cursor struct {
	object  *sobject
	fields  []string
	rows    []*row
	batch   int
	created time.Time
	plan    *relPlan // relationship fields to render, or nil
}

// queryPage is a query response.
func queryPage(total int, done bool, next string, records []orderedObject) orderedObject {
	out := orderedObject{{"totalSize", total}, {"done", done}}
	if next != "" {
		out = append(out, kv{"nextRecordsUrl", next})
	}
	if records == nil {
		records = []orderedObject{}
	}
	return append(out, kv{"records", records})
}

// handleQuery serves query and queryAll, with ?q= or a locator.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, c *restCall) *apiError {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethod(r.Method, "GET,HEAD")
	}
	batch := batchSize(r.Header.Get("Sforce-Query-Options"))
	switch len(c.parts) {
	case 1:
	case 2:
		return s.nextPage(w, c, c.parts[1], batch)
	default:
		return errNotFound()
	}
	text := r.URL.Query().Get("q")
	if strings.TrimSpace(text) == "" {
		return newAPIError(http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified")
	}
	q, err := soql.Parse(text)
	if err != nil {
		return soqlError(err)
	}
	body, apiErr := s.runQuery(r, c, q, planRelationships(q, text), batch)
	if apiErr != nil {
		return apiErr
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// runQuery runs q over the org's rows and builds the response body; the body holds copies,
// so it is written after the lock is released.
func (s *Server) runQuery(r *http.Request, c *restCall, q *soql.Query, plan *relPlan, batch int) (orderedObject, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.visibleObject(c.sess, q.Object())
	if o == nil {
		return nil, soqlError(q.UnknownObject())
	}
	all := c.parts[0] == "queryAll"
	rows := make([]soql.Row, 0, len(o.rows))
	for _, rw := range o.rows {
		if all || !rw.deleted {
			rows = append(rows, soql.Row(rw.data))
		}
	}
	run := q
	if plan != nil {
		if apiErr := s.checkRelationships(o, plan); apiErr != nil {
			return nil, apiErr
		}
		run = plan.query
	}
	res, err := run.Run(schemaOf(o), rows, soql.RunOptions{Now: s.now()})
	if err != nil {
		return nil, soqlError(err)
	}
	if r.URL.Query().Get("columns") == "true" {
		if plan != nil {
			return s.relColumnMetadata(o, plan, res), nil
		}
		return columnMetadata(o, q, res), nil
	}
	switch {
	case q.IsCount():
		return queryPage(res.TotalSize, true, "", nil), nil
	case res.Aggregate:
		recs := make([]orderedObject, 0, len(res.Rows))
		for _, ar := range res.Rows {
			rec := orderedObject{{"attributes", orderedObject{{"type", "AggregateResult"}}}}
			for _, f := range res.Fields {
				rec = append(rec, kv{f, ar[f]})
			}
			recs = append(recs, rec)
		}
		return queryPage(res.TotalSize, true, "", recs), nil
	}
	matched := make([]*row, 0, len(res.Rows))
	for _, sr := range res.Rows {
		id, _ := sr["Id"].(string)
		matched = append(matched, o.byID[id])
	}
	cur := &cursor{object: o, fields: res.Fields, rows: matched, batch: batch, created: s.now(), plan: plan}
	return s.page(c, cur, 0, batch), nil
}

// page builds the page of cur starting at offset; it registers a locator when more rows
// follow. Caller holds mu.
func (s *Server) page(c *restCall, cur *cursor, offset, batch int) orderedObject {
	end := min(offset+batch, len(cur.rows))
	recs := make([]orderedObject, 0, end-offset)
	for _, rw := range cur.rows[offset:end] {
		if cur.plan != nil {
			recs = append(recs, s.renderWithRelationships(cur.object, cur.plan, cur.fields, rw, c.version))
			continue
		}
		recs = append(recs, s.recordJSON(cur.object, rw, cur.fields, c.version))
	}
	next := ""
	if end < len(cur.rows) {
		loc := s.locatorFor(cur)
		next = "/services/data/v" + c.version + "/query/" + loc + "-" + strconv.Itoa(end)
	}
	return queryPage(len(cur.rows), next == "", next, recs)
}

// locatorFor returns the locator of cur, registering it on first use. Caller holds mu.
func (s *Server) locatorFor(cur *cursor) string {
	for id, c := range s.cursors {
		if c == cur {
			return id
		}
	}
	now := s.now()
	for id, c := range s.cursors {
		if now.Sub(c.created) > cursorLifetime {
			delete(s.cursors, id)
		}
	}
	id := s.ids.newID(prefixQueryLocator)
	s.cursors[id] = cur
	return id
}

// nextPage serves GET …/query/<locator>-<offset>.
func (s *Server) nextPage(w http.ResponseWriter, c *restCall, locator string, batch int) *apiError {
	id, offText, ok := strings.Cut(locator, "-")
	off, err := strconv.Atoi(offText)
	s.mu.Lock()
	cur := s.cursors[id]
	if !ok || err != nil || cur == nil || off < 0 || off >= len(cur.rows) || s.now().Sub(cur.created) > cursorLifetime {
		s.mu.Unlock()
		return newAPIError(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
	}
	if batch == defaultBatchSize {
		batch = cur.batch
	}
	body := s.page(c, cur, off, batch)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
	return nil
}

// batchSize reads batchSize=N from Sforce-Query-Options, clamped to 200–2,000.
func batchSize(header string) int {
	for _, opt := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ';' }) {
		k, v, _ := strings.Cut(strings.TrimSpace(opt), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "batchSize") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return defaultBatchSize
		}
		return min(max(n, minBatchSize), maxBatchSize)
	}
	return defaultBatchSize
}

// soqlError turns a soql error into the REST error Salesforce sends (400).
func soqlError(err error) *apiError {
	var se *soql.Error
	if errors.As(err, &se) {
		return newAPIError(http.StatusBadRequest, se.Code, se.Message)
	}
	return newAPIError(http.StatusBadRequest, "MALFORMED_QUERY", err.Error())
}

// soqlType maps a describe type to the SOQL engine's type.
func soqlType(typ string) soql.FieldType {
	switch typ {
	case typeID:
		return soql.ID
	case typeBoolean:
		return soql.Boolean
	case typeInt:
		return soql.Int
	case typeDouble:
		return soql.Double
	case typeCurrency:
		return soql.Currency
	case typeDate:
		return soql.Date
	case typeDateTime:
		return soql.DateTime
	case typeReference:
		return soql.Reference
	case typePicklist:
		return soql.Picklist
	case typeTextArea:
		return soql.TextArea
	case typeURL:
		return soql.URL
	case typeEmail:
		return soql.Email
	case typePhone:
		return soql.Phone
	case typeBase64:
		return soql.Base64
	}
	return soql.String
}

// schemaOf returns the SOQL schema of o. Caller holds mu.
func schemaOf(o *sobject) *soql.Object {
	obj := &soql.Object{Name: o.Name, Fields: make([]soql.Field, len(o.Fields))}
	for i, f := range o.Fields {
		obj.Fields[i] = soql.Field{Name: f.Name, Type: soqlType(f.Type)}
	}
	return obj
}
