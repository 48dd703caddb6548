package sfclient

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// fakeSource hands out "tok-1", "tok-2", … moving on only when the current token is invalidated.
type fakeSource struct {
	mu          sync.Mutex
	n           int
	invalidated []string
	extra       map[string]any
}

func (s *fakeSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", s.n+1), TokenType: "Bearer"}
	if s.extra != nil {
		t = t.WithExtra(s.extra)
	}
	return t, nil
}

func (s *fakeSource) Invalidate(t *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.AccessToken == fmt.Sprintf("tok-%d", s.n+1) {
		s.n++
		s.invalidated = append(s.invalidated, t.AccessToken)
	}
}

func (s *fakeSource) invalidations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.invalidated...)
}

// fastRetry keeps test backoffs short.
var fastRetry = RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxElapsed: 10 * time.Second}

// newLocal starts an httptest server with h and a client for it (API version 62.0).
func newLocal(t *testing.T, h http.HandlerFunc) (*Client, *fakeSource, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	src := &fakeSource{}
	c, err := New(Config{TokenSource: src, InstanceURL: srv.URL, APIVersion: "62.0", Retry: fastRetry, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, src, srv
}

// sfError writes a Salesforce error array.
func sfError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `[{"message":%q,"errorCode":%q}]`, msg, code)
}

// resetConn closes the client's connection without an answer, as a network failure would.
func resetConn(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

type nopReadCloser struct {
	r interface{ Read([]byte) (int, error) }
}

func (n nopReadCloser) Read(p []byte) (int, error) { return n.r.Read(p) }
func (nopReadCloser) Close() error                 { return nil }

func nopCloser(r interface{ Read([]byte) (int, error) }) nopReadCloser { return nopReadCloser{r} }
