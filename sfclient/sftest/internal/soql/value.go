package soql

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// scalar is a field value or literal in the form a field type compares:
// text as s, numbers as f (and i when integral), booleans as b, dates as a
// day number d, datetimes as t.
type scalar struct {
	null  bool
	isInt bool
	b     bool
	s     string
	f     float64
	i     int64
	d     int64
	t     time.Time
}

// getter reads one field of a row as a scalar.
type getter func(Row) scalar

// getterFor returns the reader for a field of type ft.
func getterFor(name string, ft FieldType) getter {
	switch {
	case ft.isText():
		return func(r Row) scalar {
			s, ok := r[name].(string)
			return scalar{s: s, null: !ok || s == ""}
		}
	case ft == Boolean: // a checkbox is never null: a missing value is false
		return func(r Row) scalar {
			b, _ := r[name].(bool)
			return scalar{b: b}
		}
	case ft.isNumber():
		return func(r Row) scalar { return numScalar(r[name]) }
	case ft == Date:
		return func(r Row) scalar {
			t, ok := r[name].(time.Time)
			if !ok {
				return scalar{null: true}
			}
			return scalar{d: civilDay(t)}
		}
	default: // DateTime
		return func(r Row) scalar {
			t, ok := r[name].(time.Time)
			return scalar{t: t, null: !ok}
		}
	}
}

func numScalar(v any) scalar {
	switch n := v.(type) {
	case int64:
		return scalar{i: n, f: float64(n), isInt: true}
	case int:
		return scalar{i: int64(n), f: float64(n), isInt: true}
	case int32:
		return scalar{i: int64(n), f: float64(n), isInt: true}
	case float64:
		return scalar{f: n}
	case float32:
		return scalar{f: float64(n)}
	}
	return scalar{null: true}
}

// compareScalar orders two non-null scalars of field type ft.
func compareScalar(ft FieldType, a, b scalar) int {
	switch {
	case ft.isText():
		return foldCompare(a.s, b.s)
	case ft == Boolean:
		return boolInt(a.b) - boolInt(b.b)
	case ft.isNumber():
		if a.isInt && b.isInt {
			return cmp3(a.i < b.i, a.i > b.i)
		}
		return cmp3(a.f < b.f, a.f > b.f)
	case ft == Date:
		return cmp3(a.d < b.d, a.d > b.d)
	}
	return a.t.Compare(b.t)
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// foldCompare compares strings ignoring case, without allocating: by
// lower-cased code points, with a fast path for ASCII.
func foldCompare(a, b string) int {
	i := 0
	for ; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca|cb >= utf8.RuneSelf {
			break
		}
		if ca != cb {
			ca, cb = lowerASCII(ca), lowerASCII(cb)
			if ca != cb {
				return cmp3(ca < cb, ca > cb)
			}
		}
	}
	a, b = a[i:], b[i:]
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			la, lb := unicode.ToLower(ra), unicode.ToLower(rb)
			if la != lb {
				return cmp3(la < lb, la > lb)
			}
		}
		a, b = a[na:], b[nb:]
	}
	return cmp3(a == "" && b != "", a != "" && b == "")
}

// idEqual compares record Ids: a 15-character Id equals the 18-character
// form that starts with it; 18-character Ids compare ignoring case, as their
// suffix encodes the case of the first 15.
func idEqual(a, b string) bool {
	if len(a) == 18 && len(b) == 18 {
		return strings.EqualFold(a, b)
	}
	if len(a) >= 15 && len(b) >= 15 {
		return a[:15] == b[:15]
	}
	return a == b
}

// validID reports whether s is a 15- or 18-character alphanumeric Id.
func validID(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}
