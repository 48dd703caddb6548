package sftest

import (
	"net/http"
	"sort"
	"strings"
)

// handleSObjects serves /services/data/vXX.X/sobjects[/…].
func (s *Server) handleSObjects(w http.ResponseWriter, r *http.Request, c *restCall) *apiError {
	p := c.parts
	if len(p) == 1 {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return errMethod(r.Method, "GET,HEAD")
		}
		return s.describeGlobal(w, c)
	}
	s.mu.Lock()
	o := s.visibleObject(c.sess, p[1])
	s.mu.Unlock()
	if o == nil {
		return errNotFound()
	}
	switch {
	case len(p) == 2:
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			return s.basicInfo(w, o, c)
		case http.MethodPost:
			return s.create(w, r, o)
		}
		return errMethod(r.Method, "GET,HEAD,POST")
	case len(p) == 3 && p[2] == "describe":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return errMethod(r.Method, "GET,HEAD")
		}
		return s.describe(w, o, c)
	case len(p) == 3:
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			return s.retrieve(w, r, o, p[2], c)
		case http.MethodPatch:
			return s.update(w, r, o, p[2])
		case http.MethodDelete:
			return s.remove(w, o, p[2])
		}
		return errMethod(r.Method, "GET,HEAD,PATCH,DELETE")
	case len(p) == 4:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return errMethod(r.Method, "GET,HEAD")
		}
		return s.blob(w, r, o, p[2], p[3])
	}
	return errNotFound()
}

// objectSummary is the per-object entry of describe global and of describe.
func objectSummary(o *sobject, version string) orderedObject {
	base := "/services/data/v" + version + "/sobjects/" + o.Name
	return orderedObject{
		{"activateable", false}, {"createable", o.Createable}, {"custom", o.Custom},
		{"customSetting", false}, {"deletable", o.Deletable}, {"deprecatedAndHidden", false},
		{"feedEnabled", false}, {"hasSubtypes", false}, {"isSubtype", false},
		{"keyPrefix", o.KeyPrefix}, {"label", o.Label}, {"labelPlural", o.LabelPlural},
		{"layoutable", o.Createable}, {"mergeable", false}, {"mruEnabled", o.Createable},
		{"name", o.Name}, {"queryable", true}, {"replicateable", o.Createable},
		{"retrieveable", true}, {"searchable", o.Createable}, {"triggerable", o.Createable},
		{"undeletable", o.Deletable}, {"updateable", o.Updateable},
		{"urls", orderedObject{{"rowTemplate", base + "/{ID}"}, {"describe", base + "/describe"}, {"sobject", base}}},
	}
}

func (s *Server) describeGlobal(w http.ResponseWriter, c *restCall) *apiError {
	s.mu.Lock()
	names := make([]string, 0, len(s.objects))
	for k := range s.objects {
		names = append(names, k)
	}
	sort.Strings(names)
	list := make([]orderedObject, 0, len(names))
	for _, n := range names {
		list = append(list, objectSummary(s.objects[n], c.version))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, orderedObject{{"encoding", "UTF-8"}, {"maxBatchSize", 200}, {"sobjects", list}})
	return nil
}

func (s *Server) basicInfo(w http.ResponseWriter, o *sobject, c *restCall) *apiError {
	s.mu.Lock()
	summary := objectSummary(o, c.version)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, orderedObject{{"objectDescribe", summary}, {"recentItems", []any{}}})
	return nil
}

// soapType maps a field type to the SOAP type describe reports.
func soapType(typ string) string {
	switch typ {
	case typeID, typeReference:
		return "tns:ID"
	case typeBoolean:
		return "xsd:boolean"
	case typeInt:
		return "xsd:int"
	case typeDouble, typeCurrency:
		return "xsd:double"
	case typeDate:
		return "xsd:date"
	case typeDateTime:
		return "xsd:dateTime"
	case typeBase64:
		return "xsd:base64Binary"
	}
	return "xsd:string"
}

func fieldDescribe(f fieldDef) orderedObject {
	soap := soapType(f.Type)
	length := 0
	switch f.Type {
	case typeID, typeReference:
		length = 18
	case typeString, typePicklist, typeEmail, typePhone, typeURL:
		length = 255
	case typeTextArea:
		length = 32768
	}
	refs := f.ReferenceTo
	if refs == nil {
		refs = []string{}
	}
	filterable := f.Type != typeTextArea && f.Type != typeBase64
	return orderedObject{
		{"aggregatable", filterable}, {"autoNumber", false}, {"byteLength", length * 3},
		{"calculated", false}, {"createable", f.Createable}, {"custom", strings.HasSuffix(f.Name, "__c")},
		{"defaultedOnCreate", !f.Createable}, {"externalId", false}, {"filterable", filterable},
		{"groupable", filterable && f.Type != typeDouble && f.Type != typeCurrency},
		{"idLookup", f.Type == typeID}, {"label", f.Label}, {"length", length}, {"name", f.Name},
		{"nameField", f.Name == "Name"}, {"nillable", f.Nillable}, {"referenceTo", refs},
		{"relationshipName", nil}, {"soapType", soap}, {"sortable", filterable}, {"type", f.Type},
		{"unique", false}, {"updateable", f.Updateable},
	}
}

func (s *Server) describe(w http.ResponseWriter, o *sobject, c *restCall) *apiError {
	s.mu.Lock()
	out := objectSummary(o, c.version)
	fields := make([]orderedObject, 0, len(o.Fields))
	for _, f := range o.Fields {
		fields = append(fields, fieldDescribe(f))
	}
	s.mu.Unlock()
	out = append(out, kv{"fields", fields}, kv{"childRelationships", []any{}}, kv{"recordTypeInfos", []any{}})
	writeJSON(w, http.StatusOK, out)
	return nil
}

// findRow resolves an ID in the URL for o: NOT_FOUND for a malformed or foreign ID or an
// unknown record. Deleted rows are returned; callers decide. Caller holds mu.
func findRow(o *sobject, id string) (*row, *apiError) {
	id18, ok := To18(id)
	if !ok || !strings.HasPrefix(id18, o.KeyPrefix) {
		return nil, newAPIError(http.StatusNotFound, "NOT_FOUND",
			"Provided external ID field does not exist or is not accessible: "+id)
	}
	r := o.byID[id18]
	if r == nil {
		return nil, errNotFound()
	}
	return r, nil
}

func errDeleted() *apiError {
	return newAPIError(http.StatusNotFound, "ENTITY_IS_DELETED", "entity is deleted")
}

func (s *Server) retrieve(w http.ResponseWriter, r *http.Request, o *sobject, id string, c *restCall) *apiError {
	body, apiErr := s.recordBody(r, o, id, c)
	if apiErr != nil {
		return apiErr
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// recordBody builds the body of a record GET (a copy, written after the lock is released).
func (s *Server) recordBody(r *http.Request, o *sobject, id string, c *restCall) (orderedObject, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rw, apiErr := findRow(o, id)
	if apiErr != nil {
		return nil, apiErr
	}
	if rw.deleted {
		return nil, errDeleted()
	}
	fields := o.fieldNames()
	if list := r.URL.Query().Get("fields"); list != "" {
		fields = fields[:0:0]
		for _, name := range strings.Split(list, ",") {
			name = strings.TrimSpace(name)
			if o.field(name) == nil {
				return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD", noSuchColumnText(name, o.Name))
			}
			fields = append(fields, name)
		}
	}
	return s.recordJSON(o, rw, fields, c.version), nil
}

// noSuchColumnText is Salesforce's INVALID_FIELD wording for an unknown field name.
func noSuchColumnText(field, entity string) string {
	return "No such column '" + field + "' on entity '" + entity + "'. If you are attempting to use a custom field, " +
		"be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
}
