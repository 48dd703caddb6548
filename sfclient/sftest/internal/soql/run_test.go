package soql

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runCases are queries that succeed; want is the Name of each result row in
// order ("|"-joined), or the count for COUNT().
var runCases = []struct {
	name, q, want string
	fields        string // canonical Fields, ","-joined; checked when set
	loc           string // time zone for date literals; UTC when empty
}{
	{name: "all rows keep input order", q: "SELECT Id, Name FROM Account",
		want: "Acme|acme labs|Globex|50% Off_Shop|O'Brien & Co|Ünïcode GmbH|back\\slash", fields: "Id,Name"},
	{name: "lower-case keywords and names", q: "select id, NAME from account where name = 'acme' limit 1",
		want: "Acme", fields: "Id,Name"},
	{name: "mixed-case keywords, object prefix and alias", q: "SeLeCt a.Name, Account.Industry FrOm Account a WhErE a.Industry = 'TECH' oRdEr By Name",
		want: "Acme|acme labs|Ünïcode GmbH", fields: "Name,Industry"},
	{name: "string equality ignores case", q: "SELECT Name FROM Account WHERE Name = 'ACME LABS'", want: "acme labs"},
	{name: "not equal includes nulls", q: "SELECT Name FROM Account WHERE Industry != 'Tech'",
		want: "Globex|50% Off_Shop|O'Brien & Co|back\\slash"},
	{name: "<> is not equal", q: "SELECT Name FROM Account WHERE Industry <> 'Retail' AND Industry <> 'Tech'",
		want: "Globex|back\\slash"},
	{name: "empty string is null", q: "SELECT Name FROM Account WHERE Industry = null", want: "Globex|back\\slash"},
	{name: "!= null", q: "SELECT Name FROM Account WHERE AnnualRevenue != null ORDER BY AnnualRevenue",
		want: "50% Off_Shop|back\\slash|Acme|Globex"},
	{name: "integer comparisons", q: "SELECT Name FROM Account WHERE NumberOfEmployees >= 100 AND NumberOfEmployees < 5000",
		want: "Acme|Ünïcode GmbH"},
	{name: "negative and decimal numbers", q: "SELECT Name FROM Account WHERE NumberOfEmployees <= -3 OR AnnualRevenue > 12.2",
		want: "Acme|Globex|back\\slash"},
	{name: "decimal literal against int field", q: "SELECT Name FROM Account WHERE NumberOfEmployees > 6.5 AND NumberOfEmployees < 20.5",
		want: "acme labs|O'Brien & Co"},
	{name: "boolean", q: "SELECT Name FROM Account WHERE IsDeleted = TRUE", want: "O'Brien & Co"},
	{name: "boolean false", q: "SELECT Name FROM Account WHERE IsDeleted = false AND NumberOfEmployees = 100", want: "Acme|Ünïcode GmbH"},
	{name: "IN", q: "SELECT Name FROM Account WHERE Name IN ('globex', 'Acme', 'nope')", want: "Acme|Globex"},
	{name: "NOT IN includes nulls", q: "SELECT Name FROM Account WHERE Industry NOT IN ('Tech')",
		want: "Globex|50% Off_Shop|O'Brien & Co|back\\slash"},
	{name: "IN with numbers", q: "SELECT Name FROM Account WHERE NumberOfEmployees IN (7, 20)", want: "acme labs|O'Brien & Co"},
	{name: "NOT and parentheses", q: "SELECT Name FROM Account WHERE NOT (Industry = 'Tech' OR Industry = 'Retail') AND NumberOfEmployees > 0",
		want: "Globex"},
	{name: "NOT before a comparison", q: "SELECT Name FROM Account WHERE NOT Name LIKE 'a%'",
		want: "Globex|50% Off_Shop|O'Brien & Co|Ünïcode GmbH|back\\slash"},
	{name: "nested parentheses", q: "SELECT Name FROM Account WHERE ((Name = 'Acme') OR (Industry = 'Retail' AND (IsDeleted = true)))",
		want: "Acme|O'Brien & Co"},
	{name: "LIKE prefix ignores case", q: "SELECT Name FROM Account WHERE Name LIKE 'ACME%'", want: "Acme|acme labs"},
	{name: "LIKE underscore is one character", q: "SELECT Name FROM Account WHERE Name LIKE 'Ac_e'", want: "Acme"},
	{name: "LIKE underscore matches a non-ASCII character", q: "SELECT Name FROM Account WHERE Name LIKE '_N_CODE%'", want: "Ünïcode GmbH"},
	{name: "LIKE contains", q: "SELECT Name FROM Account WHERE Name LIKE '%e%' ORDER BY Name DESC",
		want: "Ünïcode GmbH|O'Brien & Co|Globex|acme labs|Acme"},
	{name: "LIKE escaped percent and underscore", q: `SELECT Name FROM Account WHERE Name LIKE '50\% Off\_%'`, want: "50% Off_Shop"},
	{name: "LIKE escaped percent is not a wildcard", q: `SELECT Name FROM Account WHERE Name LIKE '5\%'`, want: ""},
	{name: "LIKE without wildcard is equality", q: "SELECT Name FROM Account WHERE Name LIKE 'globex'", want: "Globex"},
	{name: "LIKE only % matches all non-null", q: "SELECT Name FROM Account WHERE Industry LIKE '%'",
		want: "Acme|acme labs|50% Off_Shop|O'Brien & Co|Ünïcode GmbH"},
	{name: "escaped quote", q: `SELECT Name FROM Account WHERE Name = 'O\'Brien & Co'`, want: "O'Brien & Co"},
	{name: "escaped backslash", q: `SELECT Name FROM Account WHERE Name = 'back\\slash'`, want: `back\slash`},
	{name: "unicode escape", q: `SELECT Name FROM Account WHERE Name = '\u00dcn\u00EFcode GmbH'`, want: "Ünïcode GmbH"},
	{name: "15-character Id matches 18-character Id", q: "SELECT Name FROM Account WHERE Id = '001000000000003'", want: "Globex"},
	{name: "Id IN", q: "SELECT Name FROM Account WHERE Id IN ('001000000000001AAA', '001000000000004aaa')", want: "Acme|50% Off_Shop"},
	{name: "reference = null", q: "SELECT Name FROM Account WHERE OwnerId != null", want: "Acme"},
	{name: "datetime literal", q: "SELECT Name FROM Account WHERE CreatedDate >= 2026-03-17T23:30:00Z", want: "Acme|acme labs|Ünïcode GmbH"},
	{name: "datetime literal with offset and fraction", q: "SELECT Name FROM Account WHERE CreatedDate = 2026-03-01T09:00:00.000+01:00",
		want: "back\\slash"},
	{name: "datetime offset without colon, lower-case t", q: "SELECT Name FROM Account WHERE CreatedDate <= 2026-01-01t00:59:59+0100",
		want: "O'Brien & Co"},
	{name: "date literal", q: "SELECT Name FROM Account WHERE LastActivityDate > 2026-03-01 AND LastActivityDate <= 2026-03-18",
		want: "Acme|acme labs"},
	{name: "TODAY on datetime", q: "SELECT Name FROM Account WHERE CreatedDate = TODAY", want: "Acme"},
	{name: "TODAY in Los Angeles", q: "SELECT Name FROM Account WHERE CreatedDate = TODAY", loc: "America/Los_Angeles",
		want: "Acme|Ünïcode GmbH"},
	{name: "TODAY in Tokyo", q: "SELECT Name FROM Account WHERE CreatedDate = TODAY", loc: "Asia/Tokyo",
		want: "Acme|acme labs"},
	{name: "YESTERDAY on date", q: "SELECT Name FROM Account WHERE LastActivityDate = yesterday", want: "acme labs"},
	{name: "TOMORROW", q: "SELECT Name FROM Account WHERE CreatedDate = TOMORROW", want: "Ünïcode GmbH"},
	{name: "before TODAY", q: "SELECT Name FROM Account WHERE LastActivityDate < TODAY ORDER BY LastActivityDate",
		want: "O'Brien & Co|Globex|back\\slash|acme labs"},
	{name: "after TODAY", q: "SELECT Name FROM Account WHERE CreatedDate > TODAY", want: "Ünïcode GmbH"},
	{name: "LAST_N_DAYS includes today", q: "SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:1", want: "Acme|acme labs"},
	{name: "LAST_N_DAYS:30 on date", q: "SELECT Name FROM Account WHERE LastActivityDate = LAST_N_DAYS:30", want: "Acme|acme labs|back\\slash"},
	{name: "NEXT_N_DAYS starts tomorrow", q: "SELECT Name FROM Account WHERE LastActivityDate = NEXT_N_DAYS:2", want: "Ünïcode GmbH"},
	{name: "N_DAYS_AGO", q: "SELECT Name FROM Account WHERE LastActivityDate = N_DAYS_AGO:36", want: "Globex"},
	{name: "THIS_MONTH", q: "SELECT Name FROM Account WHERE LastActivityDate = THIS_MONTH", want: "Acme|acme labs|Ünïcode GmbH|back\\slash"},
	{name: "LAST_MONTH", q: "SELECT Name FROM Account WHERE CreatedDate = LAST_MONTH", want: "Globex"},
	{name: "THIS_WEEK starts Sunday", q: "SELECT Name FROM Account WHERE LastActivityDate = THIS_WEEK", want: "Acme|acme labs|Ünïcode GmbH"},
	{name: "LAST_YEAR", q: "SELECT Name FROM Account WHERE CreatedDate = LAST_YEAR", want: "O'Brien & Co"},
	{name: "IN with date literals", q: "SELECT Name FROM Account WHERE LastActivityDate IN (TODAY, YESTERDAY)", want: "Acme|acme labs"},
	{name: "ORDER BY default ASC NULLS FIRST", q: "SELECT Name FROM Account ORDER BY Industry, Name",
		want: "back\\slash|Globex|50% Off_Shop|O'Brien & Co|Acme|acme labs|Ünïcode GmbH"},
	{name: "ORDER BY DESC defaults to NULLS LAST", q: "SELECT Name FROM Account ORDER BY NumberOfEmployees DESC, Name",
		want: "Globex|Acme|Ünïcode GmbH|acme labs|O'Brien & Co|back\\slash|50% Off_Shop"},
	{name: "ORDER BY ASC NULLS LAST", q: "SELECT Name FROM Account ORDER BY AnnualRevenue ASC NULLS LAST, Name DESC",
		want: "50% Off_Shop|back\\slash|Acme|Globex|Ünïcode GmbH|O'Brien & Co|acme labs"},
	{name: "ORDER BY DESC NULLS FIRST", q: "SELECT Name FROM Account ORDER BY LastActivityDate DESC NULLS FIRST",
		want: "50% Off_Shop|Ünïcode GmbH|Acme|acme labs|back\\slash|Globex|O'Brien & Co"},
	{name: "ORDER BY text ignores case", q: "SELECT Name FROM Account WHERE Name LIKE 'a%' ORDER BY Name DESC", want: "acme labs|Acme"},
	{name: "ORDER BY boolean then datetime", q: "SELECT Name FROM Account ORDER BY IsDeleted DESC, CreatedDate LIMIT 3",
		want: "O'Brien & Co|50% Off_Shop|Globex"},
	{name: "LIMIT and OFFSET", q: "SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1", want: "Acme|acme labs"},
	{name: "OFFSET past the end", q: "SELECT Name FROM Account OFFSET 2000", want: ""},
	{name: "LIMIT 0", q: "SELECT Name FROM Account LIMIT 0", want: ""},
	{name: "COUNT()", q: "SELECT COUNT() FROM Account WHERE Industry = 'Tech'", want: "3"},
	{name: "COUNT() with LIMIT", q: "select count() from Account limit 2", want: "2"},
	{name: "FIELDS(STANDARD) needs no LIMIT", q: "SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'", want: "Acme",
		fields: "Id,Name,Industry,NumberOfEmployees,AnnualRevenue,IsDeleted,CreatedDate,LastActivityDate,OwnerId,Description"},
	{name: "FIELDS(ALL) with LIMIT 200", q: "select fields(all) from Account limit 200", want: "Acme|acme labs|Globex|50% Off_Shop|O'Brien & Co|Ünïcode GmbH|back\\slash"},
	{name: "FIELDS(ALL) bounded by Ids", q: "SELECT FIELDS(ALL) FROM Account WHERE Id = '001000000000002AAA' OR Id IN ('001000000000003AAA')", want: "acme labs|Globex"},
	{name: "FIELDS(CUSTOM) next to a field", q: "SELECT Name, FIELDS(CUSTOM) FROM Account WHERE Name = 'Globex' LIMIT 200", want: "Globex", fields: "Name"},
	{name: "multi-line query", q: "SELECT Name\nFROM Account\r\nWHERE Name = 'Globex'\n", want: "Globex"},
}

func TestRun(t *testing.T) {
	t.Parallel()
	for _, tc := range runCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(tc.q)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.q, err)
			}
			opts := RunOptions{Now: testNow}
			if tc.loc != "" {
				opts.Location, err = time.LoadLocation(tc.loc)
				if err != nil {
					t.Skipf("time zone database: %v", err)
				}
			}
			res, err := q.Run(testAccount(), testRows(), opts)
			if err != nil {
				t.Fatalf("Run(%q): %v", tc.q, err)
			}
			got := names(res.Rows)
			if q.IsCount() {
				if len(res.Rows) != 0 {
					t.Errorf("COUNT() returned %d rows, want none", len(res.Rows))
				}
				got = strconv.Itoa(res.TotalSize)
			} else if res.TotalSize != len(res.Rows) {
				t.Errorf("TotalSize = %d, want %d", res.TotalSize, len(res.Rows))
			}
			if got != tc.want {
				t.Errorf("%s\n got: %s\nwant: %s", tc.q, got, tc.want)
			}
			if f := strings.Join(res.Fields, ","); tc.fields != "" && f != tc.fields {
				t.Errorf("Fields = %s, want %s", f, tc.fields)
			}
		})
	}
}

func TestRunCountField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ q, key string }{
		{"SELECT COUNT(Industry) FROM Account", "expr0"},
		{"SELECT count(industry) n FROM Account", "n"},
	} {
		q, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		res, err := q.Run(testAccount(), testRows(), RunOptions{Now: testNow})
		if err != nil {
			t.Fatalf("Run(%q): %v", tc.q, err)
		}
		if !res.Aggregate || res.TotalSize != 1 || len(res.Rows) != 1 || res.Fields[0] != tc.key {
			t.Fatalf("Run(%q) = %+v, want one aggregate row keyed %s", tc.q, res, tc.key)
		}
		if got := res.Rows[0][tc.key]; got != int64(5) {
			t.Errorf("Run(%q) count = %v, want 5 (non-null Industry values)", tc.q, got)
		}
	}
}

func TestRunDoesNotCopyRows(t *testing.T) {
	t.Parallel()
	rows := testRows()
	q, _ := Parse("SELECT Name FROM Account WHERE Name = 'Globex'")
	res, err := q.Run(testAccount(), rows, RunOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	res.Rows[0]["Marker"] = true
	if rows[2]["Marker"] != true {
		t.Errorf("result row is a copy; want the input row itself")
	}
}

func TestRunErrorsAreTyped(t *testing.T) {
	t.Parallel()
	q, _ := Parse("SELECT Nope FROM Account")
	_, err := q.Run(testAccount(), nil, RunOptions{})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalidField {
		t.Fatalf("Run error = %v, want *Error with Code INVALID_FIELD", err)
	}
}

func TestRunMissingValues(t *testing.T) {
	t.Parallel()
	rows := []Row{{"Name": "no values"}, {"Name": "deleted", "IsDeleted": true}}
	for _, tc := range []struct{ q, want string }{
		{"SELECT Name FROM Account WHERE IsDeleted = false", "no values"},
		{"SELECT Name FROM Account WHERE IsDeleted = null", ""},
		{"SELECT Name FROM Account WHERE NumberOfEmployees = null AND CreatedDate = null AND LastActivityDate = null", "no values|deleted"},
		{"SELECT Name FROM Account WHERE NumberOfEmployees < 1 OR CreatedDate < TODAY OR LastActivityDate > 2000-01-01", ""},
		{"SELECT Name FROM Account ORDER BY IsDeleted DESC", "deleted|no values"},
	} {
		q, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		res, err := q.Run(testAccount(), rows, RunOptions{Now: testNow})
		if err != nil {
			t.Fatalf("Run(%q): %v", tc.q, err)
		}
		if got := names(res.Rows); got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.q, got, tc.want)
		}
	}
}

func TestRunConcurrently(t *testing.T) {
	t.Parallel()
	q, err := Parse("SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:90 ORDER BY Name DESC LIMIT 3")
	if err != nil {
		t.Fatal(err)
	}
	rows, obj := testRows(), testAccount()
	const want = "O'Brien & Co|Globex|back\\slash" // Ünïcode GmbH is created tomorrow
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			res, err := q.Run(obj, rows, RunOptions{Now: testNow})
			if err != nil {
				errs <- err.Error()
				return
			}
			errs <- names(res.Rows)
		}()
	}
	for range 8 {
		if got := <-errs; got != want {
			t.Errorf("concurrent Run = %s, want %s", got, want)
		}
	}
	if got := names(rows); got != names(testRows()) {
		t.Errorf("Run reordered its input: %s", got)
	}
}

func TestFoldCompare(t *testing.T) {
	t.Parallel()
	words := []string{"", "a", "A", "ab", "aB", "abc", "b", "Z", "[", "_", "é", "É", "ea", "Éb", "ü", "Über", "über", "zz", "\xff", "a\xffb"}
	sign := func(n int) int { return cmp3(n < 0, n > 0) }
	for _, a := range words {
		for _, b := range words {
			want := sign(strings.Compare(strings.ToLower(a), strings.ToLower(b)))
			if got := foldCompare(a, b); got != want {
				t.Errorf("foldCompare(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
