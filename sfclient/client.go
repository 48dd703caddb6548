package sfclient

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "sfjwt-sfclient/1"

// Config configures a Client. New copies it; later changes have no effect.
type Config struct {
	// TokenSource gives the access tokens. Required. Any oauth2.TokenSource works; when it
	// also implements Invalidator, a token refused with 401 INVALID_SESSION_ID is dropped there
	// before a fresh one is asked for.
	TokenSource oauth2.TokenSource

	// InstanceURL is the org's instance (My Domain) URL, e.g. https://acme.my.salesforce.com.
	// Empty means: use the token's "instance_url" extra, as Salesforce's token answer carries.
	// HTTPS is required except toward a loopback host (tests, sfjwt serve).
	InstanceURL string

	// APIVersion is the REST API version, "62.0" or "v62.0". Empty means the newest version
	// the org offers, discovered with GET /services/data on first use and cached.
	APIVersion string

	// HTTPClient sends the requests. Nil means a client of this package with connect, TLS and
	// response-header timeouts and a body idle timeout (never http.DefaultClient). The client
	// is used through a shallow copy that follows redirects only within the instance's origin.
	HTTPClient *http.Client

	// UserAgent is the User-Agent header. Empty means DefaultUserAgent.
	UserAgent string

	// Logger receives debug lines about retries and refreshes (never tokens or SOQL values).
	// Nil means silent.
	Logger *slog.Logger

	// Retry bounds the retries of transient failures. The zero value means the defaults
	// documented on RetryPolicy.
	Retry RetryPolicy
}

// RetryPolicy bounds how transient failures (HTTP 429, 502, 503, 504, connection resets and
// timeouts) are retried. Only idempotent requests (GET, HEAD, PUT, DELETE, query pages) are
// retried; POST and PATCH are resent only when the connection could not be made at all.
// Waits grow exponentially from MinBackoff to MaxBackoff with full jitter; a Retry-After
// header sets the wait instead (capped by MaxBackoff and the remaining budget).
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt. Zero means 5; a negative
	// value disables retries.
	MaxRetries int
	// MinBackoff is the first wait. Zero means 500ms.
	MinBackoff time.Duration
	// MaxBackoff caps one wait. Zero means 30s.
	MaxBackoff time.Duration
	// MaxElapsed caps the total time spent on one request including its retries: no retry
	// starts whose wait would end after it. Zero means 2 minutes.
	MaxElapsed time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = 5
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = 500 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 30 * time.Second
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 2 * time.Minute
	}
	return p
}

// Client is a thin Salesforce REST client. It is safe for concurrent use by several
// goroutines. Every call that touches the network takes a context first; none is stored.
type Client struct {
	ts       oauth2.TokenSource
	instance *url.URL // nil: from the token
	hc       *http.Client
	ua       string
	log      *slog.Logger
	retry    RetryPolicy
	fixedVer string // "62.0" when configured

	// discover serialises version discovery; holding its single slot means "discovering".
	discover chan struct{}

	mu      sync.Mutex
	version string // discovered version, "" until known
	usage   Usage
	// tokInstance caches the parsed instance_url of the last token (when InstanceURL is unset).
	tokInstance    *url.URL
	tokInstanceRaw string

	// Test hooks.
	now    func() time.Time
	jitter func(max time.Duration) time.Duration
}

// New validates cfg and returns a Client. It makes no network call.
func New(cfg Config) (*Client, error) {
	if cfg.TokenSource == nil {
		return nil, fmt.Errorf("%w: TokenSource is required", ErrBadConfig)
	}
	c := &Client{
		ts:       cfg.TokenSource,
		hc:       cfg.HTTPClient,
		ua:       cfg.UserAgent,
		log:      cfg.Logger,
		retry:    cfg.Retry.withDefaults(),
		discover: make(chan struct{}, 1),
		now:      time.Now,
		jitter:   randomJitter,
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	c.hc = keepTokenHome(c.hc)
	if c.ua == "" {
		c.ua = DefaultUserAgent
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if cfg.InstanceURL != "" {
		u, err := parseInstanceURL(cfg.InstanceURL)
		if err != nil {
			return nil, fmt.Errorf("%w: InstanceURL: %w", ErrBadConfig, err)
		}
		c.instance = u
	}
	if cfg.APIVersion != "" {
		v, err := normalizeVersion(cfg.APIVersion)
		if err != nil {
			return nil, fmt.Errorf("%w: APIVersion: %w", ErrBadConfig, err)
		}
		c.fixedVer = v
	}
	return c, nil
}

// normalizeVersion turns "v62.0" or "62.0" into "62.0".
func normalizeVersion(s string) (string, error) {
	v := strings.TrimPrefix(strings.TrimSpace(s), "v")
	major, minor, ok := strings.Cut(v, ".")
	if !ok || !allDigits(major) || !allDigits(minor) || major[0] == '0' {
		return "", fmt.Errorf("%q is not a version like \"62.0\"", s)
	}
	return v, nil
}

func allDigits(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseInstanceURL checks that s is an absolute HTTPS URL (HTTP only toward loopback) with no
// path beyond "/", query or fragment, and returns it with the trailing slash removed.
func parseInstanceURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", s, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an absolute https:// URL", s)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q: plain http is allowed only toward a loopback host; use https", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("%q must be a bare origin like https://acme.my.salesforce.com", s)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// keepTokenHome returns a shallow copy of hc that follows a redirect only within the same
// origin (scheme, host and port). net/http would forward the Authorization header to the same
// host name on any port or scheme; a redirect elsewhere is returned as the 3xx answer instead.
func keepTokenHome(hc *http.Client) *http.Client {
	cp := *hc
	prev := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && !sameOrigin(req.URL, via[0].URL) {
			return http.ErrUseLastResponse
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= 10 {
			return errors.New("sfclient: stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// defaultHTTPClient has real timeouts on every phase but no overall deadline, so that a large
// EventLogFile can stream for as long as bytes keep coming.
func defaultHTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: &idleTimeoutTransport{base: t, idle: 2 * time.Minute}}
}
