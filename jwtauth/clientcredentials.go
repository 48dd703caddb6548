package jwtauth

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ClientCredentialsConfig configures the client credentials flow (guide Steps 8 and 14): the
// app's consumer key and secret buy a token for the app's run-as user. NewClientCredentials
// copies it.
type ClientCredentialsConfig struct {
	// ClientID is the app's Consumer Key. Required.
	ClientID string
	// ClientSecret is the app's Consumer Secret. Required. It is sent in the form body and
	// never appears in errors or logs.
	ClientSecret string
	// InstanceURL is the org's My Domain URL, e.g. https://acme.my.salesforce.com; the token
	// is requested there. Required: Salesforce refuses this flow on login.salesforce.com and
	// test.salesforce.com.
	InstanceURL string

	// TokenLifetime, RefreshMargin, Retries, HTTPClient and Logger are as in Config.
	TokenLifetime time.Duration
	RefreshMargin time.Duration
	Retries       int
	HTTPClient    *http.Client
	Logger        *slog.Logger
}

// NewClientCredentials validates cfg and returns a TokenSource for the client credentials
// flow, with the same caching, refresh and errors as New. Errors wrap ErrConfig,
// ErrInsecureURL or ErrMyDomainRequired.
func NewClientCredentials(cfg ClientCredentialsConfig) (*TokenSource, error) {
	clientID, err := required("ClientID", cfg.ClientID, "the app's Consumer Key")
	if err != nil {
		return nil, err
	}
	if cfg.ClientSecret == "" {
		return nil, fmt.Errorf("%w: ClientSecret is required (the app's Consumer Secret)", ErrConfig)
	}
	if strings.TrimSpace(cfg.InstanceURL) == "" {
		return nil, fmt.Errorf("%w: InstanceURL is required: %w", ErrConfig, ErrMyDomainRequired)
	}
	u, err := parseBaseURL("InstanceURL", cfg.InstanceURL)
	if err != nil {
		return nil, err
	}
	if isGenericLoginHost(u.Hostname()) {
		return nil, fmt.Errorf("%w (like https://acme.my.salesforce.com), not %s: Salesforce answers \"request not supported on this domain\"",
			ErrMyDomainRequired, u.Host)
	}
	st, err := newSettings(cfg.TokenLifetime, cfg.RefreshMargin, cfg.Retries, cfg.HTTPClient, cfg.Logger)
	if err != nil {
		return nil, err
	}
	st.tokenURL = u.String() + TokenPath
	return newSource(&clientCredentialsFlow{id: clientID, secret: cfg.ClientSecret}, st, ""), nil
}

// isGenericLoginHost reports Salesforce's shared login hosts (not an org's My Domain).
func isGenericLoginHost(host string) bool {
	switch strings.ToLower(host) {
	case "login.salesforce.com", "test.salesforce.com", "login.salesforce.mil", "test.salesforce.mil":
		return true
	}
	return false
}

type clientCredentialsFlow struct {
	id, secret string
}

func (f *clientCredentialsFlow) form(time.Time) (url.Values, []string, error) {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {f.id}, "client_secret": {f.secret}},
		[]string{f.secret}, nil
}

func (f *clientCredentialsFlow) hintContext() hintContext {
	return hintContext{clientCredentials: true}
}
