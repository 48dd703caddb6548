package e2e

import (
	"bytes"
	"context"
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

// fakeClock is sftest's clock: real time shifted by an offset the test moves.
type fakeClock struct{ offset atomic.Int64 }

func (c *fakeClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *fakeClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func TestFaultSessionTimeoutDuringLongRun(t *testing.T) {
	noLeak(t, func() {
		// The org's clock starts 15 minutes behind and moves 3 minutes per page, past the app's
		// 2-minute session timeout, while jwtauth believes its token good for 15 minutes.
		clock := &fakeClock{}
		clock.advance(-15 * time.Minute)
		app := sftest.DefaultApp()
		app.SessionTimeout = 2 * time.Minute
		o := startOrg(t, sftest.Config{Clock: clock.now, Apps: []sftest.App{app}}, orgOptions{})
		defer o.close()
		want := o.addAccounts(t, 1000)
		o.warm(t)
		logins := o.srv.TokenRequests()

		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", &sfclient.QueryOptions{BatchSize: 200}), func(n int) {
			if n%200 == 0 && n < 1000 {
				clock.advance(3 * time.Minute)
			}
		})
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		sameSet(t, "sessions timing out", got, want)
		if n := o.srv.TokenRequests() - logins; n != 4 {
			t.Errorf("logins during the run = %d, want 4 (one per expired session)", n)
		}
	})
}

func TestFaultDailyLimitExhausted(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		o.addAccounts(t, 2500)
		o.warm(t)

		// Before the query: exactly one request, refused, never retried.
		o.srv.ExhaustDailyLimit()
		from := len(o.srv.Requests())
		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
		checkLimitError(t, err)
		if n := len(o.srv.Requests()) - from; n != 1 || len(got) != 0 {
			t.Errorf("requests = %d, records = %d; want exactly 1 request and no record", n, len(got))
		}
		if _, err := o.client.Limits(t.Context()); !errors.Is(err, sfclient.ErrRequestLimitExceeded) {
			t.Errorf("Limits: %v, want ErrRequestLimitExceeded", err)
		}
	})
}

func TestFaultDailyLimitExhaustedMidRun(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		want := o.addAccounts(t, 2500)
		o.warm(t)
		var from int
		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), func(n int) {
			if n == 2000 {
				o.srv.ExhaustDailyLimit()
				from = len(o.srv.Requests())
			}
		})
		checkLimitError(t, err)
		if n := len(o.srv.Requests()) - from; n != 1 {
			t.Errorf("requests after the limit ran out = %d, want exactly 1", n)
		}
		if len(got) != 2000 {
			t.Errorf("records = %d, want the 2000 of page 1", len(got))
		}
		subset(t, "limit exhausted mid-run", got, want)
	})
}

func checkLimitError(t *testing.T, err error) {
	t.Helper()
	var apiErr *sfclient.APIError
	if !errors.Is(err, sfclient.ErrRequestLimitExceeded) || !sfclient.IsRequestLimitExceeded(err) ||
		!errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !apiErr.HasCode("REQUEST_LIMIT_EXCEEDED") {
		t.Fatalf("err = %v, want *sfclient.APIError 403 REQUEST_LIMIT_EXCEEDED matching ErrRequestLimitExceeded", err)
	}
}

func TestFaultSlowServerVersusDeadline(t *testing.T) {
	const deadline = 300 * time.Millisecond
	const slack = 100 * time.Millisecond
	calls := []struct {
		name string
		cold bool // the token source has no token yet
		call func(ctx context.Context, o *org, fileID string) error
	}{
		{"query", false, func(ctx context.Context, o *org, _ string) error {
			_, err := drain(t, o.client.Query(ctx, "SELECT Id FROM Account", nil), nil)
			return err
		}},
		{"download", false, func(ctx context.Context, o *org, fileID string) error {
			_, err := o.client.DownloadEventLogFile(ctx, sfclient.EventLogFile{ID: fileID}, io.Discard, nil)
			return err
		}},
		{"login", true, func(ctx context.Context, o *org, _ string) error {
			_, err := o.ts.TokenContext(ctx)
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			noLeak(t, func() {
				o := startOrg(t, sftest.Config{}, orgOptions{})
				defer o.close()
				o.addAccounts(t, 10)
				fileID, err := o.srv.AddEventLogFile(sftest.EventLogFile{Rows: 100})
				if err != nil {
					t.Fatal(err)
				}
				if !c.cold {
					o.warm(t)
				}
				o.srv.SetLatency(time.Second)
				ctx, cancel := context.WithTimeout(t.Context(), deadline)
				defer cancel()
				start := time.Now()
				err = c.call(ctx, o, fileID)
				elapsed := time.Since(start)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want one matching context.DeadlineExceeded", err)
				}
				if elapsed > deadline+slack {
					t.Errorf("returned after %v, want within the %v deadline + %v", elapsed, deadline, slack)
				}
			})
		})
	}
}

func TestFaultTokenEndpointDownWhileTokenValid(t *testing.T) {
	noLeak(t, func() {
		// A 5 s token refreshed 3 s early: after 2.2 s the source tries a background refresh,
		// which fails, while the cached token is still good for almost 3 s. The margins leave
		// room for a slow machine.
		o := startOrg(t, sftest.Config{}, orgOptions{jwt: func(c *jwtauth.Config) {
			c.TokenLifetime, c.RefreshMargin, c.Retries = 5*time.Second, 3*time.Second, -1
		}})
		defer o.close()
		want := o.addAccounts(t, 500)
		o.warm(t)
		o.srv.FailNext(sftest.Fault{Count: 1000, PathPrefix: tokenPath, Status: http.StatusServiceUnavailable})
		logins := o.srv.TokenRequests()

		// A fresh token: no login is even tried.
		got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
		if err != nil {
			t.Fatalf("with a fresh token: %v", err)
		}
		sameSet(t, "token endpoint down, fresh token", got, want)
		if n := o.srv.TokenRequests() - logins; n != 0 {
			t.Errorf("token requests with a fresh cached token = %d, want 0", n)
		}

		// Inside the refresh margin: the refresh fails, the work goes on with the cached token.
		time.Sleep(2200 * time.Millisecond)
		got, err = drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), nil)
		if err != nil {
			t.Fatalf("inside the refresh margin: %v", err)
		}
		sameSet(t, "token endpoint down, refresh failing", got, want)
		deadline := time.Now().Add(time.Second)
		for o.srv.TokenRequests() == logins && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if o.srv.TokenRequests() == logins {
			t.Errorf("no background refresh was tried inside the refresh margin")
		}
	})
}
