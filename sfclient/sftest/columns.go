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

func column(name, display, apex string, aggregate, insertable, updatable bool) orderedObject {
	return orderedObject{
		{"aggregate", aggregate}, {"apexType", apex}, {"booleanType", apex == "Boolean"},
		{"columnName", name}, {"custom", strings.HasSuffix(name, "__c")}, {"displayName", display},
		{"foreignKeyName", nil}, {"insertable", insertable}, {"joinColumns", []any{}},
		{"numberType", apex == "Integer" || apex == "Double" || apex == "Decimal"},
		{"textType", apex == "String"}, {"updatable", updatable},
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
