package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// The tests in this file are not parallel: each counts the process's goroutines (noLeak).

func TestFault503StormBeyondRetryBudget(t *testing.T) {
	tests := []struct {
		name        string
		retry       sfclient.RetryPolicy
		wantPages   int           // page-2 requests: the first try and the retries; 0 = not checked
		withinLimit time.Duration // the call returns before this
	}{
		{"retry count spent", sfclient.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxElapsed: 10 * time.Second},
			4, 2 * time.Second},
		{"elapsed budget spent", sfclient.RetryPolicy{MaxRetries: 1000, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxElapsed: 300 * time.Millisecond},
			0, 300*time.Millisecond + 500*time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeak(t, func() {
				o := startOrg(t, sftest.Config{}, orgOptions{retry: tt.retry})
				defer o.close()
				want := o.addAccounts(t, 3000)
				o.warm(t)
				from := len(o.srv.Requests())
				o.srv.FailNext(sftest.Fault{Count: 100000, PathPrefix: pagePath}) // longer than any budget

				start := time.Now()
				got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
				elapsed := time.Since(start)

				var apiErr *sfclient.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || !apiErr.HasCode("SERVER_UNAVAILABLE") {
					t.Fatalf("err = %v, want *sfclient.APIError 503 SERVER_UNAVAILABLE", err)
				}
				if elapsed > tt.withinLimit {
					t.Errorf("the storm took %v to give up, want under %v", elapsed, tt.withinLimit)
				}
				if n := o.requests(from, pagePath); tt.wantPages > 0 && n != tt.wantPages {
					t.Errorf("page-2 requests = %d, want %d (1 + MaxRetries)", n, tt.wantPages)
				}
				if len(got) != 2000 {
					t.Errorf("records before the error = %d, want the 2000 of page 1", len(got))
				}
				subset(t, "during the storm", got, want)

				// Once the storm is over, a new run reads everything, once.
				o.srv.ClearFaults()
				all, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
				if err != nil {
					t.Fatalf("after the storm: %v", err)
				}
				sameSet(t, "after the storm", all, want)
			})
		})
	}
}

func TestFaultTokenEndpoint503StormBeyondRetries(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{jwt: func(c *jwtauth.Config) { c.Retries = 2 }})
		defer o.close()
		o.srv.FailNext(sftest.Fault{Count: 100000, PathPrefix: tokenPath})
		start := time.Now()
		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
		elapsed := time.Since(start)
		var te *jwtauth.TokenError
		if !errors.As(err, &te) || te.Status != http.StatusServiceUnavailable || !te.Retryable || !errors.Is(err, sfclient.ErrToken) {
			t.Fatalf("err = %v, want sfclient.ErrToken wrapping a retryable *jwtauth.TokenError 503", err)
		}
		if n := o.srv.TokenRequests(); n != 3 {
			t.Errorf("token requests = %d, want 3 (1 + Retries)", n)
		}
		if len(got) != 0 || o.requests(0, queryPath) != 0 {
			t.Errorf("records = %d, query requests = %d; want none without a token", len(got), o.requests(0, queryPath))
		}
		if elapsed > 30*time.Second {
			t.Errorf("the login storm took %v to give up, want a bounded time", elapsed)
		}
	})
}

func TestFault429RetryAfterHonoured(t *testing.T) {
	noLeak(t, func() {
		retry := sfclient.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Second, MaxElapsed: 10 * time.Second}
		o := startOrg(t, sftest.Config{}, orgOptions{retry: retry})
		defer o.close()
		want := o.addAccounts(t, 2500)
		o.warm(t)
		from := len(o.srv.Requests())
		o.srv.FailNext(sftest.Fault{Count: 1, PathPrefix: pagePath, Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {"1"}}})

		start := time.Now()
		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
		elapsed := time.Since(start)
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		sameSet(t, "after a 429", got, want)
		if elapsed < time.Second {
			t.Errorf("the query finished after %v: the 1s Retry-After was not honoured (MinBackoff is 1ms)", elapsed)
		}
		if n := o.requests(from, pagePath); n != 2 {
			t.Errorf("page-2 requests = %d, want 2 (the 429 and one retry)", n)
		}
	})
}

func TestFaultCutMidPage(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		want := o.addAccounts(t, 4500)
		o.warm(t)
		from := len(o.srv.Requests())
		o.srv.CutAfter(1, pagePath, 3000) // page 2 stops after 3,000 bytes

		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id, Name FROM Account", nil), nil)
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		sameSet(t, "after a cut page", got, want)
		cuts := 0
		for _, r := range o.srv.Requests()[from:] {
			if r.Cut {
				cuts++
			}
		}
		if cuts != 1 || o.requests(from, pagePath) != 3 {
			t.Errorf("cut responses = %d, page requests = %d; want 1 cut and 3 page requests (pages 2 and 3, page 2 twice)",
				cuts, o.requests(from, pagePath))
		}
	})
}

func TestFaultCutMidEventLogFile(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		id, err := o.srv.AddEventLogFile(sftest.EventLogFile{Size: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		o.warm(t)
		o.srv.CutAfter(1, logFilePath+id, 20000)

		var partial bytes.Buffer
		n, err := o.client.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, &partial, nil)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut download: n = %d, err = %v; want an error matching io.ErrUnexpectedEOF, never a silent short file", n, err)
		}
		if n >= 1<<20 || int64(partial.Len()) != n {
			t.Errorf("cut download reported %d bytes and wrote %d; want fewer than the 1 MiB file, and the count to match", n, partial.Len())
		}

		var whole bytes.Buffer
		n, err = o.client.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, &whole, nil)
		if err != nil || n != 1<<20 || whole.Len() != 1<<20 {
			t.Fatalf("second download: %d bytes written, %d reported, %v; want the whole 1 MiB", whole.Len(), n, err)
		}
		if !bytes.HasPrefix(whole.Bytes(), partial.Bytes()) {
			t.Errorf("the bytes before the cut differ from the whole file's")
		}
	})
}

func TestFaultTokensRevokedBetweenPages(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		want := o.addAccounts(t, 4500)
		o.warm(t)
		logins := o.srv.TokenRequests()
		from := len(o.srv.Requests())

		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), func(n int) {
			if n == 2000 { // the end of page 1: page 2 is fetched with a revoked token
				o.srv.RevokeAllTokens()
			}
		})
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		sameSet(t, "tokens revoked between pages", got, want)
		if n := o.srv.TokenRequests() - logins; n != 1 {
			t.Errorf("logins after the revocation = %d, want exactly 1", n)
		}
		refused := 0
		for _, r := range o.srv.Requests()[from:] {
			if r.Status == http.StatusUnauthorized {
				refused++
			}
		}
		if refused != 1 {
			t.Errorf("401 answers = %d, want 1 (the revoked token, once)", refused)
		}
	})
}

// eventLogBody is a small CSV body for a hand-made EventLogFile.
func eventLogBody(name string) string {
	return "\"EVENT_TYPE\",\"NAME\"\n" + strings.Repeat(fmt.Sprintf("\"API\",%q\n", name), 4000)
}

func TestFaultTokensRevokedMidDownload(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		bodies := map[string]string{}
		var served atomic.Int32
		for i := range 3 {
			body := eventLogBody(fmt.Sprintf("file%d", i))
			id, err := o.srv.AddEventLogFile(sftest.EventLogFile{
				LogDate: time.Date(2026, 11, 10+i, 0, 0, 0, 0, time.UTC), Size: int64(len(body)),
				Body: func(w io.Writer) error {
					half := len(body) / 2
					if _, err := io.WriteString(w, body[:half]); err != nil {
						return err
					}
					if served.Add(1) == 1 { // revoked while the first file is on the wire
						o.srv.RevokeAllTokens()
					}
					_, err := io.WriteString(w, body[half:])
					return err
				}})
			if err != nil {
				t.Fatal(err)
			}
			bodies[id] = body
		}
		o.warm(t)
		logins := o.srv.TokenRequests()

		files := 0
		for f, err := range o.client.EventLogFiles(t.Context(), sfclient.EventLogFilter{}) {
			if err != nil {
				t.Fatalf("EventLogFiles: %v", err)
			}
			var buf bytes.Buffer
			if _, err := o.client.DownloadEventLogFile(t.Context(), f, &buf, nil); err != nil {
				t.Fatalf("download %s: %v", f.ID, err)
			}
			if buf.String() != bodies[f.ID] {
				t.Errorf("file %s: %d bytes, want its %d-byte body", f.ID, buf.Len(), len(bodies[f.ID]))
			}
			files++
		}
		if files != 3 {
			t.Errorf("downloaded %d files, want 3", files)
		}
		if n := o.srv.TokenRequests() - logins; n != 1 {
			t.Errorf("logins after the revocation = %d, want exactly 1", n)
		}
	})
}
