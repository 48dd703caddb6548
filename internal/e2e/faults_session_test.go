package e2e

import (
	"context"
	"errors"
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

// Faults of time and allocation: sessions expiring, the daily limit, a slow server, the token
// endpoint down. Not parallel: each counts the process's goroutines (noLeak).

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

// TestFaultCancelledDownloadNeverSucceeds cancels downloads while the body streams. The server
// stops its (chunked, uncompressed) answer when the client goes away; now and then net/http
// hands the client a clean end of body before the cancellation, and the download must still
// not be reported complete: a caller would keep a truncated file as whole (sfjwt logs download
// renames it into place and skips it on the next run). Fixed in fe86b58; before, about 3% of
// these downloads reported success.
func TestFaultCancelledDownloadNeverSucceeds(t *testing.T) {
	noLeak(t, func() {
		wrap, _ := stallOn(logFilePath, "\"EVENT_TYPE\",\"NAME\"\n"+strings.Repeat("\"API\",\"x\"\n", 2000))
		o := startOrg(t, sftest.Config{}, orgOptions{wrap: wrap})
		defer o.close()
		ids, err := o.srv.AddEventLogFiles(1, 100)
		if err != nil {
			t.Fatal(err)
		}
		o.warm(t)
		for i := range 200 {
			ctx, cancel := context.WithCancel(t.Context())
			n, err := o.client.DownloadEventLogFile(ctx, sfclient.EventLogFile{ID: ids[0]}, io.Discard, func(int64, int64) { cancel() })
			cancel()
			if err == nil {
				t.Fatalf("download %d: cancelled mid-body after %d bytes, yet reported complete", i, n)
			}
		}
	})
}
