package sfclient

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestNoTokenInErrorsOrLogs drives the failure paths with a server that echoes the request's
// Authorization header back in its error bodies, and checks that the access token appears in
// no error text and no debug log line.
func TestNoTokenInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	const token = "00DTESTORG000001!AQsecret.access.token.value.0123456789"
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch n.Add(1) % 4 {
		case 1:
			sfError(w, 503, "SERVER_UNAVAILABLE", "echo "+auth)
		case 2:
			sfError(w, 401, "INVALID_SESSION_ID", "bad token "+auth)
		case 3:
			w.WriteHeader(502)
			fmt.Fprintf(w, "proxy saw %s", auth)
		default:
			sfError(w, 400, "MALFORMED_QUERY", auth)
		}
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c, err := New(Config{
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}),
		InstanceURL: srv.URL, APIVersion: "62.0", HTTPClient: srv.Client(),
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:  RetryPolicy{MaxRetries: 10, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for range 4 {
		for _, err := range c.Query(t.Context(), "SELECT Id FROM Account WHERE Name = 'x'", nil) {
			if err != nil {
				errs = append(errs, err.Error())
			}
		}
		if _, err := c.Create(t.Context(), "Account", map[string]string{"Name": "x"}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) == 0 || logs.Len() == 0 {
		t.Fatalf("no errors (%d) or no logs (%d bytes): the test exercised nothing", len(errs), logs.Len())
	}
	for _, s := range append(errs, logs.String()) {
		if strings.Contains(s, token) || strings.Contains(s, "secret.access") {
			t.Errorf("the access token leaked into: %s", s)
		}
		if strings.Contains(s, "Name = ") {
			t.Errorf("SOQL text leaked into: %s", s)
		}
	}
	if !strings.Contains(strings.Join(errs, "\n"), "[REDACTED]") {
		t.Errorf("errors %q: want the echoed token shown as [REDACTED]", errs)
	}
}
