package sftest_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// page is a query response.
type page struct {
	TotalSize      int              `json:"totalSize"`
	Done           bool             `json:"done"`
	NextRecordsURL string           `json:"nextRecordsUrl"`
	Records        []map[string]any `json:"records"`
}

func queryPath(soql string) string {
	return "/services/data/v66.0/query?q=" + url.QueryEscape(soql)
}

// queryAllPages runs soql and follows nextRecordsUrl; it returns the pages.
func queryAllPages(t *testing.T, srv *sftest.Server, tok, path string, headers ...string) []page {
	t.Helper()
	var pages []page
	for path != "" {
		res := get(t, srv, tok, path, headers...)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
		var p page
		decode(t, res.body, &p)
		pages = append(pages, p)
		path = p.NextRecordsURL
		if len(pages) > 100 {
			t.Fatal("more than 100 pages")
		}
	}
	return pages
}

var locatorRE = regexp.MustCompile(`^/services/data/v66\.0/query/01g[0-9A-Za-z]{15}-\d+$`)

func TestQueryPagination(t *testing.T) {
	tests := []struct {
		name      string
		rows      int
		batch     string // Sforce-Query-Options
		wantPages []int
	}{
		{"0 rows", 0, "", []int{0}},
		{"1 row", 1, "", []int{1}},
		{"batch 200 exactly", 200, "batchSize=200", []int{200}},
		{"batch 200 plus one", 201, "batchSize=200", []int{200, 1}},
		{"batch below minimum is 200", 201, "batchSize=10", []int{200, 1}},
		{"default batch 2000 exactly", 2000, "", []int{2000}},
		{"default batch 2000 plus one", 2001, "", []int{2000, 1}},
		{"batch above maximum is 2000", 2001, "batchSize=5000", []int{2000, 1}},
		{"batch 500", 1100, "batchSize=500", []int{500, 500, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOrg(t, sftest.Config{NoSampleData: true})
			if _, err := srv.AddAccounts(tt.rows); err != nil {
				t.Fatal(err)
			}
			tok := login(t, srv)
			var headers []string
			if tt.batch != "" {
				headers = []string{"Sforce-Query-Options", tt.batch}
			}
			pages := queryAllPages(t, srv, tok, queryPath("SELECT Id, Name FROM Account ORDER BY Name"), headers...)
			if len(pages) != len(tt.wantPages) {
				t.Fatalf("got %d pages, want %d", len(pages), len(tt.wantPages))
			}
			seen := map[string]bool{}
			for i, p := range pages {
				last := i == len(pages)-1
				if len(p.Records) != tt.wantPages[i] || p.TotalSize != tt.rows || p.Done != last {
					t.Errorf("page %d: %d records, totalSize %d, done %v; want %d, %d, %v",
						i, len(p.Records), p.TotalSize, p.Done, tt.wantPages[i], tt.rows, last)
				}
				if !last && !locatorRE.MatchString(p.NextRecordsURL) {
					t.Errorf("page %d: nextRecordsUrl %q is not root-relative /services/data/v66.0/query/01g…-N", i, p.NextRecordsURL)
				}
				for _, r := range p.Records {
					id, _ := r["Id"].(string)
					if seen[id] {
						t.Errorf("record %s returned twice", id)
					}
					seen[id] = true
				}
			}
			if len(seen) != tt.rows {
				t.Errorf("got %d distinct records, want %d", len(seen), tt.rows)
			}
		})
	}
}

func TestQueryResults(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	ids, err := srv.AddRecords("Account", sftest.Record{"Name": "Acme", "NumberOfEmployees": 50},
		sftest.Record{"Name": "Globex", "NumberOfEmployees": 5})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	tests := []struct {
		name, path, want string
	}{
		{"fields in SELECT order, canonical case, attributes first",
			queryPath("select numberofemployees, name from account where name = 'acme'"),
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + ids[0] + `"},"NumberOfEmployees":50,"Name":"Acme"}]}`},
		{"trailing slash before ?q=",
			"/services/data/v66.0/query/?q=" + url.QueryEscape("SELECT Name FROM Account WHERE NumberOfEmployees < 10"),
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + ids[1] + `"},"Name":"Globex"}]}`},
		{"COUNT()", queryPath("SELECT COUNT() FROM Account"), `{"totalSize":2,"done":true,"records":[]}`},
		{"COUNT(Id)", queryPath("SELECT COUNT(Id) FROM Account"),
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"AggregateResult"},"expr0":2}]}`},
		{"no rows", queryPath("SELECT Id FROM Account WHERE Name = 'none'"), `{"totalSize":0,"done":true,"records":[]}`},
		{"no q", "/services/data/v66.0/query", `[{"message":"A query string has to be specified","errorCode":"MALFORMED_QUERY"}]`},
		{"bad locator", "/services/data/v66.0/query/01gXXXXXXXXXXXXXXX-2000",
			`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := get(t, srv, tok, tt.path); res.body != tt.want {
				t.Errorf("got %d %s\nwant %s", res.status, res.body, tt.want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	tests := []struct {
		name, soql, code, contains string
	}{
		{"malformed", "SELECT FROM Account", "MALFORMED_QUERY", "unexpected token"},
		{"unknown object", "SELECT Id FROM ScratchOrgInfo limit 1", "INVALID_TYPE", "sObject type 'ScratchOrgInfo' is not supported."},
		{"unknown field", "SELECT Bogus FROM Account", "INVALID_FIELD", "No such column 'Bogus' on entity 'Account'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, srv, tok, "/services/data/v51.0/query?q="+url.QueryEscape(tt.soql))
			var errs []struct{ Message, ErrorCode string }
			decode(t, res.body, &errs)
			if res.status != http.StatusBadRequest || len(errs) != 1 || errs[0].ErrorCode != tt.code || !strings.Contains(errs[0].Message, tt.contains) {
				t.Errorf("got %d %s, want 400 %s containing %q", res.status, res.body, tt.code, tt.contains)
			}
		})
	}
}

func TestQueryAllIncludesDeleted(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	ids, err := srv.AddAccounts(3)
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	if res := send(t, srv, http.MethodDelete, tok, "/services/data/v66.0/sobjects/Account/"+ids[0], ""); res.status != 204 {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	for _, tt := range []struct {
		resource string
		want     int
	}{{"query", 2}, {"queryAll", 3}} {
		res := get(t, srv, tok, "/services/data/v66.0/"+tt.resource+"?q="+url.QueryEscape("SELECT Id, IsDeleted FROM Account"))
		var p page
		decode(t, res.body, &p)
		if p.TotalSize != tt.want {
			t.Errorf("%s: totalSize %d, want %d", tt.resource, p.TotalSize, tt.want)
		}
	}
}

// TestQuerySFCLI answers the calls `sf org login jwt` and `sf data query` make.
func TestQuerySFCLI(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	res := get(t, srv, tok, queryPath("SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization"))
	want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Organization","url":"/services/data/v66.0/sobjects/Organization/` +
		srv.OrgID() + `"},"Name":"sftest Emulated Org","InstanceName":"EMU1","IsSandbox":false,"TrialExpirationDate":null,"NamespacePrefix":null,"OrganizationType":"Enterprise Edition"}]}`
	if res.body != want {
		t.Errorf("Organization query:\n got %s\nwant %s", res.body, want)
	}
	res = get(t, srv, tok, queryPath("SELECT Id, Name FROM Account")+"&columns=true")
	want = `{"columnMetadata":[` +
		`{"aggregate":false,"apexType":"Id","booleanType":false,"columnName":"Id","custom":false,"displayName":"Id","foreignKeyName":null,"insertable":false,"joinColumns":[],"numberType":false,"textType":false,"updatable":false},` +
		`{"aggregate":false,"apexType":"String","booleanType":false,"columnName":"Name","custom":false,"displayName":"Name","foreignKeyName":null,"insertable":true,"joinColumns":[],"numberType":false,"textType":true,"updatable":true}],` +
		`"entityName":"Account","groupBy":false,"idSelected":true,"keyPrefix":"001"}`
	if res.body != want {
		t.Errorf("columns=true:\n got %s\nwant %s", res.body, want)
	}
}
