package sfclient_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
	"golang.org/x/oauth2"
)

// testRetry keeps backoffs short in tests.
var testRetry = sfclient.RetryPolicy{MaxRetries: 4, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, MaxElapsed: 20 * time.Second}

// issuingSource mints tokens with sftest's IssueToken, a new one only after Invalidate, like a
// caching token source in front of a login.
type issuingSource struct {
	srv *sftest.Server

	mu          sync.Mutex
	tok         *oauth2.Token
	issued      int
	invalidated int
}

func (s *issuingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil {
		return s.tok, nil
	}
	at, err := s.srv.IssueToken(sftest.DefaultUsername)
	if err != nil {
		return nil, err
	}
	s.issued++
	s.tok = (&oauth2.Token{AccessToken: at, TokenType: "Bearer"}).WithExtra(map[string]any{"instance_url": s.srv.URL})
	return s.tok, nil
}

func (s *issuingSource) Invalidate(t *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.tok.AccessToken == t.AccessToken {
		s.tok = nil
		s.invalidated++
	}
}

func (s *issuingSource) counts() (issued, invalidated int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued, s.invalidated
}

// newOrg starts an emulated org without sample data and a client for it. The client takes its
// instance URL from the token and discovers the API version.
func newOrg(t testing.TB, cfg sftest.Config) (*sftest.Server, *sfclient.Client, *issuingSource) {
	t.Helper()
	cfg.NoSampleData = true
	srv := sftest.NewServer(t, cfg)
	src := &issuingSource{srv: srv}
	c, err := sfclient.New(sfclient.Config{TokenSource: src, HTTPClient: srv.Client(), Retry: testRetry})
	if err != nil {
		t.Fatalf("sfclient.New: %v", err)
	}
	return srv, c, src
}

// countPaths counts the logged requests whose path starts with prefix.
func countPaths(srv *sftest.Server, prefix string) int {
	n := 0
	for _, r := range srv.Requests() {
		if len(r.Path) >= len(prefix) && r.Path[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

type accountRow struct {
	ID   string `json:"Id"`
	Name string `json:"Name"`
}

// collect reads a sequence into IDs, failing on duplicates; it returns the error that ended it.
func collect(t *testing.T, seq func(func(accountRow, error) bool)) (map[string]bool, error) {
	t.Helper()
	seen := map[string]bool{}
	for a, err := range seq {
		if err != nil {
			return seen, err
		}
		if seen[a.ID] {
			t.Errorf("record %s yielded twice", a.ID)
		}
		seen[a.ID] = true
	}
	return seen, nil
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
