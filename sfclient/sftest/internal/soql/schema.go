package soql

import "strings"

// FieldType is the data type of a field, which decides which literals it may
// be compared with and how its values compare.
type FieldType int

// Field types. The zero value is String.
const (
	String    FieldType = iota // text; Go value string
	ID                         // 15/18-character record Id; string
	Reference                  // lookup to another record's Id; string
	Picklist                   // picklist value; string
	TextArea                   // long text; string; cannot be filtered or sorted
	Email                      // string
	Phone                      // string
	URL                        // string
	Boolean                    // bool
	Int                        // int64 (int and int32 are accepted)
	Double                     // float64 (float32, int64, int accepted)
	Currency                   // float64
	Percent                    // float64
	Date                       // time.Time; only its calendar date counts
	DateTime                   // time.Time instant
	Base64                     // blob (e.g. EventLogFile.LogFile); cannot be filtered or sorted
)

// isText reports whether values of the type are strings in SOQL, compared with
// quoted literals.
func (t FieldType) isText() bool {
	switch t {
	case String, ID, Reference, Picklist, TextArea, Email, Phone, URL, Base64:
		return true
	}
	return false
}

func (t FieldType) isID() bool { return t == ID || t == Reference }

func (t FieldType) isNumber() bool {
	return t == Int || t == Double || t == Currency || t == Percent
}

// filterable reports whether the type may appear in WHERE and ORDER BY.
func (t FieldType) filterable() bool { return t != TextArea && t != Base64 }

// soapType is the type name Salesforce uses in filter-criterion errors.
func (t FieldType) soapType() string {
	switch {
	case t.isID():
		return "id"
	case t.isText():
		return "string"
	case t == Boolean:
		return "boolean"
	case t == Int:
		return "int"
	case t == Date:
		return "date"
	case t == DateTime:
		return "dateTime"
	}
	return "double"
}

// Field is one field of an sObject.
type Field struct {
	// Name is the canonical API name, e.g. "CreatedDate"; rows are keyed by it.
	Name string
	// Type is the field's data type.
	Type FieldType
}

// Object is the schema of one sObject: its canonical name and its fields.
type Object struct {
	// Name is the canonical API name, e.g. "Account".
	Name string
	// Fields lists the queryable fields.
	Fields []Field
}

// field finds a field by name, ignoring case.
func (o *Object) field(name string) *Field {
	for i := range o.Fields {
		if strings.EqualFold(o.Fields[i].Name, name) {
			return &o.Fields[i]
		}
	}
	return nil
}

// Row is one record keyed by canonical field name. Values are string, bool,
// int64, float64, time.Time or nil; a missing key reads as null.
type Row map[string]any
