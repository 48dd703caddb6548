package sfclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// pageJSON builds a query page holding records from..to-1.
func pageJSON(from, to int, done bool, next string) string {
	var recs []string
	for i := from; i < to; i++ {
		recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Id":"001%015d","Name":"A%d"}`, i, i))
	}
	nx := ""
	if next != "" {
		nx = fmt.Sprintf(`,"nextRecordsUrl":%q`, next)
	}
	return fmt.Sprintf(`{"totalSize":%d,"done":%t%s,"records":[%s]}`, to, done, nx, strings.Join(recs, ","))
}

type account struct {
	ID   string `json:"Id"`
	Name string `json:"Name"`
}

func TestQueryFollowsPagesLazily(t *testing.T) {
	t.Parallel()
	var requests []string
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		requests = append(requests, r.URL.Path+" "+r.Header.Get("Sforce-Query-Options"))
		switch r.URL.Path {
		case "/services/data/v62.0/query":
			if got := r.URL.Query().Get("q"); got != "SELECT Id, Name FROM Account" {
				t.Errorf("q = %q", got)
			}
			fmt.Fprint(w, pageJSON(0, 3, false, "/services/data/v62.0/query/01g-3"))
		case "/services/data/v62.0/query/01g-3":
			fmt.Fprint(w, pageJSON(3, 5, true, ""))
		default:
			sfError(w, 404, "NOT_FOUND", "no")
		}
	})
	var names []string
	for a, err := range Decode[account](c.Query(t.Context(), "SELECT Id, Name FROM Account", &QueryOptions{BatchSize: 200})) {
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		names = append(names, a.Name)
		if len(names) == 2 && len(requests) != 1 {
			t.Errorf("after 2 records %d requests were made, want 1 (pages fetched lazily)", len(requests))
		}
	}
	if got := strings.Join(names, ","); got != "A0,A1,A2,A3,A4" {
		t.Errorf("records = %s, want A0..A4", got)
	}
	want := "/services/data/v62.0/query batchSize=200|/services/data/v62.0/query/01g-3 batchSize=200"
	if got := strings.Join(requests, "|"); got != want {
		t.Errorf("requests = %s, want %s", got, want)
	}
}

func TestQueryStopsWhenConsumerBreaks(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		fmt.Fprint(w, pageJSON(0, 3, false, "/services/data/v62.0/query/01g-3"))
	})
	for range c.Query(t.Context(), "SELECT Id FROM Account", nil) {
		break
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestQueryPageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		second   func(w http.ResponseWriter)
		want     error
		wantText string
		wantRecs int
	}{
		{"done false without next", func(w http.ResponseWriter) { fmt.Fprint(w, pageJSON(2, 3, false, "")) },
			ErrIncompleteResult, "", 3},
		{"foreign next", func(w http.ResponseWriter) {
			fmt.Fprint(w, pageJSON(2, 3, false, "https://evil.example.com/services/data/v62.0/query/x"))
		}, ErrForeignURL, "", 3},
		{"non-REST next", func(w http.ResponseWriter) { fmt.Fprint(w, pageJSON(2, 3, false, "/login")) }, ErrBadResponse, "", 3},
		{"not JSON", func(w http.ResponseWriter) { fmt.Fprint(w, `{"records":[`) }, ErrBadResponse, "", 2},
		{"HTML", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>sign in</html>")
		}, ErrNotInstanceURL, "", 2},
		{"expired locator", func(w http.ResponseWriter) { sfError(w, 400, "INVALID_QUERY_LOCATOR", "invalid query locator") },
			nil, "sfclient: GET /services/data/v62.0/query/01g-2: 400 INVALID_QUERY_LOCATOR: invalid query locator", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/services/data/v62.0/query" {
					fmt.Fprint(w, pageJSON(0, 2, false, "/services/data/v62.0/query/01g-2"))
					return
				}
				tt.second(w)
			})
			var got []string
			var gotErr error
			for rec, err := range c.Query(t.Context(), "SELECT Id FROM Account", nil) {
				if err != nil {
					gotErr = err
					continue
				}
				got = append(got, string(rec))
			}
			if len(got) != tt.wantRecs {
				t.Errorf("records before the error = %d, want %d", len(got), tt.wantRecs)
			}
			if tt.want != nil && !errors.Is(gotErr, tt.want) {
				t.Errorf("err = %v, want %v", gotErr, tt.want)
			}
			if tt.wantText != "" && (gotErr == nil || gotErr.Error() != tt.wantText) {
				t.Errorf("err = %v, want %q", gotErr, tt.wantText)
			}
		})
	}
}

func TestQueryResetMidPageRetriedWithoutDuplicates(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/services/data/v62.0/query" {
			fmt.Fprint(w, pageJSON(0, 2, false, "/services/data/v62.0/query/01g-2"))
			return
		}
		if n.Add(1) == 1 {
			body := pageJSON(2, 4, true, "")
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write([]byte(body[:len(body)/2]))
			w.(http.Flusher).Flush()
			resetConn(t, w)
			return
		}
		fmt.Fprint(w, pageJSON(2, 4, true, ""))
	})
	seen := map[string]int{}
	for a, err := range Decode[account](c.Query(t.Context(), "SELECT Id FROM Account", nil)) {
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		seen[a.ID]++
	}
	if len(seen) != 4 {
		t.Errorf("distinct records = %d, want 4", len(seen))
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("record %s yielded %d times, want 1", id, k)
		}
	}
}

func TestDecodeErrorEndsSequence(t *testing.T) {
	t.Parallel()
	seq := func(yield func(json.RawMessage, error) bool) {
		_ = yield(json.RawMessage(`{"Id":"a"}`), nil) && yield(json.RawMessage(`{"Id":5}`), nil) && yield(json.RawMessage(`{"Id":"c"}`), nil)
	}
	var got []string
	var gotErr error
	for a, err := range Decode[account](seq) {
		if err != nil {
			gotErr = err
			continue
		}
		got = append(got, a.ID)
	}
	if strings.Join(got, ",") != "a" || gotErr == nil || !strings.HasPrefix(gotErr.Error(), "sfclient: decode record: ") {
		t.Errorf("got %v, %v; want [a] then a decode error", got, gotErr)
	}
}

func TestServerPathOrigins(t *testing.T) {
	t.Parallel()
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, wantPath string
		want         error
	}{
		{"/services/data/v62.0/query/01g-2000", "/services/data/v62.0/query/01g-2000", nil},
		{"https://acme.my.salesforce.com/services/data/v62.0/query/01g-2000", "/services/data/v62.0/query/01g-2000", nil},
		{"https://ACME.my.salesforce.com:443/services/data/v62.0/query/x", "/services/data/v62.0/query/x", nil},
		{"https://acme.my.salesforce.com:8443/services/data/v62.0/query/x", "", ErrForeignURL},
		{"http://acme.my.salesforce.com/services/data/v62.0/query/x", "", ErrForeignURL},
		{"https://evil.example.com/services/data/v62.0/query/x", "", ErrForeignURL},
		{"//evil.example.com/services/data/x", "", ErrForeignURL},
		{"/services/../login", "", ErrBadResponse},
		{"/secur/frontdoor.jsp", "", ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, _, err := c.serverPath(tt.in)
			if got != tt.wantPath || (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("serverPath(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.wantPath, tt.want)
			}
		})
	}
}
