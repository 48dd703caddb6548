package sfclient

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// FuzzErrorBody feeds arbitrary non-2xx bodies to the error parser: it must never panic, and
// the error text must stay one bounded line.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{
		`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
		`[{"errorCode":"X","message":"y","fields":["A","B"]},{"errorCode":"Z"}]`,
		`{"error":"invalid_grant","error_description":"expired"}`,
		`[]`, `{}`, `[null]`, `[{"fields":null}]`, `<html></html>`, "\xff\xfe", `"str"`, `[{"errorCode":5}]`,
	} {
		f.Add(s, "application/json")
	}
	f.Fuzz(func(t *testing.T, body, ctype string) {
		resp := &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {ctype}}, Body: nopCloser(strings.NewReader(body))}
		e := readAPIError(resp, &request{method: "GET", path: "/services/data/v62.0/query"})
		msg := e.Error()
		if !strings.HasPrefix(msg, "sfclient: GET /services/data/v62.0/query: 400") {
			t.Errorf("Error() = %q", msg)
		}
		if e.Body != "" && len(e.Body) > 256*3 {
			t.Errorf("Body snippet is %d bytes", len(e.Body))
		}
	})
}

// FuzzQueryPage feeds arbitrary page bodies to the page decoder and the pagination rule: no
// panic, and a page that is not done always leads to a next request or an error.
func FuzzQueryPage(f *testing.F) {
	for _, s := range []string{
		`{"totalSize":1,"done":true,"records":[{"Id":"1"}]}`,
		`{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01g-2","records":[]}`,
		`{"done":false}`, `{"done":true,"nextRecordsUrl":"https://evil/x"}`, `{"records":[1,"a",null]}`,
		`{"done":false,"nextRecordsUrl":"//evil/services/x"}`, `{"done":false,"nextRecordsUrl":"%zz"}`,
	} {
		f.Add(s)
	}
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var p queryPage
		if json.Unmarshal([]byte(body), &p) != nil {
			return
		}
		next, err := c.nextPage(&p, &request{method: "GET", path: "/services/data/v62.0/query"})
		if p.Done != nil && !*p.Done && next == nil && err == nil {
			t.Errorf("page %s: not done, yet neither a next request nor an error", body)
		}
		if next != nil && !strings.HasPrefix(next.path, "/services/") {
			t.Errorf("next path %q is not a REST path", next.path)
		}
	})
}
