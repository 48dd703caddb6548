package soql

import (
	"strings"
	"time"
)

// compileNode turns a WHERE condition into a predicate.
func (c *compiled) compileNode(n node) (func(Row) bool, *Error) {
	switch n := n.(type) {
	case *notNode:
		k, err := c.compileNode(n.kid)
		if err != nil {
			return nil, err
		}
		return func(r Row) bool { return !k(r) }, nil
	case *boolNode:
		kids := make([]func(Row) bool, len(n.kids))
		for i, k := range n.kids {
			p, err := c.compileNode(k)
			if err != nil {
				return nil, err
			}
			kids[i] = p
		}
		if n.or {
			return func(r Row) bool {
				for _, k := range kids {
					if k(r) {
						return true
					}
				}
				return false
			}, nil
		}
		return func(r Row) bool {
			for _, k := range kids {
				if !k(r) {
					return false
				}
			}
			return true
		}, nil
	}
	return c.compileCmp(n.(*cmpNode))
}

// operand is a literal converted to the field's type: a value, null, or
// (for date literals) the range [lo, hi).
type operand struct {
	v, hi   scalar
	isRange bool
}

func (c *compiled) compileCmp(n *cmpNode) (func(Row) bool, *Error) {
	f, err := c.resolve(n.field)
	if err != nil {
		return nil, err
	}
	if !f.Type.filterable() {
		// "field 'SubscriberPackage' can not be filtered in query call" is
		// quoted from Salesforce in public notes; the excerpt is inferred.
		return nil, c.q.errAt(CodeInvalidField, n.field.pos, "field '"+f.Name+"' can not be filtered in query call")
	}
	if n.op == opLike && !f.Type.isText() {
		// Wording not verified against Salesforce.
		return nil, c.q.errAt(CodeMalformedQuery, n.field.pos, "invalid operator on field '"+f.Name+"'")
	}
	ops := make([]operand, len(n.vals))
	for i, l := range n.vals {
		o, err := c.operand(f, l, n.op == opLike)
		if err != nil {
			return nil, err
		}
		ops[i] = o
	}
	g := getterFor(f.Name, f.Type)
	ft := f.Type
	switch n.op {
	case opLike:
		pat := compileLike(unquote(n.vals[0].raw, true))
		return func(r Row) bool { v := g(r); return !v.null && likeMatch(pat, v.s) }, nil
	case opEq, opIn:
		return func(r Row) bool { return anyEqual(ft, g(r), ops) }, nil
	case opNe, opNotIn:
		return func(r Row) bool { return !anyEqual(ft, g(r), ops) }, nil
	}
	o, op := ops[0], n.op
	return func(r Row) bool { return order(ft, op, g(r), o) }, nil
}

func anyEqual(ft FieldType, v scalar, ops []operand) bool {
	for _, o := range ops {
		if equal(ft, v, o) {
			return true
		}
	}
	return false
}

func equal(ft FieldType, v scalar, o operand) bool {
	switch {
	case o.v.null || v.null:
		return o.v.null && v.null
	case o.isRange:
		return compareScalar(ft, v, o.v) >= 0 && compareScalar(ft, v, o.hi) < 0
	case ft.isID():
		return idEqual(v.s, o.v.s)
	case ft.isText():
		return strings.EqualFold(v.s, o.v.s)
	}
	return compareScalar(ft, v, o.v) == 0
}

// order evaluates < <= > >=; a null on either side never matches.
func order(ft FieldType, op op, v scalar, o operand) bool {
	if v.null || o.v.null {
		return false
	}
	if o.isRange {
		switch op {
		case opLt:
			return compareScalar(ft, v, o.v) < 0
		case opLe:
			return compareScalar(ft, v, o.hi) < 0
		case opGt:
			return compareScalar(ft, v, o.hi) >= 0
		}
		return compareScalar(ft, v, o.v) >= 0
	}
	r := compareScalar(ft, v, o.v)
	switch op {
	case opLt:
		return r < 0
	case opLe:
		return r <= 0
	case opGt:
		return r > 0
	}
	return r >= 0
}

// operand type-checks literal l against field f and converts it.
func (c *compiled) operand(f *Field, l literal, like bool) (operand, *Error) {
	if l.kind == lNull {
		return operand{v: scalar{null: true}}, nil
	}
	bad := c.q.errAt(CodeInvalidField, l.pos, filterType(f.Name, f.Type))
	switch ft := f.Type; {
	case ft.isText():
		if l.kind != lString {
			return operand{}, bad
		}
		s := unquote(l.raw, false)
		if ft.isID() && !like && !validID(s) {
			// "invalid ID field: abc" (Salesforce; MALFORMED_QUERY replaced
			// INVALID_QUERY_FILTER_OPERATOR for it in Summer '24).
			return operand{}, c.q.errAt(CodeMalformedQuery, l.pos, "invalid ID field: "+s)
		}
		return operand{v: scalar{s: s, null: s == ""}}, nil
	case ft == Boolean:
		if l.kind != lBool {
			return operand{}, bad
		}
		return operand{v: scalar{b: l.b}}, nil
	case ft.isNumber():
		if l.kind != lNumber {
			return operand{}, bad
		}
		return operand{v: scalar{f: l.num, i: l.i, isInt: l.int}}, nil
	case ft == Date:
		switch l.kind {
		case lDate:
			return operand{v: scalar{d: civilDay(l.t)}}, nil
		case lDateLit:
			lo, hi := dateRange(l, c.today())
			return operand{v: scalar{d: civilDay(lo)}, hi: scalar{d: civilDay(hi)}, isRange: true}, nil
		}
		return operand{}, bad
	}
	switch l.kind { // DateTime
	case lDateTime:
		return operand{v: scalar{t: l.t}}, nil
	case lDateLit:
		lo, hi := dateRange(l, c.today())
		return operand{v: scalar{t: c.midnight(lo)}, hi: scalar{t: c.midnight(hi)}, isRange: true}, nil
	}
	return operand{}, bad
}

// today is the user's current calendar date as a UTC midnight.
func (c *compiled) today() time.Time {
	y, m, d := c.now.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// midnight is the instant a calendar day starts in the user's time zone.
func (c *compiled) midnight(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, c.loc)
}
