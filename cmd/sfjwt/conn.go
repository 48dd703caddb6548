package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/fsutil"
	"github.com/cytechint/sfjwt/jwtauth"
)

// Timeouts of the HTTP client built by conn.httpClient. There is deliberately no overall
// http.Client.Timeout: it would cut long EventLogFile downloads. Each request is bounded by
// the connect, TLS and response-header timeouts; a stalled body is the caller's concern.
const (
	connDialTimeout      = 15 * time.Second
	connTLSTimeout       = 15 * time.Second
	connHeaderTimeout    = 60 * time.Second
	connIdleConnTimeout  = 90 * time.Second
	maxCAFileSize        = 1 << 20
	envInstanceURL       = "SFJWT_INSTANCE_URL"
	envClientID          = "SFJWT_CLIENT_ID"
	envUsername          = "SFJWT_USERNAME"
	envKeyFile           = "SFJWT_KEY_FILE"
	envKeyPassword       = "SFJWT_KEY_PASSWORD"
	envLoginURL          = "SFJWT_LOGIN_URL"
	envAudience          = "SFJWT_AUDIENCE"
	envAPIVersion        = "SFJWT_API_VERSION"
	envCAFile            = "SFJWT_CA_FILE"
	flagKeyPasswordFile  = "--key-password-file"
	connFlagsDescription = `Connection flags (each also read from its environment variable when the flag is not given):
  --instance-url  SFJWT_INSTANCE_URL  the org's My Domain URL (required)
  --client-id     SFJWT_CLIENT_ID     the External Client App's Consumer Key (required)
  --username      SFJWT_USERNAME      the Salesforce username to log in as (required)
  --key           SFJWT_KEY_FILE      the private key PEM file, server.key or server.pem (required)
  --login-url     SFJWT_LOGIN_URL     where to post the login (default: the instance URL)
  --audience      SFJWT_AUDIENCE      the JWT audience (default: derived from the login URL)
  --api-version   SFJWT_API_VERSION   REST API version like 66.0 (default: the newest the org offers)
  --ca-file       SFJWT_CA_FILE       extra trusted CA certificates (PEM), e.g. for sfjwt serve
The password of an encrypted key comes from --key-password-file, SFJWT_KEY_PASSWORD, or a prompt.`
)

// connFlags are the connection flags shared by login, query, logs and doctor.
type connFlags struct {
	instanceURL, clientID, username, keyFile, keyPasswordFile string
	loginURL, audience, apiVersion, caFile                    string
	verbose                                                   bool
}

// addConnFlags defines the connection flags on fs. Mention connFlagsDescription in the
// command's description so users learn the environment variables.
func addConnFlags(fs *flag.FlagSet) *connFlags {
	c := &connFlags{}
	fs.StringVar(&c.instanceURL, "instance-url", "", "the org's My Domain `URL`, e.g. https://acme.my.salesforce.com ("+envInstanceURL+")")
	fs.StringVar(&c.clientID, "client-id", "", "the app's Consumer Key (Client `ID`) ("+envClientID+")")
	fs.StringVar(&c.username, "username", "", "Salesforce `username` to log in as ("+envUsername+")")
	fs.StringVar(&c.keyFile, "key", "", "private key PEM `file` (server.key or server.pem) ("+envKeyFile+")")
	fs.StringVar(&c.keyPasswordFile, "key-password-file", "", "`file` whose first line is the key's password (else "+envKeyPassword+", else a prompt)")
	fs.StringVar(&c.loginURL, "login-url", "", "`URL` to post the login to; default the instance URL ("+envLoginURL+")")
	fs.StringVar(&c.audience, "audience", "", "JWT audience `URL`; default derived from the login URL ("+envAudience+")")
	fs.StringVar(&c.apiVersion, "api-version", "", "REST API `version`, e.g. 66.0; default the newest ("+envAPIVersion+")")
	fs.StringVar(&c.caFile, "ca-file", "", "PEM `file` of extra trusted CA certificates ("+envCAFile+")")
	fs.BoolVar(&c.verbose, "verbose", false, "log the HTTP token requests (never secrets) to standard error")
	return c
}

// conn holds the connection settings after flags and environment are merged.
type conn struct {
	InstanceURL, ClientID, Username, KeyFile, LoginURL, Audience, APIVersion, CAFile string
	keyPasswordFile                                                                  string
	verbose                                                                          bool
}

// values merges the flags with the environment (a flag wins) without checking anything;
// doctor uses it to report each problem on its own line.
func (c *connFlags) values(e *env) *conn {
	return &conn{
		InstanceURL:     firstNonEmpty(c.instanceURL, e.getenv(envInstanceURL)),
		ClientID:        firstNonEmpty(c.clientID, e.getenv(envClientID)),
		Username:        firstNonEmpty(c.username, e.getenv(envUsername)),
		KeyFile:         firstNonEmpty(c.keyFile, e.getenv(envKeyFile)),
		LoginURL:        firstNonEmpty(c.loginURL, e.getenv(envLoginURL)),
		Audience:        firstNonEmpty(c.audience, e.getenv(envAudience)),
		APIVersion:      firstNonEmpty(c.apiVersion, e.getenv(envAPIVersion)),
		CAFile:          firstNonEmpty(c.caFile, e.getenv(envCAFile)),
		keyPasswordFile: c.keyPasswordFile,
		verbose:         c.verbose,
	}
}

// resolve merges flags and environment and checks that the required settings are there and
// the API version is well formed. Problems are usage errors (exit 2) naming every missing
// flag with its environment variable.
func (c *connFlags) resolve(e *env, fs *flag.FlagSet) (*conn, error) {
	v := c.values(e)
	var missing []string
	for _, r := range []struct{ val, flag, env, what string }{
		{v.InstanceURL, "--instance-url", envInstanceURL, "the org's My Domain URL, Setup → My Domain"},
		{v.ClientID, "--client-id", envClientID, "the Consumer Key, guide \"How to Find Client ID\""},
		{v.Username, "--username", envUsername, "the integration user's username"},
		{v.KeyFile, "--key", envKeyFile, "server.key or server.pem"},
	} {
		if r.val == "" {
			missing = append(missing, fmt.Sprintf("%s or %s (%s)", r.flag, r.env, r.what))
		}
	}
	if len(missing) > 0 {
		return nil, usageErr(fs, "missing %s", strings.Join(missing, "; "))
	}
	if v.APIVersion != "" {
		norm, err := normalizeAPIVersion(v.APIVersion)
		if err != nil {
			return nil, usageErr(fs, "%v", err)
		}
		v.APIVersion = norm
	}
	return v, nil
}

var apiVersionRE = regexp.MustCompile(`^[vV]?([0-9]{2,3})(\.0)?$`)

// normalizeAPIVersion turns "v66.0", "66.0" or "66" into "66.0".
func normalizeAPIVersion(s string) (string, error) {
	m := apiVersionRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", fmt.Errorf("API version %q: want a version like 66.0 (Setup → Apex Classes → API Version)", s)
	}
	return m[1] + ".0", nil
}

// httpClient returns the client for every request of the command: the system roots plus
// CAFile, TLS 1.2 or newer, and connect, handshake and response-header timeouts.
func (c *conn) httpClient() (*http.Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		data, err := fsutil.ReadFileLimit(c.CAFile, maxCAFileSize)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--ca-file %s holds no PEM certificate", c.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: connDialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   connTLSTimeout,
		ResponseHeaderTimeout: connHeaderTimeout,
		IdleConnTimeout:       connIdleConnTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   8,
	}
	return &http.Client{Transport: tr}, nil
}

// logger returns a debug logger on standard error with --verbose, else nil (silent).
func (c *conn) logger(e *env) *slog.Logger {
	if !c.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// tokenSource builds the JWT bearer token source. The key password is read from
// --key-password-file or SFJWT_KEY_PASSWORD when given; an encrypted key without one is
// retried after a no-echo prompt when standard input is a terminal.
func (c *conn) tokenSource(e *env, client *http.Client) (*jwtauth.TokenSource, error) {
	src := secretSource{what: "key password", file: c.keyPasswordFile, fileFlag: flagKeyPasswordFile, envVar: envKeyPassword, optional: true}
	pw, err := readSecret(e, src)
	if err != nil {
		return nil, err
	}
	cfg := jwtauth.Config{
		ClientID: c.ClientID, Username: c.Username, KeyFile: c.KeyFile, KeyPassword: pw,
		InstanceURL: c.InstanceURL, LoginURL: c.LoginURL, Audience: c.Audience,
		HTTPClient: client, Logger: c.logger(e),
	}
	ts, err := jwtauth.New(cfg)
	if errors.Is(err, certgen.ErrPasswordRequired) && pw == nil && e.stdinIsTerminal != nil && e.stdinIsTerminal() {
		src.optional = false
		if cfg.KeyPassword, err = readSecret(e, src); err != nil {
			return nil, err
		}
		ts, err = jwtauth.New(cfg)
	}
	if errors.Is(err, certgen.ErrPasswordRequired) {
		return nil, fmt.Errorf("%w; give the password with %s FILE or %s", err, flagKeyPasswordFile, envKeyPassword)
	}
	if err != nil {
		return nil, err
	}
	return ts, nil
}
