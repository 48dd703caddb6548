package e2e

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"iter"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/syncbuf"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// apiBase is the REST base of sftest's newest API version, which the clients discover.
const apiBase = "/services/data/v" + sftest.DefaultAPIVersion

// Paths the faults aim at.
const (
	queryPath   = apiBase + "/query"  // first page: …/query?q=
	pagePath    = apiBase + "/query/" // later pages: …/query/<locator>-<n>
	logFilePath = apiBase + "/sobjects/EventLogFile/"
	tokenPath   = "/services/oauth2/token"
)

// fastRetry keeps the client's backoffs in milliseconds so that a storm costs little time.
var fastRetry = sfclient.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxElapsed: 5 * time.Second}

// testKey is the package's one RSA test key (a test key, not a secret) and its certificate,
// generated on first use.
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, *x509.Certificate) {
	key, err := certgen.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	der, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "sfjwt e2e"}, certgen.CertOptions{})
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return key, cert
})

// org is an emulated org with a jwtauth token source and an sfclient client in front of it,
// both logging at debug level into logs.
type org struct {
	srv    *sftest.Server
	hc     *http.Client
	ts     *jwtauth.TokenSource
	client *sfclient.Client
	logs   *syncbuf.Buffer
	once   sync.Once
}

// orgOptions tunes startOrg; the zero value is fastRetry and jwtauth's defaults.
type orgOptions struct {
	retry sfclient.RetryPolicy
	jwt   func(*jwtauth.Config)
	// wrap, when set, puts a handler in front of the emulator, e.g. to change the org just
	// before a given request is served.
	wrap func(srv *sftest.Server, next http.Handler) http.Handler
}

// startOrg starts an emulated org with the package's certificate uploaded, and the clients.
// The org is closed when the test ends, or earlier with close.
func startOrg(t *testing.T, cfg sftest.Config, opts orgOptions) *org {
	t.Helper()
	key, cert := testKey()
	cfg.NoSampleData = true
	srv, err := sftest.New(cfg)
	if err != nil {
		t.Fatalf("sftest.New: %v", err)
	}
	if opts.wrap != nil {
		hs := srv.HTTPServer()
		hs.Config.Handler = opts.wrap(srv, hs.Config.Handler)
	}
	srv.StartTLS()
	o := &org{srv: srv, hc: srv.Client(), logs: &syncbuf.Buffer{}}
	t.Cleanup(o.close)
	if err := srv.AddCertificate(cert); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(o.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jc := jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: key,
		LoginURL: srv.URL, HTTPClient: o.hc, Logger: logger}
	if opts.jwt != nil {
		opts.jwt(&jc)
	}
	if o.ts, err = jwtauth.New(jc); err != nil {
		t.Fatalf("jwtauth.New: %v", err)
	}
	retry := opts.retry
	if retry == (sfclient.RetryPolicy{}) {
		retry = fastRetry
	}
	if o.client, err = sfclient.New(sfclient.Config{TokenSource: o.ts, HTTPClient: o.hc, Logger: logger, Retry: retry}); err != nil {
		t.Fatalf("sfclient.New: %v", err)
	}
	return o
}

// close shuts the server down and drops the client's idle connections, so that a goroutine
// count afterwards sees only what leaked.
func (o *org) close() {
	o.once.Do(func() {
		o.srv.Close()
		o.hc.CloseIdleConnections()
	})
}

// warm logs in and discovers the API version, so that a later count of requests sees only
// the calls under test.
func (o *org) warm(t *testing.T) {
	t.Helper()
	if _, err := o.client.APIVersion(t.Context()); err != nil {
		t.Fatalf("APIVersion: %v", err)
	}
	if _, err := o.ts.TokenContext(t.Context()); err != nil {
		t.Fatalf("TokenContext: %v", err)
	}
}

// requests counts the logged requests whose path starts with prefix, from index from on.
func (o *org) requests(from int, prefix string) (n int) {
	for _, r := range o.srv.Requests()[from:] {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// addAccounts adds n Accounts and returns their IDs as a set.
func (o *org) addAccounts(t *testing.T, n int) map[string]bool {
	t.Helper()
	ids, err := o.srv.AddAccounts(n)
	if err != nil {
		t.Fatal(err)
	}
	set := make(map[string]bool, n)
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// idRecord is the one field the fault tests read.
type idRecord struct {
	ID string `json:"Id"`
}

// drain reads a record sequence, calling each (when not nil) with the count so far after every
// record. It reports duplicates as test errors and returns the IDs seen and the error that
// ended the sequence.
func drain(t *testing.T, seq iter.Seq2[json.RawMessage, error], each func(n int)) (map[string]bool, error) {
	t.Helper()
	seen := map[string]bool{}
	for r, err := range sfclient.Decode[idRecord](seq) {
		if err != nil {
			return seen, err
		}
		if seen[r.ID] {
			t.Errorf("record %s yielded twice", r.ID)
		}
		seen[r.ID] = true
		if each != nil {
			each(len(seen))
		}
	}
	return seen, nil
}

// sameSet reports, as a test error, how got differs from want.
func sameSet(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	missing, extra := 0, 0
	for id := range want {
		if !got[id] {
			missing++
		}
	}
	for id := range got {
		if !want[id] {
			extra++
		}
	}
	if missing > 0 || extra > 0 {
		t.Errorf("%s: %d records, %d missing, %d unexpected; want exactly the %d added", what, len(got), missing, extra, len(want))
	}
}

// subset reports, as a test error, records of got that are not in want.
func subset(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	for id := range got {
		if !want[id] {
			t.Errorf("%s: unexpected record %s", what, id)
			return
		}
	}
}

// noLeak runs body, which must close every server and client it starts, and then checks that
// the number of goroutines is back to what it was, allowing a short settle time. Tests using
// it are not parallel: it counts the whole process's goroutines.
func noLeak(t *testing.T, body func()) {
	t.Helper()
	before := runtime.NumGoroutine()
	body()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// sfclientFile names an event log file by ID for DownloadEventLogFile.
func sfclientFile(id string) sfclient.EventLogFile { return sfclient.EventLogFile{ID: id} }

// mkdir creates dir (mode 0700).
func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}
