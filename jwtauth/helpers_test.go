package jwtauth

import (
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

// testKey returns the package's one RSA test key (generated once: keys are slow).
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := certgen.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// tokenServer is a small local token endpoint: each request is recorded and answered by
// respond (default: a Salesforce-shaped success with a numbered token).
type tokenServer struct {
	*httptest.Server
	count   atomic.Int64
	mu      sync.Mutex
	forms   []url.Values
	respond func(w http.ResponseWriter, r *http.Request, n int64)
}

func newTokenServer(t *testing.T, respond func(w http.ResponseWriter, r *http.Request, n int64)) *tokenServer {
	t.Helper()
	ts := &tokenServer{respond: respond}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) serve(w http.ResponseWriter, r *http.Request) {
	n := ts.count.Add(1)
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	ts.mu.Lock()
	ts.forms = append(ts.forms, form)
	ts.mu.Unlock()
	if r.URL.Path != TokenPath || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if ts.respond != nil {
		ts.respond(w, r, n)
		return
	}
	writeSuccess(w, n)
}

func (ts *tokenServer) lastForm() url.Values {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.forms) == 0 {
		return nil
	}
	return ts.forms[len(ts.forms)-1]
}

// testToken is the access token the fake server hands out as its n-th token.
func testToken(n int64) string {
	return fmt.Sprintf("00DTESTORG000000AAA!AQ0AQTestAccessToken.%06d.notarealsecret", n)
}

func writeSuccess(w http.ResponseWriter, n int64) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(map[string]string{
		"access_token": testToken(n),
		"scope":        "api refresh_token",
		"instance_url": "https://acme.my.salesforce.com",
		"id":           "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA",
		"token_type":   "Bearer",
		"issued_at":    "1795420800000",
	})
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// newTestSource returns a JWT token source posting to url with the test key, a fake clock
// and no backoff wait.
func newTestSource(t *testing.T, loginURL string, mod func(*Config)) (*TokenSource, *fakeClock) {
	t.Helper()
	cfg := Config{ClientID: "3MVG9TestClientID", Username: "integration@example.com", Key: testKey(), LoginURL: loginURL}
	if mod != nil {
		mod(&cfg)
	}
	ts, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clock := newFakeClock()
	ts.now, ts.timers = clock.Now, false
	ts.backoff = func(int) time.Duration { return time.Millisecond }
	return ts, clock
}

// opaqueSigner hides the concrete key type, as an HSM or KMS signer would.
type opaqueSigner struct{ k *rsa.PrivateKey }

func (o opaqueSigner) Public() crypto.PublicKey { return o.k.Public() }
func (o opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.k.Sign(r, digest, opts)
}

// otherKey is a second RSA key, whose certificate was never uploaded.
var otherKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := certgen.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})
