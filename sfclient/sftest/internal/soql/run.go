package soql

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxOffset is Salesforce's largest OFFSET.
const maxOffset = 2000

// RunOptions are the facts a query depends on besides the rows.
type RunOptions struct {
	// Now is the current time for date literals such as TODAY; zero means
	// time.Now().
	Now time.Time
	// Location is the time zone of the running user, which decides where a
	// day starts for date literals; nil means UTC.
	Location *time.Location
}

// Result is the outcome of running a query.
type Result struct {
	// Fields are the canonical names of the selected fields, in SELECT order;
	// for COUNT(field) it is the alias or "expr0".
	Fields []string
	// Rows are the matching rows after ORDER BY, OFFSET and LIMIT. They are
	// the input rows themselves, not copies: read only the keys in Fields and
	// do not modify them. Empty for COUNT(); one new row for COUNT(field).
	Rows []Row
	// TotalSize is the number of rows the query returns; for COUNT() it is
	// the count.
	TotalSize int
	// Aggregate is true for COUNT(field): Salesforce returns the row as an
	// AggregateResult record.
	Aggregate bool
}

// Run runs the query over rows of the sObject obj. Field names are resolved
// against obj (INVALID_FIELD when unknown), every comparison is type-checked,
// then rows are filtered, sorted and cut by OFFSET and LIMIT. Errors are
// *Error values. Run does not modify rows and is safe for concurrent use.
func (q *Query) Run(obj *Object, rows []Row, opts RunOptions) (*Result, error) {
	c, err := q.compile(obj, opts)
	if err != nil {
		return nil, err
	}
	return c.run(rows), nil
}

// compiled is a query resolved against a schema.
type compiled struct {
	q      *Query
	obj    *Object
	now    time.Time
	loc    *time.Location
	fields []string
	aggKey string
	agg    getter
	pred   func(Row) bool // nil: every row
	order  []orderKey
}

type orderKey struct {
	get        getter
	ft         FieldType
	desc       bool
	nullsFirst bool
}

func (q *Query) compile(obj *Object, opts RunOptions) (*compiled, *Error) {
	c := &compiled{q: q, obj: obj, now: opts.Now, loc: opts.Location}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if err := c.compileSelect(); err != nil {
		return nil, err
	}
	if q.where != nil {
		p, err := c.compileNode(q.where)
		if err != nil {
			return nil, err
		}
		c.pred = p
	}
	for _, o := range q.order {
		f, err := c.resolve(o.field)
		if err != nil {
			return nil, err
		}
		if !f.Type.filterable() {
			// Wording by analogy with the filter error (not seen in a sample).
			return nil, q.errAt(CodeInvalidField, o.field.pos, "field '"+f.Name+"' can not be sorted in a query call")
		}
		c.order = append(c.order, orderKey{get: getterFor(f.Name, f.Type), ft: f.Type, desc: o.desc, nullsFirst: o.nullsFirst})
	}
	if q.offset > maxOffset {
		// Wording from SalesforceLabs/OrgCheck#448 ("NUMBER_OUTSIDE_VALID_RANGE:
		// Maximum SOQL offset allowed for apiName ApexClass is 2000").
		return nil, &Error{Code: CodeNumberOutsideValidRange,
			Message: "Maximum SOQL offset allowed for apiName " + obj.Name + " is " + strconv.Itoa(maxOffset)}
	}
	return c, nil
}

func (c *compiled) compileSelect() *Error {
	q := c.q
	unbounded := false
	for _, ref := range q.fields {
		names, err := c.selected(ref)
		if err != nil {
			return err
		}
		unbounded = unbounded || ref.group == "ALL" || ref.group == "CUSTOM"
		for _, name := range names {
			if slices.Contains(c.fields, name) {
				// Salesforce's SOQL guide (FIELDS() page) shows exactly this body:
				// [{"message":"duplicate field selected: Id","errorCode":"INVALID_FIELD"}].
				return &Error{Code: CodeInvalidField, Message: "duplicate field selected: " + name}
			}
			c.fields = append(c.fields, name)
		}
	}
	if len(q.fields) > 0 && len(c.fields) == 0 && len(q.subqueries) == 0 {
		// Wording from the SOQL guide's FIELDS() considerations.
		return &Error{Code: CodeMalformedQuery, Message: "'FIELDS(...)' expansion function must result in at least one field being selected."}
	}
	if unbounded && (q.limit < 0 || q.limit > 200) && !idBounded(q.where) {
		// Wording quoted from Salesforce by many clients of the REST API.
		return &Error{Code: CodeMalformedQuery, Message: "The SOQL FIELDS function must have a LIMIT of at most 200"}
	}
	if len(q.subqueries) > 0 {
		s := q.subqueries[0]
		return q.errAt(CodeInvalidType, s.pos, badChildRelationship(s.text))
	}
	if q.aggregate != nil {
		f, err := c.resolve(*q.aggregate)
		if err != nil {
			return err
		}
		c.agg = getterFor(f.Name, f.Type)
		c.aggKey = q.aggAlias
		if c.aggKey == "" {
			c.aggKey = "expr0"
		}
		c.fields = []string{c.aggKey}
	}
	return nil
}

// selected returns the canonical names a SELECT item stands for.
func (c *compiled) selected(ref fieldRef) ([]string, *Error) {
	if ref.group == "" {
		f, err := c.resolve(ref)
		if err != nil {
			return nil, err
		}
		return []string{f.Name}, nil
	}
	var names []string
	for _, f := range c.obj.Fields {
		custom := len(f.Name) > 3 && strings.EqualFold(f.Name[len(f.Name)-3:], "__c")
		if ref.group == "ALL" || custom == (ref.group == "CUSTOM") {
			names = append(names, f.Name)
		}
	}
	return names, nil
}

// idBounded reports whether a WHERE clause limits an unbounded FIELDS() query
// the way the SOQL guide allows: Id IN (…) or Id = … joined by OR, at most
// 200 Ids.
func idBounded(n node) bool {
	ids := 0
	var walk func(node) bool
	walk = func(n node) bool {
		switch n := n.(type) {
		case *cmpNode:
			ids += len(n.vals)
			return (n.op == opEq || n.op == opIn) && len(n.field.path) == 1 && strings.EqualFold(n.field.path[0], "Id")
		case *boolNode:
			for _, k := range n.kids {
				if !n.or || !walk(k) {
					return false
				}
			}
			return true
		}
		return false
	}
	return n != nil && walk(n) && ids <= 200
}

// resolve finds the field a path names. A leading object name or alias is
// dropped; any other relationship path is refused as Salesforce refuses an
// unknown relationship.
func (c *compiled) resolve(ref fieldRef) (*Field, *Error) {
	path, pos := ref.path, ref.pos
	if len(path) > 1 && (strings.EqualFold(path[0], c.obj.Name) || (c.q.alias != "" && strings.EqualFold(path[0], c.q.alias))) {
		pos += len(path[0]) + 1
		path = path[1:]
	}
	if len(path) > 1 {
		return nil, c.q.errAt(CodeInvalidField, pos, badRelationship(path[0]))
	}
	f := c.obj.field(path[0])
	if f == nil {
		return nil, c.q.errAt(CodeInvalidField, pos, noSuchColumn(path[0], c.obj.Name))
	}
	return f, nil
}

func (c *compiled) run(rows []Row) *Result {
	q := c.q
	stop := -1 // without ORDER BY, no need to look past OFFSET+LIMIT rows
	if len(c.order) == 0 && q.limit >= 0 && c.agg == nil {
		stop = max(q.offset, 0) + q.limit
	}
	var matched []Row
	n := 0
	for _, r := range rows {
		if stop >= 0 && n >= stop {
			break
		}
		if c.pred == nil || c.pred(r) {
			n++
			if !q.count {
				matched = append(matched, r)
			}
		}
	}
	if q.count {
		return &Result{TotalSize: window(n, q.offset, q.limit).len()}
	}
	if c.agg != nil {
		cnt := int64(0)
		for _, r := range matched {
			if !c.agg(r).null {
				cnt++
			}
		}
		out := []Row{{c.aggKey: cnt}}
		w := window(1, q.offset, q.limit)
		out = out[w.from:w.to]
		return &Result{Fields: c.fields, Rows: out, TotalSize: len(out), Aggregate: true}
	}
	c.sort(matched)
	w := window(len(matched), q.offset, q.limit)
	matched = matched[w.from:w.to]
	return &Result{Fields: c.fields, Rows: matched, TotalSize: len(matched)}
}

type span struct{ from, to int }

func (s span) len() int { return s.to - s.from }

// window applies OFFSET and LIMIT (-1 when absent) to n rows.
func window(n, offset, limit int) span {
	from := min(max(offset, 0), n)
	to := n
	if limit >= 0 {
		to = min(n, from+limit)
	}
	return span{from, to}
}

// sort orders rows by the ORDER BY keys, stably, reading each key once.
func (c *compiled) sort(rows []Row) {
	k := len(c.order)
	if k == 0 || len(rows) < 2 {
		return
	}
	keys := make([]scalar, len(rows)*k)
	for i, r := range rows {
		for j, o := range c.order {
			keys[i*k+j] = o.get(r)
		}
	}
	idx := make([]int32, len(rows))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		for j, o := range c.order {
			if r := o.compare(keys[int(a)*k+j], keys[int(b)*k+j]); r != 0 {
				return r
			}
		}
		return 0
	})
	sorted := make([]Row, len(rows))
	for i, x := range idx {
		sorted[i] = rows[x]
	}
	copy(rows, sorted)
}

func (o orderKey) compare(a, b scalar) int {
	switch {
	case a.null && b.null:
		return 0
	case a.null || b.null:
		if a.null == o.nullsFirst {
			return -1
		}
		return 1
	}
	r := compareScalar(o.ft, a, b)
	if o.desc {
		return -r
	}
	return r
}
