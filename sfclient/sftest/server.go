package sftest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an emulated Salesforce org serving the OAuth and REST endpoints over HTTP. All its
// methods are safe for concurrent use, also while requests are being served.
type Server struct {
	// URL is the base URL of the server, like https://127.0.0.1:34567 (no trailing slash).
	// It is set by Start and StartTLS.
	URL string

	hs    *httptest.Server
	clock func() time.Time

	mu       sync.Mutex
	org      Org
	orgID    string
	ids      *idGen
	users    []*userState
	apps     []*appState
	extraAud []string
	versions []string
	cfg      Config // the normalised configuration

	sessions map[string]*session
	logins   map[string][]time.Time // user ID → recent login times
	apiUsed  int
	apiDay   time.Time // start of the day apiUsed counts

	objects map[string]*sobject // lower-case name → type
	cursors map[string]*cursor

	faults    []*Fault
	cuts      []cutRule
	latency   time.Duration
	requests  []RequestRecord
	tokenReqs int
}

// NewServer starts an emulated org over HTTPS and closes it when the test ends. It takes at
// most one Config (variadic only so that NewServer(t) gives the default org); more fail the
// test, as does a Config that cannot describe an org.
func NewServer(tb testing.TB, cfgs ...Config) *Server {
	tb.Helper()
	var cfg Config
	switch len(cfgs) {
	case 0:
	case 1:
		cfg = cfgs[0]
	default:
		tb.Fatalf("sftest.NewServer: %d Configs given, want at most one", len(cfgs))
	}
	s, err := newServer(cfg)
	if err != nil {
		tb.Fatalf("sftest.NewServer: %v", err)
	}
	s.StartTLS()
	tb.Cleanup(s.Close)
	return s
}

// NewUnstartedServer returns an emulated org that is not yet listening; call StartTLS (or
// Start) and Close. A Config that cannot describe an org makes it panic, like httptest's
// helpers; use New to get the error instead.
func NewUnstartedServer(cfg Config) *Server {
	s, err := newServer(cfg)
	if err != nil {
		panic(err.Error())
	}
	return s
}

// New returns an unstarted emulated org, or an error wrapping ErrInvalidConfig when cfg cannot
// describe an org.
func New(cfg Config) (*Server, error) {
	return newServer(cfg)
}

// StartTLS starts the server over HTTPS on 127.0.0.1 on a random port, with a fresh
// self-signed certificate valid for localhost, 127.0.0.1 and ::1 (Certificate returns it),
// unless HTTPServer().TLS already holds a certificate.
func (s *Server) StartTLS() {
	if s.hs.TLS == nil || len(s.hs.TLS.Certificates) == 0 {
		if cert, err := newTLSCertificate(time.Now()); err == nil {
			if s.hs.TLS == nil {
				s.hs.TLS = &tls.Config{}
			}
			s.hs.TLS.Certificates = []tls.Certificate{cert}
		} // else httptest's built-in certificate (no localhost) is used
	}
	s.hs.StartTLS()
	s.URL = s.hs.URL
}

// Start starts the server over plain HTTP on 127.0.0.1, for tests of clients that allow plain
// HTTP toward loopback. Real Salesforce serves HTTPS only.
func (s *Server) Start() {
	s.hs.Start()
	s.URL = s.hs.URL
}

// HTTPServer returns the underlying httptest server (for its Listener or Config before
// starting, e.g. to listen on another address).
func (s *Server) HTTPServer() *httptest.Server { return s.hs }

// Close shuts the server down and waits for outstanding requests to finish.
func (s *Server) Close() {
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.hs.Client() }

// Certificate returns the server's TLS certificate, or nil before StartTLS.
func (s *Server) Certificate() *x509.Certificate { return s.hs.Certificate() }

// OrgID returns the 18-character organization ID.
func (s *Server) OrgID() string { return s.orgID }

// UserID returns the 18-character ID of the user with username, or ErrUnknownUser.
func (s *Server) UserID(username string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName(username)
	if u == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownUser, username)
	}
	return u.ID, nil
}

// LoginURL returns the URL to use as the token host: the server's own URL.
func (s *Server) LoginURL() string { return s.URL }

// TokenURL returns the server's token endpoint URL.
func (s *Server) TokenURL() string { return s.URL + "/services/oauth2/token" }

// Audience returns the JWT audience Salesforce expects for this org:
// https://test.salesforce.com for a sandbox, https://login.salesforce.com otherwise. The
// server's own URL is accepted too.
func (s *Server) Audience() string {
	if s.org.Sandbox {
		return audienceSandbox
	}
	return audienceProduction
}

// AddCertificate registers cert with the default (first) app, as uploading it in the External
// Client App settings would; from then on assertions signed by its key verify. The only
// possible error wraps ErrNotRSA (Salesforce takes RSA certificates only), so tests that pass
// an RSA certificate may call it as a statement.
func (s *Server) AddCertificate(cert *x509.Certificate) error {
	s.mu.Lock()
	key := s.apps[0].ConsumerKey
	s.mu.Unlock()
	return s.AddAppCertificate(key, cert)
}

// AddAppCertificate registers cert with the app whose consumer key is clientID. It returns
// ErrUnknownApp or ErrNotRSA.
func (s *Server) AddAppCertificate(clientID string, cert *x509.Certificate) error {
	if cert == nil || !isRSA(cert) {
		return fmt.Errorf("sftest: add certificate: %w", ErrNotRSA)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appByKey(clientID)
	if a == nil {
		return fmt.Errorf("sftest: add certificate: %w", ErrUnknownApp)
	}
	a.Certificates = append(a.Certificates, cert)
	return nil
}

// ServeHTTP serves one request: faults and latency first, then the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := s.begin(w, r)
	defer s.finish(rec, r)
	if s.injectLatency(r) {
		return
	}
	if f := s.takeFault(r.URL.Path); f != nil {
		writeFault(rec, f)
		return
	}
	if err := decodeRequestBody(r); err != nil {
		writeAPIError(rec, newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", "Unable to read the gzip request body"))
		return
	}
	gw := maybeGzip(rec, r)
	defer gw.close()
	s.route(gw, r)
}

// route dispatches a request to its endpoint.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/services/oauth2/token":
		s.handleToken(w, r)
	case p == "/services/oauth2/revoke":
		s.handleRevoke(w, r)
	case p == "/services/oauth2/userinfo":
		s.handleUserInfo(w, r)
	case p == "/services/oauth2/introspect":
		s.handleIntrospect(w, r)
	case strings.HasPrefix(p, "/id/"):
		s.handleIdentity(w, r)
	case p == "/services/data" || p == "/services/data/":
		s.handleVersions(w, r)
	case strings.HasPrefix(p, "/services/data/"):
		s.handleREST(w, r)
	default:
		writeAPIError(w, errNotFound())
	}
}

// now returns the emulated current time.
func (s *Server) now() time.Time { return s.clock() }

// baseURL is the URL clients reach this server by: the Host they used.
func baseURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}
