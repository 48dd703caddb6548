package sfclient_test

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestNoGoroutineLeft runs the fault paths (retries, refresh, cut page, cut download, early
// break, cancelled backoff) and checks that no goroutine is left once the server is closed.
// Not parallel: it counts the process's goroutines.
func TestNoGoroutineLeft(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		srv := sftest.NewUnstartedServer(sftest.Config{NoSampleData: true})
		srv.StartTLS()
		defer srv.Close()
		hc := srv.Client()
		defer hc.CloseIdleConnections()
		c, err := sfclient.New(sfclient.Config{TokenSource: &issuingSource{srv: srv}, HTTPClient: hc, Retry: testRetry})
		if err != nil {
			t.Fatal(err)
		}
		srv.AddAccounts(4500)
		id, _ := srv.AddEventLogFile(sftest.EventLogFile{Size: 1 << 20})
		ctx := t.Context()

		srv.FailNext(sftest.Fault{Count: 2, PathPrefix: queryPath})
		srv.CutAfter(1, queryPath+"/", 3000)
		n := 0
		for _, err := range c.Query(ctx, "SELECT Id FROM Account", nil) {
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if n++; n == 2500 {
				srv.RevokeAllTokens()
			}
		}
		for range c.Query(ctx, "SELECT Id FROM Account", nil) {
			break
		}
		srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 20000)
		if _, err := c.DownloadEventLogFile(ctx, sfclient.EventLogFile{ID: id}, io.Discard, nil); err == nil {
			t.Errorf("cut download: no error")
		}
		srv.FailNext(sftest.Fault{Count: 10, PathPrefix: "/services/data/v66.0/limits"})
		slow, _ := sfclient.New(sfclient.Config{TokenSource: &issuingSource{srv: srv}, HTTPClient: hc,
			Retry: sfclient.RetryPolicy{MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxElapsed: time.Hour}})
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := slow.Limits(cctx); err == nil {
			t.Errorf("cancelled backoff: no error")
		}
	}()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
