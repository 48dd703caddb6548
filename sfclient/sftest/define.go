package sftest

import (
	"fmt"
	"strings"
)

// FieldType is the describe type of a field of an Object defined with DefineObject.
type FieldType string

// Field types, as describe reports them.
const (
	FieldString    FieldType = typeString
	FieldBoolean   FieldType = typeBoolean
	FieldInt       FieldType = typeInt
	FieldDouble    FieldType = typeDouble
	FieldCurrency  FieldType = typeCurrency
	FieldDate      FieldType = typeDate
	FieldDateTime  FieldType = typeDateTime
	FieldID        FieldType = typeID
	FieldReference FieldType = typeReference
	FieldPicklist  FieldType = typePicklist
	FieldTextArea  FieldType = typeTextArea
	FieldURL       FieldType = typeURL
	FieldEmail     FieldType = typeEmail
	FieldPhone     FieldType = typePhone
)

// Field is one field of an Object.
type Field struct {
	// Name is the API name, like "EventDate" or "Score__c". Required.
	Name string
	// Type is the field type. Empty means FieldString.
	Type FieldType
	// ReadOnly fields cannot be set by REST create or update (they can by AddRecords).
	ReadOnly bool
	// ReferenceTo names the parent object of a FieldReference field; its relationship (the
	// name without "Id", or __c changed to __r) can then be used in SELECT, like Owner.Name.
	ReferenceTo string
}

// Object describes an sObject type the emulated org should have besides the standard ones,
// such as an event object a connector reads (LoginEvent) or a custom object.
type Object struct {
	// Name is the API name. Required; it must not name an existing object.
	Name string
	// Label is the describe label. Empty means Name.
	Label string
	// KeyPrefix is the three-character ID prefix. Required, and unique in the org.
	KeyPrefix string
	// Fields are the object's fields. Id, IsDeleted, CreatedDate, CreatedById,
	// LastModifiedDate, LastModifiedById and SystemModstamp are added.
	Fields []Field
	// ReadOnly objects cannot be created, updated or deleted through REST.
	ReadOnly bool
}

// DefineObject adds an sObject type to the org, so that AddRecords, SOQL, describe and the
// sObject resources know it with its own key prefix and field types. It returns an error
// wrapping ErrInvalidConfig when the name or prefix is taken or malformed.
func (s *Server) DefineObject(o Object) error {
	if !isIdentifier(o.Name) || len(o.KeyPrefix) != 3 || strings.Trim(o.KeyPrefix, idAlphabet) != "" {
		return fmt.Errorf("sftest: define object: %w: name %q, key prefix %q", ErrInvalidConfig, o.Name, o.KeyPrefix)
	}
	d := objectDef{Name: o.Name, Label: o.Label, LabelPlural: o.Label, KeyPrefix: o.KeyPrefix,
		Createable: !o.ReadOnly, Updateable: !o.ReadOnly, Deletable: !o.ReadOnly,
		Custom: strings.HasSuffix(o.Name, "__c")}
	if d.Label == "" {
		d.Label, d.LabelPlural = o.Name, o.Name
	}
	d.Fields = []fieldDef{idField(), isDeletedField()}
	for _, f := range o.Fields {
		typ := string(f.Type)
		if typ == "" {
			typ = typeString
		}
		if !isIdentifier(f.Name) || d.field(f.Name) != nil {
			return fmt.Errorf("sftest: define object %s: %w: field %q", o.Name, ErrInvalidConfig, f.Name)
		}
		fd := fieldDef{Name: f.Name, Type: typ, Label: f.Name,
			Createable: !f.ReadOnly && !o.ReadOnly, Updateable: !f.ReadOnly && !o.ReadOnly, Nillable: true}
		if f.ReferenceTo != "" {
			fd.ReferenceTo = []string{f.ReferenceTo}
		}
		d.Fields = append(d.Fields, fd)
	}
	for _, f := range auditFields() {
		if d.field(f.Name) == nil {
			d.Fields = append(d.Fields, f)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.object(o.Name) != nil {
		return fmt.Errorf("sftest: define object: %w: %s exists", ErrInvalidConfig, o.Name)
	}
	for _, other := range s.objects {
		if other.KeyPrefix == o.KeyPrefix {
			return fmt.Errorf("sftest: define object: %w: key prefix %s is %s's", ErrInvalidConfig, o.KeyPrefix, other.Name)
		}
	}
	s.defineObject(d)
	return nil
}
