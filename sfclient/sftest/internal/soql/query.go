package soql

import (
	"strconv"
	"strings"
	"time"
)

// Query is a parsed SOQL query. It is immutable and safe for concurrent use.
type Query struct {
	src    string
	object name
	alias  string

	count      bool      // SELECT COUNT()
	aggregate  *fieldRef // SELECT COUNT(field) [alias]
	aggAlias   string
	fields     []fieldRef
	subqueries []name // parent-child subqueries: the relationship names

	where  node // nil when there is no WHERE
	order  []orderItem
	limit  int // -1 when absent
	offset int // -1 when absent
	offPos int
}

// name is an identifier as written, with its byte offset in the query.
type name struct {
	text string
	pos  int
}

// fieldRef is a field path as written (Name, Account.Name, Owner.Name), or
// in a SELECT list a FIELDS(ALL|STANDARD|CUSTOM) group.
type fieldRef struct {
	path  []string
	pos   int
	group string // "ALL", "STANDARD" or "CUSTOM" for FIELDS(…)
}

func (f fieldRef) String() string {
	if f.group != "" {
		return "FIELDS(" + f.group + ")"
	}
	return strings.Join(f.path, ".")
}

type orderItem struct {
	field      fieldRef
	desc       bool
	nullsFirst bool
	nullsSet   bool // NULLS FIRST/LAST was written
}

// Object returns the sObject name as written after FROM.
func (q *Query) Object() string { return q.object.text }

// IsCount reports whether the query is SELECT COUNT(): the caller reports
// Result.TotalSize and no records.
func (q *Query) IsCount() bool { return q.count }

// Limit returns the LIMIT value, or -1 when the query has none.
func (q *Query) Limit() int { return q.limit }

// Offset returns the OFFSET value, or -1 when the query has none.
func (q *Query) Offset() int { return q.offset }

// String renders the query in a canonical form (upper-case keywords, single
// spaces) that parses to the same query.
func (q *Query) String() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	var items []string
	switch {
	case q.count:
		items = append(items, "COUNT()")
	case q.aggregate != nil:
		items = append(items, "COUNT("+q.aggregate.String()+")"+prefixed(" ", q.aggAlias))
	}
	for _, f := range q.fields {
		items = append(items, f.String())
	}
	for _, s := range q.subqueries {
		items = append(items, "(SELECT Id FROM "+s.text+")")
	}
	b.WriteString(strings.Join(items, ", "))
	b.WriteString(" FROM " + q.object.text + prefixed(" ", q.alias))
	if q.where != nil {
		b.WriteString(" WHERE ")
		b.WriteString(q.where.String())
	}
	for i, o := range q.order {
		b.WriteString(map[bool]string{true: ", ", false: " ORDER BY "}[i > 0])
		b.WriteString(o.field.String())
		if o.desc {
			b.WriteString(" DESC")
		}
		if o.nullsSet {
			b.WriteString(map[bool]string{true: " NULLS FIRST", false: " NULLS LAST"}[o.nullsFirst])
		}
	}
	if q.limit >= 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(q.limit))
	}
	if q.offset >= 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(q.offset))
	}
	return b.String()
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// node is a WHERE condition.
type node interface {
	String() string
}

// boolNode is a run of conditions joined by one connective.
type boolNode struct {
	or   bool
	kids []node
}

func (n *boolNode) String() string {
	parts := make([]string, len(n.kids))
	for i, k := range n.kids {
		parts[i] = k.String()
		if _, ok := k.(*boolNode); ok {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, map[bool]string{true: " OR ", false: " AND "}[n.or])
}

type notNode struct{ kid node }

func (n *notNode) String() string {
	if _, ok := n.kid.(*boolNode); ok {
		return "NOT (" + n.kid.String() + ")"
	}
	return "NOT " + n.kid.String()
}

// Comparison operators.
type op int

const (
	opEq op = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opLike
	opIn
	opNotIn
)

var opText = [...]string{"=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN"}

// cmpNode is field op value, or field [NOT] IN (values).
type cmpNode struct {
	field fieldRef
	op    op
	vals  []literal // one value, or the IN list
}

func (n *cmpNode) String() string {
	s := n.field.String() + " " + opText[n.op] + " "
	if n.op != opIn && n.op != opNotIn {
		return s + n.vals[0].String()
	}
	parts := make([]string, len(n.vals))
	for i, v := range n.vals {
		parts[i] = v.String()
	}
	return s + "(" + strings.Join(parts, ", ") + ")"
}

type litKind int

const (
	lString litKind = iota
	lNumber
	lBool
	lNull
	lDate
	lDateTime
	lDateLit // TODAY, LAST_N_DAYS:n, …
)

// literal is a value in a WHERE condition.
type literal struct {
	kind litKind
	pos  int
	raw  string // as written (strings with quotes); date literals as NAME or NAME:n
	num  float64
	i    int64
	int  bool      // lNumber: no fraction
	b    bool      // lBool
	t    time.Time // lDate (UTC midnight) or lDateTime
	n    int       // lDateLit: the :n argument
}

func (l literal) String() string { return l.raw }
