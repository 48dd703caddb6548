package soql_test

import (
	"fmt"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest/internal/soql"
)

func Example() {
	account := &soql.Object{Name: "Account", Fields: []soql.Field{
		{Name: "Id", Type: soql.ID},
		{Name: "Name", Type: soql.String},
		{Name: "CreatedDate", Type: soql.DateTime},
	}}
	rows := []soql.Row{
		{"Id": "001000000000001AAA", "Name": "Acme", "CreatedDate": time.Date(2026, 1, 30, 9, 0, 0, 0, time.UTC)},
		{"Id": "001000000000002AAA", "Name": "Globex", "CreatedDate": time.Date(2026, 1, 31, 8, 0, 0, 0, time.UTC)},
		{"Id": "001000000000003AAA", "Name": "Initech", "CreatedDate": time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	q, err := soql.Parse("select name from ACCOUNT where CreatedDate = LAST_N_DAYS:7 order by name desc limit 10")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := q.Run(account, rows, soql.RunOptions{Now: time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Object(), res.Fields, res.TotalSize)
	for _, r := range res.Rows {
		fmt.Println(r["Name"])
	}

	q, _ = soql.Parse("SELECT Id, Nmae FROM Account")
	_, err = q.Run(account, rows, soql.RunOptions{})
	if e, ok := err.(*soql.Error); ok {
		fmt.Println(e.Code)
	}
	// Output:
	// ACCOUNT [Name] 2
	// Globex
	// Acme
	// INVALID_FIELD
}
