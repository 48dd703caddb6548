package sfclient_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestE2EPagination(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rows, batch, wantPages int
	}{
		{0, 0, 1}, {1, 0, 1}, {2000, 0, 1}, {2001, 0, 2}, {100000, 0, 50}, {450, 200, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d rows batch %d", tt.rows, tt.batch), func(t *testing.T) {
			t.Parallel()
			if tt.rows > 10000 && (testing.Short() || raceEnabled) {
				t.Skip("100,000 rows: skipped with -short and under the race detector (same code path as 2,001 rows)")
			}
			srv, c, _ := newOrg(t, sftest.Config{})
			if _, err := srv.AddAccounts(tt.rows); err != nil {
				t.Fatal(err)
			}
			var opts *sfclient.QueryOptions
			if tt.batch > 0 {
				opts = &sfclient.QueryOptions{BatchSize: tt.batch}
			}
			seen, err := collect(t, sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id, Name FROM Account", opts)))
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if len(seen) != tt.rows {
				t.Errorf("records = %d, want %d", len(seen), tt.rows)
			}
			if got := countPaths(srv, "/services/data/v66.0/query"); got != tt.wantPages {
				t.Errorf("query requests = %d, want %d", got, tt.wantPages)
			}
		})
	}
}

func TestE2EQueryAllIncludesDeleted(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	ids, err := srv.AddAccounts(3)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(t.Context(), "Account", ids[0]); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	live, err := collect(t, sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", nil)))
	if err != nil || len(live) != 2 || live[ids[0]] {
		t.Errorf("Query = %v, %v; want the 2 live accounts", live, err)
	}
	all, err := collect(t, sfclient.Decode[accountRow](c.QueryAll(t.Context(), "SELECT Id FROM Account", nil)))
	if err != nil || len(all) != 3 || !all[ids[0]] {
		t.Errorf("QueryAll = %v, %v; want all 3 including the deleted one", all, err)
	}
}

func TestE2EQuoteStringRoundTrip(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	names := []string{"O'Brien & Co", `back\slash`, "say \"hi\"", "x' OR Name != '"}
	for _, n := range names {
		if _, err := srv.AddRecords("Account", sftest.Record{"Name": n}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			var got []string
			for a, err := range sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id, Name FROM Account WHERE Name = "+sfclient.QuoteString(n), nil)) {
				if err != nil {
					t.Fatalf("Query: %v", err)
				}
				got = append(got, a.Name)
			}
			if len(got) != 1 || got[0] != n {
				t.Errorf("names = %q, want exactly [%q]", got, n)
			}
		})
	}
}

func TestE2EMalformedQuery(t *testing.T) {
	t.Parallel()
	_, c, _ := newOrg(t, sftest.Config{})
	for _, err := range c.Query(t.Context(), "SELECT Id FROM", nil) {
		var apiErr *sfclient.APIError
		if !errors.Is(err, sfclient.ErrMalformedQuery) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest ||
			apiErr.Path != "/services/data/v66.0/query" {
			t.Errorf("err = %v, want a 400 MALFORMED_QUERY on /services/data/v66.0/query", err)
		}
	}
}

func TestE2ECRUDAndDescribe(t *testing.T) {
	t.Parallel()
	_, c, _ := newOrg(t, sftest.Config{})
	ctx := t.Context()
	id, err := c.Create(ctx, "Account", map[string]any{"Name": "Acme"})
	if err != nil || len(id) != 18 || id[:3] != "001" {
		t.Fatalf("Create = %q, %v; want an 18-character 001 ID", id, err)
	}
	get := func() accountRow {
		t.Helper()
		raw, err := c.Get(ctx, "Account", id, "Id", "Name")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		var a accountRow
		if err := jsonUnmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := get(); a.Name != "Acme" || a.ID != id {
		t.Errorf("Get = %+v, want Acme %s", a, id)
	}
	if err := c.Update(ctx, "Account", id, map[string]any{"Name": "Acme 2"}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if a := get(); a.Name != "Acme 2" {
		t.Errorf("after Update Name = %q, want Acme 2", a.Name)
	}
	if err := c.Delete(ctx, "Account", id); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := c.Get(ctx, "Account", id); !errors.Is(err, sfclient.ErrNotFound) {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	var apiErr *sfclient.APIError
	if _, err := c.Create(ctx, "Account", map[string]any{"Name": "x", "Id": id}); !errors.As(err, &apiErr) || !apiErr.HasCode("INVALID_FIELD") {
		t.Errorf("Create with Id: err = %v, want INVALID_FIELD", err)
	}

	d, err := c.Describe(ctx, "Account")
	if err != nil {
		t.Fatalf("Describe: %v", err)
	}
	if f, ok := d.Field("name"); d.Name != "Account" || d.KeyPrefix != "001" || !ok || f.Name != "Name" || len(d.Raw) == 0 {
		t.Errorf("Describe = %s/%s, Name field %+v %v", d.Name, d.KeyPrefix, f, ok)
	}
	g, err := c.DescribeGlobal(ctx)
	if err != nil {
		t.Fatalf("DescribeGlobal: %v", err)
	}
	found := false
	for _, o := range g.SObjects {
		found = found || (o.Name == "EventLogFile" && o.Queryable)
	}
	if !found {
		t.Errorf("DescribeGlobal lists no queryable EventLogFile among %d objects", len(g.SObjects))
	}
	if _, err := c.Describe(ctx, "NoSuchThing__c"); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("Describe(NoSuchThing__c): err = %v, want a 404", err)
	}
}

func TestE2EVersionsLimitsUsage(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{DailyAPILimit: 5000})
	ctx := t.Context()
	v, err := c.APIVersion(ctx)
	if err != nil || v != sftest.DefaultAPIVersion {
		t.Errorf("APIVersion = %q, %v; want %s", v, err, sftest.DefaultAPIVersion)
	}
	vs, err := c.Versions(ctx)
	if err != nil || len(vs) == 0 || vs[len(vs)-1].URL != "/services/data/v66.0" {
		t.Errorf("Versions = %v, %v", vs, err)
	}
	l, err := c.Limits(ctx)
	if err != nil {
		t.Fatalf("Limits: %v", err)
	}
	d, ok := l.DailyAPIRequests()
	if !ok || d.Max != 5000 {
		t.Errorf("DailyApiRequests = %+v %v, want Max 5000", d, ok)
	}
	used, limit := srv.APIUsage()
	u := c.Usage()
	if u.Used != int64(used) || u.Max != int64(limit) || u.At.IsZero() {
		t.Errorf("Usage = %+v, want %d/%d as the server counts", u, used, limit)
	}
	if got := countPaths(srv, "/services/data"); got != 3 {
		t.Errorf("requests = %d, want 3 (versions once for discovery, versions, limits)", got)
	}
}

func TestE2ECount(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	if _, err := srv.AddAccounts(2500); err != nil {
		t.Fatal(err)
	}
	for _, soql := range []string{"SELECT COUNT() FROM Account", "SELECT Id FROM Account"} {
		n, err := c.Count(t.Context(), soql)
		if err != nil || n != 2500 {
			t.Errorf("Count(%q) = %d, %v; want 2500", soql, n, err)
		}
	}
	if got := countPaths(srv, queryPath); got != 2 {
		t.Errorf("query requests = %d, want 2 (first pages only)", got)
	}
}
