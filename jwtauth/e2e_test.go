package jwtauth

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/sfclient/sftest"
	"golang.org/x/oauth2"
)

// testCert is the certificate of testKey, as uploaded in guide Step 9.
var testCert = sync.OnceValue(func() *x509.Certificate {
	der, err := certgen.SelfSigned(testKey(), certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "sfjwt tests"}, certgen.CertOptions{})
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
})

// newOrg starts an emulated org with testCert uploaded to its (first) app.
func newOrg(t *testing.T, cfg sftest.Config) *sftest.Server {
	t.Helper()
	srv := sftest.NewServer(t, cfg)
	srv.AddCertificate(testCert())
	return srv
}

// capture records the assertions a client posts (to prove that none leaks) and the forms.
type capture struct {
	base  http.RoundTripper
	mu    sync.Mutex
	forms []url.Values
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		form, _ := url.ParseQuery(string(body))
		c.mu.Lock()
		c.forms = append(c.forms, form)
		c.mu.Unlock()
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return c.base.RoundTrip(r)
}

func (c *capture) assertions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, f := range c.forms {
		out = append(out, f.Get("assertion"))
	}
	return out
}

// orgSource returns a JWT source for srv's default app and user, with a capturing client.
func orgSource(t *testing.T, srv *sftest.Server, mod func(*Config)) (*TokenSource, *capture) {
	t.Helper()
	client := srv.Client()
	cp := &capture{base: client.Transport}
	client.Transport = cp
	cfg := Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: testKey(), InstanceURL: srv.URL, HTTPClient: client}
	if mod != nil {
		mod(&cfg)
	}
	ts, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts.backoff = func(int) time.Duration { return time.Millisecond }
	return ts, cp
}

// restStatus GETs the org's limits with tok and returns the HTTP status.
func restStatus(t *testing.T, client *http.Client, tok *oauth2.Token) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, InstanceURL(tok)+"/services/data/v"+sftest.DefaultAPIVersion+"/limits", nil)
	tok.SetAuthHeader(req)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET limits: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestOrgLogin(t *testing.T) {
	srv := newOrg(t, sftest.Config{})
	rc := srv.Client()
	ts, cp := orgSource(t, srv, nil)
	tok, err := ts.TokenContext(t.Context())
	if err != nil {
		t.Fatalf("TokenContext: %v", err)
	}
	if InstanceURL(tok) != srv.URL || OrgID(tok) != srv.OrgID() {
		t.Errorf("instance %q org %q, want %q %q", InstanceURL(tok), OrgID(tok), srv.URL, srv.OrgID())
	}
	if uid, _ := srv.UserID(sftest.DefaultUsername); UserID(tok) != uid {
		t.Errorf("UserID = %q, want %q", UserID(tok), uid)
	}
	if !strings.HasPrefix(tok.AccessToken, srv.OrgID()[:15]+"!") {
		t.Errorf("access token is not shaped 00D…!…")
	}
	if got := restStatus(t, rc, tok); got != http.StatusOK {
		t.Errorf("REST call with the token: HTTP %d, want 200", got)
	}
	// The assertion as the emulator received it.
	a := cp.assertions()
	if len(a) != 1 {
		t.Fatalf("%d assertions posted, want 1", len(a))
	}
	parts := strings.Split(a[0], ".")
	claims := decodeSegment(t, parts[1])
	if claims["iss"] != sftest.DefaultClientID || claims["sub"] != sftest.DefaultUsername || claims["aud"] != srv.URL {
		t.Errorf("claims = %v", claims)
	}
}

func TestOrgAudiences(t *testing.T) {
	tests := []struct {
		name     string
		org      sftest.Config
		audience string // "" = derived
		wantErr  string // "" = success
	}{
		{"loopback derives the server URL", sftest.Config{}, "", ""},
		{"production: login audience with My Domain host", sftest.Config{}, DefaultLoginURL, ""},
		{"sandbox: test audience with My Domain host", sftest.Config{Org: sftest.Org{Sandbox: true}}, SandboxLoginURL, ""},
		{"sandbox refuses the login audience", sftest.Config{Org: sftest.Org{Sandbox: true}}, DefaultLoginURL, "audience is invalid"},
		{"Experience Cloud site audience", sftest.Config{ExtraAudiences: []string{"https://acme.my.site.com/customers"}}, "https://acme.my.site.com/customers", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOrg(t, tt.org)
			ts, _ := orgSource(t, srv, func(c *Config) { c.Audience = tt.audience })
			_, err := ts.Token()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Token: %v", err)
				}
				return
			}
			var te *TokenError
			if !errors.As(err, &te) || te.Description != tt.wantErr {
				t.Fatalf("Token error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestOrgErrorsMapToHints(t *testing.T) {
	inactive := []sftest.User{{Username: sftest.DefaultUsername, Inactive: true}}
	appWith := func(mod func(*sftest.App)) []sftest.App {
		a := sftest.DefaultApp()
		mod(&a)
		return []sftest.App{a}
	}
	canned := func(status int, body string) func(*sftest.Server) {
		return func(s *sftest.Server) {
			s.FailNext(sftest.Fault{PathPrefix: TokenPath, Status: status, Body: body})
		}
	}
	tests := []struct {
		name     string
		org      sftest.Config
		cfg      func(*Config)
		prepare  func(*sftest.Server)
		wantCode string
		wantDesc string
		wantHint string
	}{
		{"not approved", sftest.Config{Apps: appWith(func(a *sftest.App) { a.Profiles = []string{"Nobody"} })}, nil, nil,
			"invalid_grant", "user hasn't approved this consumer", "Step 12"},
		{"wrong certificate", sftest.Config{}, func(c *Config) { c.Key = otherKey() }, nil,
			"invalid_grant", "invalid assertion", "Step 9"},
		{"audience", sftest.Config{}, func(c *Config) { c.Audience = SandboxLoginURL }, nil,
			"invalid_grant", "audience is invalid", "https://test.salesforce.com for sandboxes"},
		{"clock skew", sftest.Config{Clock: func() time.Time { return time.Now().Add(time.Hour) }}, nil, nil,
			"invalid_grant", "expired authorization code", "clock"},
		{"client ID", sftest.Config{}, func(c *Config) { c.ClientID = "3MVG9NotTheRightKey" }, nil,
			"invalid_client_id", "client identifier invalid", "How to Find Client ID"},
		{"not installed", sftest.Config{Apps: appWith(func(a *sftest.App) { a.Installed = false })}, nil, nil,
			"invalid_grant", "External client app is not installed in this org", "not installed in this org"},
		{"API access control", sftest.Config{APIAccessControl: true, Apps: appWith(func(a *sftest.App) { a.Profiles = []string{"Nobody"} })}, nil, nil,
			"invalid_app_access", "user is not admin approved to access this app", "API Access Control"},
		{"inactive user", sftest.Config{Users: inactive}, nil, nil,
			"invalid_grant", "inactive user", "inactive or frozen"},
		{"app not found (canned)", sftest.Config{}, nil, canned(400, `{"error":"app_not_found","error_description":"app not found"}`),
			"app_not_found", "app not found", "My Domain URL as the audience"},
		{"IP restricted (canned)", sftest.Config{}, nil, canned(400, `{"error":"invalid_grant","error_description":"IP restricted or invalid login hours"}`),
			"invalid_grant", "IP restricted or invalid login hours", "Login IP Ranges"},
		{"HTML page", sftest.Config{}, nil, canned(404, "<html><head><title>Page Not Found</title></head></html>"),
			"", `not an OAuth JSON answer: text/html`, "not a Salesforce token endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOrg(t, tt.org)
			if tt.prepare != nil {
				tt.prepare(srv)
			}
			ts, _ := orgSource(t, srv, tt.cfg)
			_, err := ts.Token()
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token error = %v, want *TokenError", err)
			}
			if te.Code != tt.wantCode || !strings.HasPrefix(te.Description, tt.wantDesc) || te.Retryable {
				t.Errorf("TokenError = %q %q retryable=%v, want %q %q not retryable", te.Code, te.Description, te.Retryable, tt.wantCode, tt.wantDesc)
			}
			if !strings.Contains(te.Hint, tt.wantHint) {
				t.Errorf("Hint = %q, want it to contain %q", te.Hint, tt.wantHint)
			}
			if n := srv.TokenRequests(); n != 1 {
				t.Errorf("token requests = %d, want 1 (4xx is never retried)", n)
			}
		})
	}
}

func TestOrgLoginRateExceeded(t *testing.T) {
	srv := newOrg(t, sftest.Config{LoginRateLimit: 1})
	ts, _ := orgSource(t, srv, nil)
	tok, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	ts.Invalidate(tok)
	_, err = ts.Token()
	var te *TokenError
	if !errors.As(err, &te) || te.Description != "login rate exceeded" || !strings.Contains(te.Hint, "reuse tokens") {
		t.Fatalf("second login: error = %v, want login rate exceeded with a caching hint", err)
	}
}
