package sftest_test

import (
	"compress/gzip"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestPlainHTTP: Start serves plain HTTP on loopback; the server's own http:// URL is an
// accepted audience there.
func TestPlainHTTP(t *testing.T) {
	srv := sftest.NewUnstartedServer(sftest.Config{})
	srv.Start()
	defer srv.Close()
	if err := srv.AddCertificate(testCert()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || srv.LoginURL() != srv.URL || srv.Audience() != "https://login.salesforce.com" {
		t.Errorf("URL %s, LoginURL %s, Audience %s", srv.URL, srv.LoginURL(), srv.Audience())
	}
	res := jwtLogin(t, srv, sign(t, claims(srv), testKey()))
	var tok struct {
		InstanceURL string `json:"instance_url"`
	}
	decode(t, res.body, &tok)
	if res.status != 200 || tok.InstanceURL != srv.URL {
		t.Errorf("login over HTTP: %d %s", res.status, res.body)
	}
}

func TestCountersAndClearFaults(t *testing.T) {
	clock := newClock()
	srv := newOrg(t, sftest.Config{Clock: clock.Now, DailyAPILimit: 500})
	tok := login(t, srv)
	if n := srv.ActiveSessions(); n != 1 {
		t.Errorf("ActiveSessions = %d, want 1", n)
	}
	get(t, srv, tok, "/services/data/v66.0/sobjects/Account")
	if used, limit := srv.APIUsage(); used != 1 || limit != 500 {
		t.Errorf("APIUsage = %d/%d, want 1/500", used, limit)
	}
	clock.Advance(24 * time.Hour)
	if n := srv.ActiveSessions(); n != 0 {
		t.Errorf("ActiveSessions after a day = %d, want 0", n)
	}
	srv.FailNext(sftest.Fault{Count: 5})
	srv.CutAfter(5, "", 0)
	srv.SetLatency(time.Hour)
	srv.ClearFaults()
	if res := get(t, srv, "", "/services/data"); res.status != 200 {
		t.Errorf("after ClearFaults: %d", res.status)
	}
}

func TestMiscResources(t *testing.T) {
	srv := newOrg(t, sftest.Config{DevHub: true})
	tok := login(t, srv)
	if _, err := srv.AddLoginHistory(4); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantIn             string
	}{
		{"basic info", "GET", "/services/data/v66.0/sobjects/Account", 200, `"objectDescribe":{`},
		{"method not allowed", "PUT", "/services/data/v66.0/sobjects/Account", 405,
			`[{"message":"HTTP Method 'PUT' not allowed. Allowed are GET,HEAD,POST","errorCode":"METHOD_NOT_ALLOWED"}]`},
		{"Dev Hub has ScratchOrgInfo", "GET", queryPath("SELECT Id FROM ScratchOrgInfo limit 1"), 200, `"totalSize":0`},
		{"LoginHistory generator", "GET", queryPath("SELECT COUNT() FROM LoginHistory"), 200, `"totalSize":9`},
		{"aggregate columns", "GET", queryPath("SELECT COUNT(Id) FROM Account") + "&columns=true", 200,
			`"columnName":"expr0","custom":false,"displayName":"COUNT(Id)"`},
		{"unknown resource", "GET", "/services/data/v66.0/bogus", 404, notFound},
		{"unknown path", "GET", "/nothing/here", 404, notFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, srv, tt.method, tok, tt.path, "")
			if res.status != tt.wantStatus || !strings.Contains(res.body, tt.wantIn) {
				t.Errorf("got %d %s, want %d containing %s", res.status, res.body, tt.wantStatus, tt.wantIn)
			}
		})
	}
}

// TestEventLogFileGzip downloads a log file compressed, as Salesforce advises for big files.
func TestEventLogFileGzip(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 3 << 20})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil || len(rows) < 1000 {
		t.Errorf("%d CSV rows, %v", len(rows), err)
	}
}

// TestIntrospectAndRevokeEdges covers inactive tokens and unknown tokens.
func TestIntrospectAndRevokeEdges(t *testing.T) {
	srv := newOrg(t)
	res := postForm(t, srv, "/services/oauth2/introspect", url.Values{"token": {"nope"},
		"client_id": {sftest.DefaultClientID}, "client_secret": {sftest.DefaultClientSecret}})
	if res.status != 200 || res.body != `{"active":false}` {
		t.Errorf("introspect unknown token: %d %s", res.status, res.body)
	}
	want := `{"error":"unsupported_token_type","error_description":"this token type is not supported"}`
	if res := postForm(t, srv, "/services/oauth2/revoke", url.Values{"token": {"nope"}}); res.status != 400 || res.body != want {
		t.Errorf("revoke unknown token: %d %s, want 400 %s", res.status, res.body, want)
	}
	// A JWT with a custom claim type the server does not know is still a valid assertion.
	c := claims(srv)
	c["custom"] = map[string]any{"x": 1}
	if res := jwtLogin(t, srv, sign(t, jwt.MapClaims(c), testKey())); res.status != 200 {
		t.Errorf("extra claim: %d %s", res.status, res.body)
	}
}

func TestPrettyPrint(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	ids, err := srv.AddRecords("Account", sftest.Record{"Name": `Acme, "Inc": {x}`})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	res := get(t, srv, tok, queryPath("SELECT Name FROM Account"), "X-PrettyPrint", "1")
	want := "{\n  \"totalSize\" : 1,\n  \"done\" : true,\n  \"records\" : [ {\n    \"attributes\" : {\n" +
		"      \"type\" : \"Account\",\n      \"url\" : \"/services/data/v66.0/sobjects/Account/" + ids[0] + "\"\n    },\n" +
		"    \"Name\" : \"Acme, \\\"Inc\\\": {x}\"\n  } ]\n}"
	if res.body != want {
		t.Errorf("got\n%s\nwant\n%s", res.body, want)
	}
	res = get(t, srv, tok, queryPath("SELECT Name FROM Account WHERE Name = 'none'"), "X-PrettyPrint", "1")
	if want := "{\n  \"totalSize\" : 0,\n  \"done\" : true,\n  \"records\" : [ ]\n}"; res.body != want {
		t.Errorf("got\n%s\nwant\n%s", res.body, want)
	}
}

// TestConcurrentUse drives logins, queries, writes, faults and Go-side changes at once; run
// with -race it checks the Server's locking.
func TestConcurrentUse(t *testing.T) {
	srv := newOrg(t)
	assertion := sign(t, claims(srv), testKey())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := jwtLogin(t, srv, assertion)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			decode(t, res.body, &tok)
			for j := range 5 {
				get(t, srv, tok.AccessToken, queryPath("SELECT Id, Name FROM Account ORDER BY Name"))
				send(t, srv, http.MethodPost, tok.AccessToken, "/services/data/v66.0/sobjects/Account", `{"Name":"c`+strconv.Itoa(i*10+j)+`"}`)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			_, _ = srv.AddAccounts(10)
			srv.FailNext(sftest.Fault{PathPrefix: "/nowhere"})
			_ = srv.UpdateApp(sftest.DefaultClientID, func(a *sftest.App) { a.SessionTimeout = time.Hour })
			_ = srv.Requests()
		}
	}()
	wg.Wait()
	tok, _ := srv.IssueToken(sftest.DefaultUsername)
	var p page
	decode(t, get(t, srv, tok, queryPath("SELECT COUNT() FROM Account")).body, &p)
	if p.TotalSize != 3+50+40 {
		t.Errorf("Accounts = %d, want %d", p.TotalSize, 3+50+40)
	}
}
