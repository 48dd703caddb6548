package jwtauth

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// New validates cfg, reads the key, and returns a TokenSource for the JWT bearer flow. No
// request is sent until the first token is asked for. Errors wrap ErrConfig, ErrKey or
// ErrInsecureURL.
func New(cfg Config) (*TokenSource, error) {
	clientID, err := required("ClientID", cfg.ClientID, "the app's Consumer Key")
	if err != nil {
		return nil, err
	}
	username, err := required("Username", cfg.Username, "the Salesforce username to log in as")
	if err != nil {
		return nil, err
	}
	login, err := loginURL(cfg.LoginURL, cfg.InstanceURL)
	if err != nil {
		return nil, err
	}
	audience, err := audienceFor(cfg.Audience, login)
	if err != nil {
		return nil, err
	}
	life := cfg.AssertionLifetime
	if life == 0 {
		life = MaxAssertionLifetime
	}
	if life < 0 || life > MaxAssertionLifetime {
		return nil, fmt.Errorf("%w: AssertionLifetime %v must be positive and at most %v", ErrConfig, life, MaxAssertionLifetime)
	}
	key, err := loadKey(&cfg)
	if err != nil {
		return nil, err
	}
	st, err := newSettings(cfg.TokenLifetime, cfg.RefreshMargin, cfg.Retries, cfg.HTTPClient, cfg.Logger)
	if err != nil {
		return nil, err
	}
	st.tokenURL = login.String() + TokenPath
	f := &jwtFlow{assertionSigner{clientID: clientID, username: username, audience: audience, lifetime: life, key: key}}
	return newSource(f, st, audience), nil
}

func newSource(f flow, st settings, audience string) *TokenSource {
	return &TokenSource{flow: f, settings: st, audience: audience, now: time.Now, timers: true, backoff: defaultBackoff}
}

// loginURL picks and validates the token host: LoginURL, else InstanceURL, else
// DefaultLoginURL. InstanceURL is validated even when LoginURL wins.
func loginURL(login, instance string) (*url.URL, error) {
	var inst *url.URL
	if strings.TrimSpace(instance) != "" {
		u, err := parseBaseURL("InstanceURL", instance)
		if err != nil {
			return nil, err
		}
		inst = u
	}
	switch {
	case strings.TrimSpace(login) != "":
		return parseBaseURL("LoginURL", login)
	case inst != nil:
		return inst, nil
	}
	return parseBaseURL("LoginURL", DefaultLoginURL)
}

// audienceFor returns the configured audience (validated, kept as written) or the default
// derived from the token host.
func audienceFor(aud string, login *url.URL) (string, error) {
	aud = strings.TrimSpace(aud)
	if aud == "" {
		return deriveAudience(login), nil
	}
	if _, err := parseBaseURL("Audience", aud); err != nil {
		return "", err
	}
	return aud, nil
}

// jwtFlow is the JWT bearer grant.
type jwtFlow struct {
	signer assertionSigner
}

func (f *jwtFlow) form(now time.Time) (url.Values, []string, error) {
	a, err := f.signer.sign(now)
	if err != nil {
		return nil, nil, err
	}
	secrets := append([]string{a}, strings.Split(a, ".")...)
	return url.Values{"grant_type": {GrantTypeJWTBearer}, "assertion": {a}}, secrets, nil
}

func (f *jwtFlow) hintContext() hintContext {
	return hintContext{audience: f.signer.audience, username: f.signer.username}
}
