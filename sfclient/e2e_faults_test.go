package sfclient_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

const queryPath = "/services/data/v66.0/query"

func TestE2EFaultsOnFirstPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fault        sftest.Fault
		wantRequests int // query requests
		wantStatus   int // 0: success
		wantIs       error
	}{
		{"503 storm within budget", sftest.Fault{Count: 3, PathPrefix: queryPath}, 4, 0, nil},
		{"503 storm beyond budget", sftest.Fault{Count: 50, PathPrefix: queryPath}, 5, 503, nil},
		{"502", sftest.Fault{Count: 1, PathPrefix: queryPath, Status: 502}, 2, 0, nil},
		{"504", sftest.Fault{Count: 1, PathPrefix: queryPath, Status: 504}, 2, 0, nil},
		{"429", sftest.Fault{Count: 2, PathPrefix: queryPath, Status: 429}, 3, 0, nil},
		{"500 not retried", sftest.Fault{Count: 1, PathPrefix: queryPath, Status: 500}, 1, 500, nil},
		{"HTML page", sftest.Fault{Count: 1, PathPrefix: queryPath, Status: 404, Body: "<html><body>Not here</body></html>"},
			1, 404, sfclient.ErrNotInstanceURL},
		{"403 limit not retried", sftest.Fault{Count: 1, PathPrefix: queryPath, Status: 403}, 1, 403, sfclient.ErrRequestLimitExceeded},
	}
	for _, tt := range tests {
		for _, h2 := range []bool{false, true} {
			name := tt.name + map[bool]string{false: " HTTP/1.1", true: " HTTP/2"}[h2]
			t.Run(name, func(t *testing.T) { runFirstPageFault(t, h2, tt.fault, tt.wantRequests, tt.wantStatus, tt.wantIs) })
		}
	}
}

// runFirstPageFault injects fault on the first query page and checks the number of query
// requests and the outcome (wantStatus 0: all 5 records).
func runFirstPageFault(t *testing.T, h2 bool, fault sftest.Fault, wantRequests, wantStatus int, wantIs error) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{HTTP2: h2})
	if _, err := srv.AddAccounts(5); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIVersion(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(fault)
	seen, err := collect(t, sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", nil)))
	if got := countPaths(srv, queryPath); got != wantRequests {
		t.Errorf("query requests = %d, want %d", got, wantRequests)
	}
	var apiErr *sfclient.APIError
	switch {
	case wantStatus == 0 && (err != nil || len(seen) != 5):
		t.Errorf("got %d records, %v; want 5 and no error", len(seen), err)
	case wantStatus != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != wantStatus):
		t.Errorf("err = %v, want *APIError %d", err, wantStatus)
	case wantIs != nil && !errors.Is(err, wantIs):
		t.Errorf("err = %v, want %v", err, wantIs)
	}
}

func TestE2ERetryAfterHonoured(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	if _, err := c.APIVersion(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(sftest.Fault{PathPrefix: "/services/data/v66.0/limits", Status: 429, Header: http.Header{"Retry-After": {"1"}}})
	start := time.Now()
	if _, err := c.Limits(t.Context()); err != nil {
		t.Fatalf("Limits: %v", err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("Limits returned after %v, want at least the 1s Retry-After", elapsed)
	}
}

func TestE2EPostNotResent(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			srv, c, _ := newOrg(t, sftest.Config{})
			if _, err := c.APIVersion(t.Context()); err != nil {
				t.Fatal(err)
			}
			srv.FailNext(sftest.Fault{PathPrefix: "/services/data/v66.0/sobjects/Account", Status: status})
			_, err := c.Create(t.Context(), "Account", map[string]any{"Name": "once"})
			var apiErr *sfclient.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Errorf("Create: err = %v, want *APIError %d", err, status)
			}
			if got := countPaths(srv, "/services/data/v66.0/sobjects/Account"); got != 1 {
				t.Errorf("POST requests = %d, want 1", got)
			}
		})
	}
}

func TestE2EDailyLimitOneRequest(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	if _, err := c.APIVersion(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.ExhaustDailyLimit()
	before := len(srv.Requests())
	_, err := collect(t, sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", nil)))
	if !errors.Is(err, sfclient.ErrRequestLimitExceeded) {
		t.Errorf("err = %v, want ErrRequestLimitExceeded", err)
	}
	if got := len(srv.Requests()) - before; got != 1 {
		t.Errorf("requests = %d, want exactly 1", got)
	}
}

func TestE2ECutMidPageNoLossNoDuplicate(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	if _, err := srv.AddAccounts(5000); err != nil {
		t.Fatal(err)
	}
	n := 0
	var seen map[string]bool
	var err error
	seen, err = collect(t, func(yield func(accountRow, error) bool) {
		for a, err := range sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id, Name FROM Account", nil)) {
			if n++; n == 10 {
				srv.CutAfter(1, queryPath+"/", 5000) // page 2, mid-body
			}
			if !yield(a, err) {
				return
			}
		}
	})
	if err != nil || len(seen) != 5000 {
		t.Errorf("got %d records, %v; want 5000", len(seen), err)
	}
	cut := 0
	for _, r := range srv.Requests() {
		if r.Cut {
			cut++
		}
	}
	if cut != 1 {
		t.Errorf("cut responses = %d, want 1", cut)
	}
}

func TestE2ETokenRevokedBetweenPages(t *testing.T) {
	t.Parallel()
	srv, c, src := newOrg(t, sftest.Config{})
	if _, err := srv.AddAccounts(4500); err != nil {
		t.Fatal(err)
	}
	n := 0
	seen, err := collect(t, func(yield func(accountRow, error) bool) {
		for a, err := range sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", nil)) {
			if n++; n == 1 || n == 2500 {
				srv.RevokeAllTokens()
			}
			if !yield(a, err) {
				return
			}
		}
	})
	if err != nil || len(seen) != 4500 {
		t.Errorf("got %d records, %v; want 4500", len(seen), err)
	}
	if issued, inval := src.counts(); issued != 3 || inval != 2 {
		t.Errorf("tokens issued %d, invalidated %d; want 3 and 2", issued, inval)
	}
}

func TestE2ESecond401Returned(t *testing.T) {
	t.Parallel()
	srv, c, src := newOrg(t, sftest.Config{})
	if _, err := c.APIVersion(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(sftest.Fault{Count: 5, PathPrefix: "/services/data/v66.0/limits", Status: 401})
	_, err := c.Limits(t.Context())
	if !errors.Is(err, sfclient.ErrSessionExpired) {
		t.Errorf("err = %v, want ErrSessionExpired", err)
	}
	if got := countPaths(srv, "/services/data/v66.0/limits"); got != 2 {
		t.Errorf("requests = %d, want 2 (one resend after a fresh token)", got)
	}
	if _, inval := src.counts(); inval != 1 {
		t.Errorf("invalidations = %d, want 1", inval)
	}
}

func TestE2ECancelDuringBackoff(t *testing.T) {
	t.Parallel()
	srv := sftest.NewServer(t, sftest.Config{NoSampleData: true})
	c, err := sfclient.New(sfclient.Config{TokenSource: &issuingSource{srv: srv}, HTTPClient: srv.Client(), APIVersion: "66.0",
		Retry: sfclient.RetryPolicy{MinBackoff: 30 * time.Second, MaxBackoff: time.Minute, MaxElapsed: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(sftest.Fault{Count: 100, PathPrefix: queryPath})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = collect(t, sfclient.Decode[accountRow](c.Query(ctx, "SELECT Id FROM Account", nil)))
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("returned after %v, want soon after the 200ms deadline (the backoff is 30s)", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// Over HTTP/2 a cut is a stream reset, not a closed connection: it must be retried the same way.
func TestE2EHTTP2CutsRetried(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{HTTP2: true})
	if _, err := srv.AddAccounts(4500); err != nil {
		t.Fatal(err)
	}
	n := 0
	seen, err := collect(t, func(yield func(accountRow, error) bool) {
		for a, err := range sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id, Name FROM Account", nil)) {
			if n++; n == 10 {
				srv.CutAfter(1, queryPath+"/", 5000)
			}
			if !yield(a, err) {
				return
			}
		}
	})
	if err != nil || len(seen) != 4500 {
		t.Errorf("got %d records, %v; want 4500", len(seen), err)
	}
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 0)
	if n, err := c.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, io.Discard, nil); err != nil || n != 1<<20 {
		t.Errorf("download cut before the first byte: %d, %v; want the file after a retry", n, err)
	}
	srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 64<<10)
	if n, err := c.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, io.Discard, nil); err == nil || n == 0 || n >= 1<<20 {
		t.Errorf("download cut mid-body: %d, %v; want a partial count and an error", n, err)
	} else {
		t.Logf("cut mid-body over HTTP/2: %v", err)
	}
}
