package sftest

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kv is one member of an ordered JSON object.
type kv struct {
	key string
	val any
}

// orderedObject marshals as a JSON object whose members keep their order, as Salesforce
// returns record fields in SELECT order with "attributes" first. Like Salesforce (and unlike
// encoding/json's default), it does not escape <, > and &.
type orderedObject []kv

// MarshalJSON encodes the members in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	return appendJSON(nil, o)
}

// appendJSON appends the JSON encoding of v to b: a fast path for the types responses are
// made of, encoding/json (without HTML escaping) for anything else.
func appendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case json.RawMessage:
		return append(b, x...), nil
	case orderedObject:
		b = append(b, '{')
		for i, m := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m.key)
			b = append(b, ':')
			if b, err = appendJSON(b, m.val); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []orderedObject:
		b = append(b, '[')
		for i, m := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSON(b, m); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

// appendString appends s as a JSON string, escaping only what JSON requires.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// javaDouble formats f the way Salesforce's JSON shows double and currency fields (Java's
// Double.toString): 5199.0, 0.25, 1.39E8.
func javaDouble(f float64) json.RawMessage {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return json.RawMessage("null")
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return json.RawMessage(s)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.39e+08
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	n, _ := strconv.Atoi(exp)
	return json.RawMessage(mant + "E" + strconv.Itoa(n))
}

// recordJSON renders a stored row as Salesforce does: attributes, then fields in order.
// Caller holds mu.
func (s *Server) recordJSON(o *sobject, r *row, fields []string, version string) orderedObject {
	id := r.id()
	out := make(orderedObject, 0, len(fields)+1)
	out = append(out, kv{"attributes", orderedObject{
		{"type", o.Name},
		{"url", "/services/data/v" + version + "/sobjects/" + o.Name + "/" + id},
	}})
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
