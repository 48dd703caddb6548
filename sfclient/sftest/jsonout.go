package sftest

import (
	"bytes"
	"encoding/json"
)

// kv is one member of an ordered JSON object.
type kv struct {
	key string
	val any
}

// orderedObject marshals as a JSON object whose members keep their order, as Salesforce
// returns record fields in SELECT order with "attributes" first.
type orderedObject []kv

// MarshalJSON encodes the members in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.val)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// recordJSON renders a stored row as Salesforce does: attributes, then fields in order.
// Caller holds mu.
func (s *Server) recordJSON(o *sobject, r *row, fields []string, version string) orderedObject {
	id := r.id()
	out := orderedObject{{"attributes", orderedObject{
		{"type", o.Name},
		{"url", "/services/data/v" + version + "/sobjects/" + o.Name + "/" + id},
	}}}
	for _, name := range fields {
		f := o.field(name)
		if f == nil {
			continue
		}
		out = append(out, kv{f.Name, s.fieldJSON(o, r, f, version)})
	}
	return out
}

// fieldJSON returns the JSON value of one field of a row. Blob fields read as the URL their
// content is served at.
func (s *Server) fieldJSON(o *sobject, r *row, f *fieldDef, version string) any {
	if f.Type == typeBase64 {
		return "/services/data/v" + version + "/sobjects/" + o.Name + "/" + r.id() + "/" + f.Name
	}
	return jsonValue(f.Type, r.data[f.Name])
}

// fieldNames lists the API names of all fields of o.
func (o *sobject) fieldNames() []string {
	out := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		out[i] = f.Name
	}
	return out
}
