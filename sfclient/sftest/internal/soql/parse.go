package soql

import (
	"strconv"
	"strings"
)

// maxQueryLen bounds the query text, as Salesforce does (100,000 characters
// by default).
const maxQueryLen = 100000

// Parse checks the syntax of a SOQL query. Errors are *Error values with Code
// MALFORMED_QUERY.
func Parse(q string) (*Query, error) {
	query, err := parse(q)
	if err != nil {
		return nil, err
	}
	return query, nil
}

func parse(src string) (*Query, *Error) {
	if len(src) > maxQueryLen {
		// Wording from memory of Salesforce responses (not verified).
		return nil, &Error{Code: CodeMalformedQuery, Message: "SOQL statements cannot be longer than 100,000 characters."}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{q: &Query{src: src, limit: -1, offset: -1}, toks: toks}
	if err := p.query(); err != nil {
		return nil, err
	}
	return p.q, nil
}

type parser struct {
	q    *Query
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// kw reports whether the next token is the keyword k (any letter case).
func (p *parser) kw(k string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, k)
}

func (p *parser) acceptKw(k string) bool {
	if p.kw(k) {
		p.i++
		return true
	}
	return false
}

func (p *parser) punct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

func (p *parser) acceptPunct(s string) bool {
	if p.punct(s) {
		p.i++
		return true
	}
	return false
}

// fail reports the next token as unexpected.
func (p *parser) fail() *Error { return p.failAt(p.peek()) }

func (p *parser) failAt(t token) *Error {
	return p.q.errAt(CodeMalformedQuery, t.pos, unexpected(t.text))
}

func (p *parser) expectKw(k string) *Error {
	if !p.acceptKw(k) {
		return p.fail()
	}
	return nil
}

func (p *parser) expectPunct(s string) *Error {
	if !p.acceptPunct(s) {
		return p.fail()
	}
	return nil
}

func (p *parser) query() *Error {
	sel := p.peek()
	if err := p.expectKw("SELECT"); err != nil {
		return err
	}
	if p.kw("FROM") {
		// Summer '24 release notes: "SELECT FROM ServicePresenceStatus" gives
		// "unexpected token: 'SELECT FROM'".
		from := p.peek()
		return p.q.errAt(CodeMalformedQuery, sel.pos, unexpected(p.q.src[sel.pos:from.end]))
	}
	if err := p.selectList(); err != nil {
		return err
	}
	if err := p.from(); err != nil {
		return err
	}
	if p.acceptKw("WHERE") {
		w, err := p.cond()
		if err != nil {
			return err
		}
		p.q.where = w
	}
	if err := p.orderBy(); err != nil {
		return err
	}
	if err := p.limitOffset(); err != nil {
		return err
	}
	if p.peek().kind != tEOF {
		return p.fail()
	}
	return nil
}

func (p *parser) selectList() *Error {
	for {
		if err := p.selectItem(); err != nil {
			return err
		}
		comma := p.peek()
		if !p.acceptPunct(",") {
			break
		}
		if p.q.count {
			// COUNT() stands alone (wording not verified against Salesforce).
			return p.failAt(comma)
		}
	}
	if q := p.q; q.aggregate != nil && len(q.fields) > 0 {
		f := q.fields[0]
		return q.errAt(CodeMalformedQuery, f.pos, "Field must be grouped or aggregated: "+f.String())
	}
	return nil
}

func (p *parser) selectItem() *Error {
	t := p.peek()
	switch {
	case t.kind == tIdent && strings.EqualFold(t.text, "COUNT") && p.toks[p.i+1].text == "(":
		return p.count()
	case t.kind == tIdent && strings.EqualFold(t.text, "FIELDS") && p.toks[p.i+1].text == "(":
		return p.fieldsGroup()
	case t.kind == tPunct && t.text == "(":
		return p.subquery()
	case t.kind != tIdent || strings.EqualFold(t.text, "FROM"):
		return p.fail()
	}
	f, err := p.fieldPath()
	if err != nil {
		return err
	}
	p.q.fields = append(p.q.fields, f)
	return nil
}

// count parses COUNT() or COUNT(field) [alias].
func (p *parser) count() *Error {
	p.i += 2 // COUNT (
	if p.acceptPunct(")") {
		if q := p.q; q.aggregate != nil || len(q.fields) > 0 || len(q.subqueries) > 0 {
			return p.failAt(p.toks[p.i-3])
		}
		p.q.count = true
		return nil
	}
	if p.q.aggregate != nil || p.q.count {
		return p.failAt(p.toks[p.i-2])
	}
	f, err := p.fieldPath()
	if err != nil {
		return err
	}
	if err := p.expectPunct(")"); err != nil {
		return err
	}
	p.q.aggregate = &f
	if t := p.peek(); t.kind == tIdent && !strings.EqualFold(t.text, "FROM") {
		p.q.aggAlias = p.next().text
	}
	return nil
}

// fieldsGroup parses FIELDS(ALL), FIELDS(STANDARD) or FIELDS(CUSTOM).
func (p *parser) fieldsGroup() *Error {
	pos := p.peek().pos
	p.i += 2 // FIELDS (
	g := p.peek()
	group := strings.ToUpper(g.text)
	if g.kind != tIdent || (group != "ALL" && group != "STANDARD" && group != "CUSTOM") {
		return p.fail()
	}
	p.i++
	if err := p.expectPunct(")"); err != nil {
		return err
	}
	p.q.fields = append(p.q.fields, fieldRef{pos: pos, group: group})
	return nil
}

// subquery skips a parent-child subquery, remembering the relationship name
// after its FROM so that Run can refuse it the way Salesforce refuses an
// unknown relationship.
func (p *parser) subquery() *Error {
	open := p.next()
	if !p.kw("SELECT") {
		return p.fail()
	}
	depth, rel := 1, name{}
	for depth > 0 {
		t := p.next()
		switch {
		case t.kind == tEOF:
			return p.failAt(t)
		case t.text == "(":
			depth++
		case t.text == ")":
			depth--
		case depth == 1 && rel.text == "" && t.kind == tIdent && strings.EqualFold(t.text, "FROM"):
			if n := p.peek(); n.kind == tIdent {
				rel = name{text: n.text, pos: n.pos}
			}
		}
	}
	if rel.text == "" {
		return p.failAt(open)
	}
	p.q.subqueries = append(p.q.subqueries, rel)
	return nil
}

func (p *parser) fieldPath() (fieldRef, *Error) {
	t := p.peek()
	if t.kind != tIdent {
		return fieldRef{}, p.fail()
	}
	f := fieldRef{pos: t.pos}
	for {
		f.path = append(f.path, p.next().text)
		if !p.punct(".") {
			return f, nil
		}
		p.i++
		if p.peek().kind != tIdent {
			return fieldRef{}, p.fail()
		}
	}
}

// clauseKeywords may not be used as an object alias.
var clauseKeywords = []string{"WHERE", "ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING", "WITH", "FOR", "USING", "UPDATE"}

func (p *parser) from() *Error {
	if err := p.expectKw("FROM"); err != nil {
		return err
	}
	t := p.peek()
	if t.kind != tIdent {
		return p.fail()
	}
	p.i++
	p.q.object = name{text: t.text, pos: t.pos}
	if a := p.peek(); a.kind == tIdent {
		for _, k := range clauseKeywords {
			if strings.EqualFold(a.text, k) {
				return nil
			}
		}
		p.q.alias = p.next().text
	}
	return nil
}

func (p *parser) orderBy() *Error {
	if !p.acceptKw("ORDER") {
		return nil
	}
	if err := p.expectKw("BY"); err != nil {
		return err
	}
	for {
		f, err := p.fieldPath()
		if err != nil {
			return err
		}
		o := orderItem{field: f}
		if p.acceptKw("DESC") {
			o.desc = true
		} else {
			p.acceptKw("ASC")
		}
		o.nullsFirst = !o.desc
		if p.acceptKw("NULLS") {
			o.nullsSet = true
			switch {
			case p.acceptKw("FIRST"):
				o.nullsFirst = true
			case p.acceptKw("LAST"):
				o.nullsFirst = false
			default:
				return p.fail()
			}
		}
		p.q.order = append(p.q.order, o)
		if !p.acceptPunct(",") {
			return nil
		}
	}
}

func (p *parser) limitOffset() *Error {
	if p.acceptKw("LIMIT") {
		n, err := p.count32()
		if err != nil {
			return err
		}
		p.q.limit = n
	}
	if p.kw("OFFSET") {
		p.q.offPos = p.next().pos
		n, err := p.count32()
		if err != nil {
			return err
		}
		p.q.offset = n
	}
	return nil
}

// count32 parses a non-negative integer that fits in 31 bits.
func (p *parser) count32() (int, *Error) {
	t := p.peek()
	if t.kind != tNumber || !isDigit(t.text[0]) {
		return 0, p.fail()
	}
	n, err := strconv.ParseInt(t.text, 10, 32)
	if err != nil {
		return 0, p.fail()
	}
	p.i++
	return int(n), nil
}
