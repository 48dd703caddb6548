package sftest

import (
	"net/http"
	"strings"

	"github.com/cytechint/sfjwt/sfclient/sftest/internal/soql"
)

// Parent relationship fields in the SELECT list (Owner.Name, CreatedBy.Username,
// Account.Owner.Email) are answered here, around the SOQL engine, which knows no
// relationships: the query is run without them (plus Id), and each row's references are then
// followed to the parent rows. Relationships in WHERE or ORDER BY are still refused by the
// engine with Salesforce's "Didn't understand relationship" error.

// selectItem is one item of the SELECT list: a plain field, or a relationship path.
type selectItem struct {
	text string
	path []string // relationship path: relationship names, then the field; nil for a plain item
}

// relPlan is a query with relationship fields taken out of its SELECT list.
type relPlan struct {
	items   []selectItem
	query   *soql.Query // the query without relationship items
	addedID bool        // Id was added to map rows back
}

// planRelationships returns the plan for a query whose SELECT list has parent relationship
// fields, or nil when it has none (or uses constructs this rewrite does not handle).
func planRelationships(q *soql.Query, text string) *relPlan {
	canon := q.String()
	selectPart, rest, ok := strings.Cut(strings.TrimPrefix(canon, "SELECT "), " FROM ")
	if !ok || strings.Contains(selectPart, "(") || strings.Contains(strings.ToLower(text), "fields(") {
		return nil
	}
	object, alias := strings.Fields(rest)[0], aliasOf(rest)
	p := &relPlan{}
	var plain []string
	hasID := false
	for _, it := range strings.Split(selectPart, ", ") {
		path := strings.Split(it, ".")
		if len(path) > 1 && (strings.EqualFold(path[0], object) || (alias != "" && strings.EqualFold(path[0], alias))) {
			path = path[1:]
		}
		if len(path) == 1 {
			plain = append(plain, path[0])
			hasID = hasID || strings.EqualFold(path[0], "Id")
			p.items = append(p.items, selectItem{text: path[0]})
			continue
		}
		p.items = append(p.items, selectItem{text: it, path: path})
	}
	if len(plain) == len(p.items) {
		return nil
	}
	if !hasID {
		plain, p.addedID = append(plain, "Id"), true
	}
	rq, err := soql.Parse("SELECT " + strings.Join(plain, ", ") + " FROM " + rest)
	if err != nil {
		return nil
	}
	p.query = rq
	return p
}

// aliasOf returns the alias after the object name in the FROM part of a canonical query.
func aliasOf(rest string) string {
	f := strings.Fields(rest)
	if len(f) > 1 && !isKeyword(f[1]) {
		return f[1]
	}
	return ""
}

func isKeyword(w string) bool {
	switch strings.ToUpper(w) {
	case "WHERE", "ORDER", "LIMIT", "OFFSET", "GROUP", "WITH", "USING", "FOR":
		return true
	}
	return false
}

// check verifies every relationship path of the plan against the schema. Caller holds mu.
func (s *Server) checkRelationships(o *sobject, p *relPlan) *apiError {
	for _, it := range p.items {
		if it.path == nil {
			continue
		}
		cur := o
		for _, rel := range it.path[:len(it.path)-1] {
			f := relationshipField(cur, rel)
			if f == nil || len(f.ReferenceTo) == 0 || s.object(f.ReferenceTo[0]) == nil {
				return newAPIError(http.StatusBadRequest, "INVALID_FIELD", "Didn't understand relationship '"+rel+
					"' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.")
			}
			cur = s.object(f.ReferenceTo[0])
		}
		if last := it.path[len(it.path)-1]; cur.field(last) == nil {
			return newAPIError(http.StatusBadRequest, "INVALID_FIELD", noSuchColumnText(last, cur.Name))
		}
	}
	return nil
}

// relationshipField returns the reference field behind relationship name rel of o:
// Owner → OwnerId, Parent__r → Parent__c.
func relationshipField(o *sobject, rel string) *fieldDef {
	name := rel + "Id"
	if base, ok := strings.CutSuffix(rel, "__r"); ok {
		name = base + "__c"
	}
	f := o.field(name)
	if f == nil || f.Type != typeReference {
		return nil
	}
	return f
}

// relationshipName is the relationship of reference field f: OwnerId → Owner,
// Parent__c → Parent__r.
func relationshipName(f *fieldDef) string {
	if base, ok := strings.CutSuffix(f.Name, "__c"); ok {
		return base + "__r"
	}
	return strings.TrimSuffix(f.Name, "Id")
}

// renderWithRelationships renders a row for a plan: plain fields from fields (the canonical
// names of the rewritten query, in order), relationship groups as nested records at the
// position of their first item. Caller holds mu.
func (s *Server) renderWithRelationships(o *sobject, p *relPlan, fields []string, rw *row, version string) orderedObject {
	out := orderedObject{{"attributes", orderedObject{
		{"type", o.Name}, {"url", "/services/data/v" + version + "/sobjects/" + o.Name + "/" + rw.id()},
	}}}
	next := 0
	done := map[string]bool{}
	for _, it := range p.items {
		if it.path == nil {
			if next < len(fields) {
				f := o.field(fields[next])
				out = append(out, kv{f.Name, s.fieldJSON(o, rw, f, version)})
			}
			next++
			continue
		}
		relKey := strings.ToLower(it.path[0])
		if done[relKey] {
			continue
		}
		done[relKey] = true
		var group [][]string
		for _, other := range p.items {
			if other.path != nil && strings.EqualFold(other.path[0], it.path[0]) {
				group = append(group, other.path)
			}
		}
		name, val := s.parentJSON(o, rw, group, version)
		out = append(out, kv{name, val})
	}
	return out
}

// parentJSON follows relationship paths[i][0] from rw and renders the parent record with the
// rest of each path, or null when the reference is empty. Caller holds mu.
func (s *Server) parentJSON(o *sobject, rw *row, paths [][]string, version string) (string, any) {
	f := relationshipField(o, paths[0][0])
	name := relationshipName(f)
	target := s.object(f.ReferenceTo[0])
	id, _ := rw.data[f.Name].(string)
	parent := target.byID[id]
	if parent == nil {
		return name, nil
	}
	out := orderedObject{{"attributes", orderedObject{
		{"type", target.Name}, {"url", "/services/data/v" + version + "/sobjects/" + target.Name + "/" + id},
	}}}
	done := map[string]bool{}
	for _, p := range paths {
		rest := p[1:]
		if len(rest) == 1 {
			pf := target.field(rest[0])
			out = append(out, kv{pf.Name, s.fieldJSON(target, parent, pf, version)})
			continue
		}
		key := strings.ToLower(rest[0])
		if done[key] {
			continue
		}
		done[key] = true
		var sub [][]string
		for _, q := range paths {
			if len(q) > 2 && strings.EqualFold(q[1], rest[0]) {
				sub = append(sub, q[1:])
			}
		}
		n, v := s.parentJSON(target, parent, sub, version)
		out = append(out, kv{n, v})
	}
	return name, out
}
