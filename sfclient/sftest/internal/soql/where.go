package soql

import (
	"strconv"
	"strings"
)

// cond parses conditions joined by AND or by OR. Salesforce has no
// precedence between them: mixing both at one level without parentheses is
// "unexpected token: 'OR'" (Summer '24 release notes).
func (p *parser) cond() (node, *Error) { return p.nested(0) }

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

func (p *parser) termDepth(depth int) (node, *Error) {
	if depth > maxDepth {
		return nil, p.fail()
	}
	if p.acceptKw("NOT") {
		k, err := p.termDepth(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notNode{kid: k}, nil
	}
	if p.acceptPunct("(") {
		n, err := p.nested(depth + 1)
		if err != nil {
			return nil, err
		}
		return n, p.expectPunct(")")
	}
	return p.comparison()
}

// nested parses conditions joined by AND or by OR, at a nesting depth.
func (p *parser) nested(depth int) (node, *Error) {
	if depth > maxDepth {
		return nil, p.fail()
	}
	first, err := p.termDepth(depth)
	if err != nil {
		return nil, err
	}
	var n *boolNode
	for p.kw("AND") || p.kw("OR") {
		t := p.next()
		or := strings.EqualFold(t.text, "OR")
		if n == nil {
			n = &boolNode{or: or, kids: []node{first}}
		} else if n.or != or {
			return nil, p.failAt(t)
		}
		k, err := p.termDepth(depth)
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	if n == nil {
		return first, nil
	}
	return n, nil
}

var opByText = map[string]op{"=": opEq, "!=": opNe, "<>": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

func (p *parser) comparison() (node, *Error) {
	f, err := p.fieldPath()
	if err != nil {
		return nil, err
	}
	n := &cmpNode{field: f}
	t := p.peek()
	o, isOp := opByText[t.text]
	switch {
	case t.kind == tPunct && isOp:
		n.op = o
	case p.kw("LIKE"):
		n.op = opLike
	case p.kw("IN"):
		n.op = opIn
	case p.kw("NOT") && strings.EqualFold(p.toks[p.i+1].text, "IN"):
		n.op = opNotIn
		p.i++
	default:
		return nil, p.fail()
	}
	p.i++
	if n.op == opIn || n.op == opNotIn {
		n.vals, err = p.valueList(f)
	} else {
		var v literal
		v, err = p.value()
		n.vals = []literal{v}
	}
	if err != nil {
		return nil, err
	}
	if n.op == opLike && n.vals[0].kind == lNull {
		return nil, p.q.errAt(CodeMalformedQuery, n.vals[0].pos, unexpected(n.vals[0].raw))
	}
	return n, nil
}

// valueList parses ( value, … ). An empty list is refused with the text from
// the field to the ')' as the token, as the Summer '24 release notes show for
// "ParentId IN ()".
func (p *parser) valueList(f fieldRef) ([]literal, *Error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	if p.punct(")") {
		end := p.next().end
		return nil, p.q.errAt(CodeMalformedQuery, f.pos, unexpected(p.q.src[f.pos:end]))
	}
	var vals []literal
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
		if !p.acceptPunct(",") {
			break
		}
	}
	return vals, p.expectPunct(")")
}

// value parses one literal.
func (p *parser) value() (literal, *Error) {
	t := p.peek()
	l := literal{pos: t.pos, raw: t.text}
	switch t.kind {
	case tString:
		l.kind = lString
	case tNumber:
		l.kind = lNumber
		if !strings.Contains(t.text, ".") {
			if i, err := strconv.ParseInt(t.text, 10, 64); err == nil {
				l.int, l.i = true, i
			}
		}
		l.num, _ = strconv.ParseFloat(t.text, 64)
	case tDate:
		return p.dateValue(t)
	case tIdent:
		return p.identValue(t)
	default:
		return l, p.fail()
	}
	p.i++
	return l, nil
}

// identValue parses true, false, null and date literals.
func (p *parser) identValue(t token) (literal, *Error) {
	l := literal{pos: t.pos, raw: t.text}
	up := strings.ToUpper(t.text)
	switch up {
	case "TRUE", "FALSE":
		l.kind, l.b = lBool, up == "TRUE"
	case "NULL":
		l.kind = lNull
	default:
		arg, ok := dateLiterals[up]
		if !ok {
			return l, p.fail()
		}
		l.kind, l.raw = lDateLit, up
		if arg {
			p.i++
			if err := p.expectPunct(":"); err != nil {
				return l, err
			}
			n := p.peek()
			v, err := strconv.ParseInt(n.text, 10, 32)
			if n.kind != tNumber || !isDigit(n.text[0]) || err != nil {
				return l, p.fail()
			}
			l.n, l.raw = int(v), up+":"+n.text
		}
	}
	p.i++
	return l, nil
}

// dateValue validates a date or datetime token. Invalid ones are refused with
// "Invalid date: …" / "Invalid datetime: …" (Summer '24 release notes).
func (p *parser) dateValue(t token) (literal, *Error) {
	l := literal{pos: t.pos, raw: t.text}
	if len(t.text) == len("2006-01-02") {
		d, ok := parseDate(t.text)
		if !ok {
			return l, p.q.errAt(CodeMalformedQuery, t.pos, "Invalid date: "+t.text)
		}
		l.kind, l.t = lDate, d
	} else {
		d, ok := parseDateTime(t.text)
		if !ok {
			return l, p.q.errAt(CodeMalformedQuery, t.pos, "Invalid datetime: "+t.text)
		}
		l.kind, l.t = lDateTime, d
	}
	p.i++
	return l, nil
}
