package sftest

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Salesforce's JSON text for dates and date-times.
const (
	layoutDateTime = "2006-01-02T15:04:05.000-0700"
	layoutDate     = "2006-01-02"
)

// sobject is an sObject type with its rows.
type sobject struct {
	objectDef
	rows []*row
	byID map[string]*row
}

// row is one stored record. data holds canonical values keyed by the fields' API names
// (string, bool, int64, float64, time.Time in UTC, nil); Id is always present.
type row struct {
	data    Record
	deleted bool
	elf     *EventLogFile // EventLogFile rows: the body
}

func (r *row) id() string { s, _ := r.data["Id"].(string); return s }

// isIdentifier reports whether name can be an sObject API name: a letter, then letters,
// digits and underscores.
func isIdentifier(name string) bool {
	for i, c := range name {
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c != '_' && (c < '0' || c > '9')) {
			return false
		}
	}
	return name != ""
}

// defineObject adds an sObject type. Caller holds mu (or is building the server).
func (s *Server) defineObject(d objectDef) *sobject {
	o := &sobject{objectDef: d, byID: make(map[string]*row)}
	s.objects[strings.ToLower(d.Name)] = o
	return o
}

// object returns the sObject type named name (case-insensitive), or nil. Caller holds mu.
func (s *Server) object(name string) *sobject { return s.objects[strings.ToLower(name)] }

// customObject defines an sObject type for a name the org does not know yet, so tests can add
// rows of any object. Its fields are inferred from the records added.
func (s *Server) customObject(name string) (*sobject, error) {
	if !isIdentifier(name) {
		return nil, fmt.Errorf("%w %q", ErrUnknownSObject, name)
	}
	used := map[string]bool{}
	for _, o := range s.objects {
		used[o.KeyPrefix] = true
	}
	prefix := ""
	for n := 0; prefix == "" || used[prefix]; n++ {
		prefix = fmt.Sprintf("a%c%c", idAlphabet[n/62%62], idAlphabet[n%62]) // a00, a01, …
	}
	d := objectDef{Name: name, Label: name, LabelPlural: name, KeyPrefix: prefix, Custom: strings.HasSuffix(name, "__c"),
		Createable: true, Updateable: true, Deletable: true,
		Fields: cat([]fieldDef{idField(), isDeletedField()}, auditFields()), InferFields: true}
	return s.defineObject(d), nil
}

// AddRecords stores records as rows of sobject and returns their IDs. The standard objects
// refuse unknown fields; any other sObject name defines a new object whose fields are inferred
// from the values. Missing Id, CreatedDate and similar system fields are filled in; an Id, if
// given, must be an ID of that object.
func (s *Server) AddRecords(sobjectName string, records ...Record) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.object(sobjectName)
	if o == nil {
		var err error
		if o, err = s.customObject(sobjectName); err != nil {
			return nil, fmt.Errorf("sftest: add records: %w", err)
		}
	}
	ids := make([]string, 0, len(records))
	for _, rec := range records {
		r, err := s.insert(o, rec, true)
		if err != nil {
			return ids, fmt.Errorf("sftest: add %s record: %w", o.Name, err)
		}
		ids = append(ids, r.id())
	}
	return ids, nil
}

// insert stores one record in o. trusted (Go API) allows system fields and an explicit Id and
// defines unknown fields on custom objects. Caller holds mu.
func (s *Server) insert(o *sobject, rec Record, trusted bool) (*row, error) {
	data := Record{}
	for k, v := range rec {
		f := o.field(k)
		if f == nil && trusted && o.InferFields {
			o.Fields = append(o.Fields, fieldDef{Name: k, Type: inferType(v), Label: k, Createable: true, Updateable: true, Nillable: true})
			f = &o.Fields[len(o.Fields)-1]
		}
		if f == nil {
			return nil, fmt.Errorf("%w: no field %q on %s", ErrInvalidRecord, k, o.Name)
		}
		cv, err := canonical(f, v)
		if err != nil {
			return nil, err
		}
		data[f.Name] = cv
	}
	if id, ok := data["Id"].(string); ok {
		id18, valid := To18(id)
		if !valid || !strings.HasPrefix(id18, o.KeyPrefix) || o.byID[id18] != nil {
			return nil, fmt.Errorf("%w: Id %q is not a new %s ID", ErrInvalidRecord, id, o.Name)
		}
		data["Id"] = id18
	} else {
		data["Id"] = s.ids.newID(o.KeyPrefix)
	}
	s.fillSystem(o, data)
	r := &row{data: data}
	o.rows = append(o.rows, r)
	o.byID[r.id()] = r
	return r, nil
}

// fillSystem sets the system fields a new row has. Caller holds mu.
func (s *Server) fillSystem(o *sobject, data Record) {
	now := s.now().UTC()
	creator := ""
	if len(s.users) > 0 {
		creator = s.users[0].ID
	}
	defaults := map[string]any{
		"CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now,
		"CreatedById": creator, "LastModifiedById": creator, "OwnerId": creator, "IsDeleted": false,
	}
	for k, v := range defaults {
		if _, set := data[k]; !set && o.field(k) != nil {
			data[k] = v
		}
	}
	if o.field("Name") != nil && o.field("LastName") != nil {
		if _, set := data["Name"]; !set {
			first, _ := data["FirstName"].(string)
			last, _ := data["LastName"].(string)
			data["Name"] = strings.TrimSpace(first + " " + last)
		}
	}
}

// inferType guesses the field type of a value given for a new custom field.
func inferType(v any) string {
	switch v.(type) {
	case bool:
		return typeBoolean
	case int, int32, int64:
		return typeInt
	case float32, float64, json.Number:
		return typeDouble
	case time.Time:
		return typeDateTime
	}
	return typeString
}

// canonical converts v to the JSON-ready value stored for field f.
func canonical(f *fieldDef, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	bad := func() error {
		return fmt.Errorf("%w: value %v (%T) for %s field %s", ErrInvalidRecord, v, v, f.Type, f.Name)
	}
	switch f.Type {
	case typeBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, bad()
	case typeInt, typeDouble, typeCurrency:
		n, ok := number(v)
		if !ok {
			return nil, bad()
		}
		if f.Type == typeInt {
			if n != math.Trunc(n) {
				return nil, bad()
			}
			return int64(n), nil
		}
		return n, nil
	case typeDateTime, typeDate:
		t, ok := toTime(v)
		if !ok {
			return nil, bad()
		}
		if f.Type == typeDate {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		}
		return t.UTC(), nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return nil, bad()
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// toTime reads a time.Time or a date/date-time in the forms Salesforce and JSON clients use.
func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		for _, layout := range []string{layoutDateTime, time.RFC3339Nano, "2006-01-02T15:04:05.000Z", layoutDate} {
			if p, err := time.Parse(layout, t); err == nil {
				return p, true
			}
		}
	}
	return time.Time{}, false
}

// jsonValue converts a stored value to its JSON form for field type typ.
func jsonValue(typ string, v any) any {
	if f, ok := v.(float64); ok && (typ == typeDouble || typ == typeCurrency) {
		return javaDouble(f)
	}
	t, ok := v.(time.Time)
	if !ok {
		return v
	}
	if typ == typeDate {
		return t.Format(layoutDate)
	}
	return t.UTC().Format(layoutDateTime)
}
