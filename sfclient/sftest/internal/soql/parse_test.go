package soql

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseAccessors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q             string
		object        string
		count         bool
		limit, offset int
	}{
		{"SELECT Id FROM ScratchOrgInfo limit 1", "ScratchOrgInfo", false, 1, -1},
		{"SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization", "Organization", false, -1, -1},
		{"select count() from eventlogfile offset 10", "eventlogfile", true, -1, 10},
		{"SELECT Id FROM Account a LIMIT 0 OFFSET 0", "Account", false, 0, 0},
	} {
		q, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		if q.Object() != tc.object || q.IsCount() != tc.count || q.Limit() != tc.limit || q.Offset() != tc.offset {
			t.Errorf("Parse(%q) = object %q count %v limit %d offset %d, want %q %v %d %d", tc.q,
				q.Object(), q.IsCount(), q.Limit(), q.Offset(), tc.object, tc.count, tc.limit, tc.offset)
		}
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ q, want string }{
		{"select id,name from account where name like 'a%' and (x=1 or y != null) order by name desc nulls first, id limit 5 offset 2",
			"SELECT id, name FROM account WHERE name LIKE 'a%' AND (x = 1 OR y != null) ORDER BY name DESC NULLS FIRST, id LIMIT 5 OFFSET 2"},
		{"SELECT COUNT() FROM Account WHERE NOT (a IN (1, 2)) AND b NOT IN ('x')",
			"SELECT COUNT() FROM Account WHERE NOT a IN (1, 2) AND b NOT IN ('x')"},
		{"SELECT count(Id) n FROM Account a WHERE CreatedDate = last_n_days:7 AND d <> 2026-01-31T10:00:00.5+01:00",
			"SELECT COUNT(Id) n FROM Account a WHERE CreatedDate = LAST_N_DAYS:7 AND d != 2026-01-31T10:00:00.5+01:00"},
		{"SELECT Id FROM Account WHERE NOT NOT a = TRUE", "SELECT Id FROM Account WHERE NOT NOT a = TRUE"},
	} {
		q, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		if got := q.String(); got != tc.want {
			t.Errorf("String()\n got: %s\nwant: %s", got, tc.want)
		}
	}
}

// allQueries are every query the table tests use, as fuzz seeds.
func allQueries() []string {
	var qs []string
	for _, tc := range runCases {
		qs = append(qs, tc.q)
	}
	for _, tc := range errorCases {
		qs = append(qs, tc.q)
	}
	return qs
}

func TestStringRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range allQueries() {
		checkParse(t, s)
	}
}

// checkParse asserts what must hold for any input: Parse fails only with a
// MALFORMED_QUERY *Error; a parsed query's String() parses to the same
// String(); Run fails only with an *Error.
func checkParse(t *testing.T, s string) {
	q, err := Parse(s)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeMalformedQuery || e.Message == "" {
			t.Fatalf("Parse(%q) error = %#v, want a MALFORMED_QUERY *Error", s, err)
		}
		return
	}
	s1 := q.String()
	q2, err := Parse(s1)
	if err != nil {
		t.Fatalf("Parse(%q) ok but its String() %q fails: %v", s, s1, err)
	}
	if s2 := q2.String(); s2 != s1 {
		t.Fatalf("String() not stable for %q:\n%s\n%s", s, s1, s2)
	}
	if _, err := q.Run(testAccount(), testRows(), RunOptions{Now: testNow}); err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Code == "" || e.Message == "" {
			t.Fatalf("Run(%q) error = %#v, want an *Error", s, err)
		}
	}
	_ = q.UnknownObject()
}

func FuzzParse(f *testing.F) {
	for _, s := range allQueries() {
		f.Add(s)
	}
	f.Add("SELECT Id FROM Account WHERE " + strings.Repeat("(", 300) + "a = 1" + strings.Repeat(")", 300))
	f.Add("SELECT Id FROM Account WHERE Name LIKE '%\\%\\_\\\\_%' ORDER BY CreatedDate DESC NULLS LAST")
	f.Fuzz(func(t *testing.T, s string) {
		checkParse(t, s)
	})
}

func TestDeepNestingIsRefused(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"SELECT Id FROM Account WHERE " + strings.Repeat("(", 1000) + "Name = 'x'" + strings.Repeat(")", 1000),
		"SELECT Id FROM Account WHERE " + strings.Repeat("NOT ", 1000) + "Name = 'x'",
	} {
		_, err := Parse(s)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeMalformedQuery {
			t.Errorf("Parse(deeply nested) error = %v, want MALFORMED_QUERY", err)
		}
	}
}

func TestTooLong(t *testing.T) {
	t.Parallel()
	_, err := Parse("SELECT Id FROM Account WHERE Name = '" + strings.Repeat("x", maxQueryLen) + "'")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeMalformedQuery || e.Message != "SOQL statements cannot be longer than 100,000 characters." {
		t.Errorf("Parse(too long) error = %v", err)
	}
}

func TestZeroRunOptions(t *testing.T) {
	t.Parallel()
	q, _ := Parse("SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:36500")
	res, err := q.Run(testAccount(), []Row{{"Name": "now", "CreatedDate": time.Now().Add(-time.Hour)}}, RunOptions{})
	if err != nil || names(res.Rows) != "now" {
		t.Errorf("Run with zero options = %v, %v; want the row created an hour ago (now = time.Now(), UTC)", res, err)
	}
}
