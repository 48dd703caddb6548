package soql

import (
	"fmt"
	"strings"
	"time"
)

// testNow is a Wednesday, 10:00 UTC.
var testNow = time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC)

func testAccount() *Object {
	return &Object{Name: "Account", Fields: []Field{
		{Name: "Id", Type: ID},
		{Name: "Name", Type: String},
		{Name: "Industry", Type: Picklist},
		{Name: "NumberOfEmployees", Type: Int},
		{Name: "AnnualRevenue", Type: Currency},
		{Name: "IsDeleted", Type: Boolean},
		{Name: "CreatedDate", Type: DateTime},
		{Name: "LastActivityDate", Type: Date},
		{Name: "OwnerId", Type: Reference},
		{Name: "Description", Type: TextArea},
	}}
}

func accID(n int) string { return fmt.Sprintf("001%012dAAA", n) }

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) time.Time { return ts(s + "T00:00:00Z") }

// testRows are the Account rows most tests query; Name identifies a row.
func testRows() []Row {
	return []Row{
		{"Id": accID(1), "Name": "Acme", "Industry": "Tech", "NumberOfEmployees": int64(100), "AnnualRevenue": 1.5e6,
			"IsDeleted": false, "CreatedDate": ts("2026-03-18T08:00:00Z"), "LastActivityDate": day("2026-03-18"), "OwnerId": "005000000000001AAA"},
		{"Id": accID(2), "Name": "acme labs", "Industry": "Tech", "NumberOfEmployees": int64(20), "AnnualRevenue": nil,
			"IsDeleted": false, "CreatedDate": ts("2026-03-17T23:30:00Z"), "LastActivityDate": day("2026-03-17")},
		{"Id": accID(3), "Name": "Globex", "Industry": nil, "NumberOfEmployees": int64(5000), "AnnualRevenue": 2.5e8,
			"IsDeleted": false, "CreatedDate": ts("2026-02-10T00:00:00Z"), "LastActivityDate": day("2026-02-10")},
		{"Id": accID(4), "Name": "50% Off_Shop", "Industry": "Retail", "AnnualRevenue": 0.0,
			"IsDeleted": false, "CreatedDate": ts("2026-01-05T12:00:00Z")},
		{"Id": accID(5), "Name": "O'Brien & Co", "Industry": "Retail", "NumberOfEmployees": int64(7),
			"IsDeleted": true, "CreatedDate": ts("2025-12-31T23:59:59Z"), "LastActivityDate": day("2025-12-31")},
		{"Id": accID(6), "Name": "Ünïcode GmbH", "Industry": "Tech", "NumberOfEmployees": int64(100),
			"IsDeleted": false, "CreatedDate": ts("2026-03-19T01:00:00Z"), "LastActivityDate": day("2026-03-19")},
		{"Id": accID(7), "Name": `back\slash`, "Industry": "", "NumberOfEmployees": int64(-3), "AnnualRevenue": 12.25,
			"IsDeleted": false, "CreatedDate": ts("2026-03-01T00:00:00-08:00"), "LastActivityDate": day("2026-03-01")},
	}
}

// names lists the Name of each row, "-" for none.
func names(rows []Row) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		s, ok := r["Name"].(string)
		if !ok {
			s = "-"
		}
		out[i] = s
	}
	return strings.Join(out, "|")
}
