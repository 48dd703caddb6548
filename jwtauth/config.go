package jwtauth

import (
	"crypto"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

// Defaults and limits of Config.
const (
	// DefaultLoginURL is the token host when neither LoginURL nor InstanceURL is set, and
	// the audience of production and Developer Edition orgs.
	DefaultLoginURL = "https://login.salesforce.com"
	// SandboxLoginURL is the audience of sandboxes (and their generic login host).
	SandboxLoginURL = "https://test.salesforce.com"
	// MaxAssertionLifetime is the longest assertion lifetime Salesforce documents ("within
	// 3 minutes"); it is also the default.
	MaxAssertionLifetime = 3 * time.Minute
	// DefaultTokenLifetime is the session timeout the setup guide sets (Step 17).
	DefaultTokenLifetime = 15 * time.Minute
	// DefaultRefreshMargin is how long before the expiry a token is refreshed, unless the
	// token lifetime is short (then a quarter of it).
	DefaultRefreshMargin = time.Minute
	// DefaultRetries is the number of retries after a network error or a 5xx answer.
	DefaultRetries = 2
	// DefaultHTTPTimeout is the timeout of the HTTP client used when Config.HTTPClient is nil.
	DefaultHTTPTimeout = 30 * time.Second
	// GrantTypeJWTBearer is the grant_type of the JWT bearer flow.
	GrantTypeJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	// TokenPath is the path of Salesforce's token endpoint below the login URL.
	TokenPath = "/services/oauth2/token"
)

// Config configures the JWT bearer flow. New copies it; later changes have no effect.
type Config struct {
	// ClientID is the External Client App's Consumer Key (the assertion's "iss"); see the
	// guide's "How to Find Client ID (Consumer Key)". Required.
	ClientID string
	// Username is the Salesforce username to log in as (the assertion's "sub"), a user
	// pre-authorized on the app (guide Step 12). Required.
	Username string

	// Key is the RSA private key whose certificate was uploaded to the app (guide Step 9).
	// It may be any crypto.Signer with an RSA public key (an HSM or KMS key works). Exactly
	// one of Key, KeyFile and KeyPEM is required.
	Key crypto.Signer
	// KeyFile is the path of the PEM private key (server.key or server.pem; PKCS#1, PKCS#8
	// or encrypted PKCS#8), read once by New.
	KeyFile string
	// KeyPEM is the PEM private key itself, for keys kept in a secret store rather than a
	// file; same formats as KeyFile.
	KeyPEM []byte
	// KeyPassword decrypts an encrypted KeyFile or KeyPEM (server.pass.key). Nil for plain
	// keys.
	KeyPassword []byte

	// InstanceURL is the org's My Domain URL, e.g. https://acme.my.salesforce.com. When
	// LoginURL is empty it is also the token host. Optional.
	InstanceURL string
	// LoginURL is where the assertion is posted (TokenPath is appended; a URL that already
	// ends in it is accepted). Empty means InstanceURL, else DefaultLoginURL. HTTPS is
	// required except toward a loopback host.
	LoginURL string
	// Audience is the assertion's "aud" (the older guide's "JWT Authentication Audience
	// URL"). Empty means DefaultAudience of the token host: test.salesforce.com for
	// sandboxes, the site URL for Experience Cloud, else login.salesforce.com.
	Audience string

	// AssertionLifetime is how long each signed assertion is valid. Zero means, and the
	// maximum is, MaxAssertionLifetime.
	AssertionLifetime time.Duration
	// TokenLifetime is the app's session timeout: a token is considered expired this long
	// after it was requested (Salesforce sends no expiry). Zero means DefaultTokenLifetime.
	TokenLifetime time.Duration
	// RefreshMargin is how long before the expiry a new token is fetched (in the background
	// while the old one is still valid). Zero means DefaultRefreshMargin, or a quarter of
	// TokenLifetime when that is shorter. It must be shorter than TokenLifetime.
	RefreshMargin time.Duration
	// Retries is how many times a token request is retried after a network error or a 5xx
	// answer, with exponential backoff; 4xx answers are never retried. Zero means
	// DefaultRetries; negative means no retry.
	Retries int

	// HTTPClient sends the token requests. Nil means a client with DefaultHTTPTimeout (never
	// http.DefaultClient). Redirects are never followed for token requests.
	HTTPClient *http.Client
	// Logger receives debug records of token requests (host, status, timing; never secrets).
	// Nil means no logging.
	Logger *slog.Logger
}

// settings are the validated parts shared by both flows.
type settings struct {
	tokenURL string
	lifetime time.Duration
	margin   time.Duration
	retries  int
	client   *http.Client
	logger   *slog.Logger
}

func newSettings(lifetime, margin time.Duration, retries int, client *http.Client, logger *slog.Logger) (settings, error) {
	s := settings{lifetime: lifetime, margin: margin, retries: retries}
	if s.lifetime < 0 {
		return s, fmt.Errorf("%w: TokenLifetime %v is negative", ErrConfig, s.lifetime)
	}
	if s.lifetime == 0 {
		s.lifetime = DefaultTokenLifetime
	}
	if s.margin == 0 {
		s.margin = min(DefaultRefreshMargin, s.lifetime/4)
	}
	if s.margin < 0 || s.margin >= s.lifetime {
		return s, fmt.Errorf("%w: RefreshMargin %v must be positive and shorter than TokenLifetime %v", ErrConfig, s.margin, s.lifetime)
	}
	if s.retries == 0 {
		s.retries = DefaultRetries
	} else if s.retries < 0 {
		s.retries = 0
	}
	s.client = tokenClient(client)
	s.logger = logger
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// tokenClient returns a copy of c (or a default client) that does not follow redirects: a
// redirected POST would either lose its body or carry the assertion to another host.
func tokenClient(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	} else {
		cp.Timeout = DefaultHTTPTimeout
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// loadKey returns the signing key of cfg, checked to be an RSA key Salesforce accepts.
func loadKey(cfg *Config) (crypto.Signer, error) {
	given := 0
	for _, set := range []bool{cfg.Key != nil, cfg.KeyFile != "", len(cfg.KeyPEM) > 0} {
		if set {
			given++
		}
	}
	if given != 1 {
		return nil, fmt.Errorf("%w: exactly one of Key, KeyFile and KeyPEM is required (the private key whose certificate was uploaded in Step 9)", ErrConfig)
	}
	key := cfg.Key
	var err error
	switch {
	case cfg.KeyFile != "":
		key, err = certgen.ReadPrivateKeyFile(cfg.KeyFile, cfg.KeyPassword)
	case len(cfg.KeyPEM) > 0:
		key, err = certgen.ParsePrivateKeyPEM(cfg.KeyPEM, cfg.KeyPassword)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	if err := certgen.CheckRSAKey(key.Public()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return key, nil
}

// required trims v and fails if it is empty or holds whitespace (a copy-and-paste slip).
func required(name, v, help string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fmt.Errorf("%w: %s is required (%s)", ErrConfig, name, help)
	}
	if strings.ContainsAny(v, " \t\r\n") {
		return "", fmt.Errorf("%w: %s contains whitespace; copy it again (%s)", ErrConfig, name, help)
	}
	return v, nil
}
