package sftest

import (
	"strings"

	"github.com/cytechint/sfjwt/sfclient/sftest/internal/soql"
)

// apexType maps a describe type to the apexType of query column metadata.
func apexType(typ string) string {
	switch typ {
	case typeID, typeReference:
		return "Id"
	case typeBoolean:
		return "Boolean"
	case typeInt:
		return "Integer"
	case typeDouble:
		return "Double"
	case typeCurrency:
		return "Decimal"
	case typeDate:
		return "Date"
	case typeDateTime:
		return "Datetime"
	case typeBase64:
		return "Blob"
	}
	return "String"
}

// columnMetadata answers a query sent with &columns=true (the sf CLI does this to build its
// table): one entry per selected column, in SELECT order.
func columnMetadata(o *sobject, q *soql.Query, res *soql.Result) orderedObject {
	cols := make([]orderedObject, 0, len(res.Fields))
	idSelected := false
	for _, name := range res.Fields {
		f := o.field(name)
		if f == nil || res.Aggregate {
			cols = append(cols, column(name, aggregateLabel(q), "Integer", true, false, false))
			continue
		}
		idSelected = idSelected || f.Name == "Id"
		cols = append(cols, column(f.Name, f.Name, apexType(f.Type), false, f.Createable, f.Updateable))
	}
	return orderedObject{
		{"columnMetadata", cols}, {"entityName", o.Name}, {"groupBy", false},
		{"idSelected", idSelected}, {"keyPrefix", o.KeyPrefix},
	}
}

func column(name, display, apex string, aggregate, insertable, updatable bool, join ...orderedObject) orderedObject {
	joins := any([]any{})
	if len(join) > 0 {
		joins = join
	}
	return orderedObject{
		{"aggregate", aggregate}, {"apexType", apex}, {"booleanType", apex == "Boolean"},
		{"columnName", name}, {"custom", strings.HasSuffix(name, "__c")}, {"displayName", display},
		{"foreignKeyName", nil}, {"insertable", insertable}, {"joinColumns", joins},
		{"numberType", apex == "Integer" || apex == "Double" || apex == "Decimal"},
		{"textType", apex == "String"}, {"updatable", updatable},
	}
}

// relColumnMetadata answers &columns=true for a query with relationship fields: a
// relationship is one column whose joinColumns are the parent's fields. Caller holds mu.
func (s *Server) relColumnMetadata(o *sobject, p *relPlan, res *soql.Result) orderedObject {
	var cols []orderedObject
	next, idSelected := 0, false
	done := map[string]bool{}
	for _, it := range p.items {
		if it.path == nil {
			if next < len(res.Fields) {
				f := o.field(res.Fields[next])
				idSelected = idSelected || f.Name == "Id"
				cols = append(cols, column(f.Name, f.Name, apexType(f.Type), false, f.Createable, f.Updateable))
			}
			next++
			continue
		}
		if done[strings.ToLower(it.path[0])] {
			continue
		}
		done[strings.ToLower(it.path[0])] = true
		rf := relationshipField(o, it.path[0])
		target := s.object(rf.ReferenceTo[0])
		var joins []orderedObject
		for _, other := range p.items {
			if len(other.path) == 2 && strings.EqualFold(other.path[0], it.path[0]) {
				if f := target.field(other.path[1]); f != nil {
					joins = append(joins, column(f.Name, f.Name, apexType(f.Type), false, false, false))
				}
			}
		}
		rel := relationshipName(rf)
		cols = append(cols, column(rel, rel, target.Name, false, false, false, joins...))
	}
	return orderedObject{
		{"columnMetadata", cols}, {"entityName", o.Name}, {"groupBy", false},
		{"idSelected", idSelected}, {"keyPrefix", o.KeyPrefix},
	}
}

// aggregateLabel returns the COUNT(…) item of q's SELECT list, as the column's display name.
func aggregateLabel(q *soql.Query) string {
	text := strings.TrimPrefix(q.String(), "SELECT ")
	if i := strings.Index(text, ")"); i >= 0 {
		return text[:i+1]
	}
	return "COUNT()"
}
