package sftest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// FuzzServeHTTP sends arbitrary methods, paths, queries and bodies through the router, with and
// without a valid token: the server must answer every one without panicking, with a status
// Salesforce uses.
func FuzzServeHTTP(f *testing.F) {
	srv, err := sftest.New(sftest.Config{})
	if err != nil {
		f.Fatal(err)
	}
	tok, err := srv.IssueToken(sftest.DefaultUsername)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct{ method, path, query, body string }{
		{"GET", "/services/data/v66.0/query", "q=SELECT+Id+FROM+Account", ""},
		{"GET", "/services/data/v66.0/query/01g000000000000AAA-2000", "", ""},
		{"POST", "/services/data/v66.0/sobjects/Account", "", `{"Name":"x"}`},
		{"PATCH", "/services/data/v66.0/sobjects/Account/001000000000000AAA", "", `{"Name":1}`},
		{"GET", "/services/data/latest/sobjects/EventLogFile/0AT000000000000AAA/LogFile", "", ""},
		{"POST", "/services/oauth2/token", "", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c"},
		{"POST", "/services/oauth2/introspect", "", "token=x"},
		{"GET", "/id/00D/005", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.body, true)
	}
	allowed := map[int]bool{200: true, 201: true, 204: true, 400: true, 401: true, 403: true, 404: true, 405: true}
	f.Fuzz(func(t *testing.T, method, path, query, body string, auth bool) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t?#") {
			return
		}
		u := &url.URL{Path: path, RawQuery: query}
		req, err := http.NewRequest(method, "http://127.0.0.1"+u.RequestURI(), strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Errorf("%s %s?%s: status %d", method, path, query, rec.Code)
		}
	})
}
