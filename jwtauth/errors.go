package jwtauth

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors returned by New and NewClientCredentials, and by the token sources. Test for them
// with errors.Is; the returned errors wrap them with what was wrong.
var (
	// ErrConfig reports a Config field that is missing or malformed.
	ErrConfig = errors.New("jwtauth: invalid config")
	// ErrKey reports a private key that cannot be used: unreadable, encrypted without the
	// right password, not RSA, or of a size Salesforce does not accept. The certgen error is
	// wrapped too.
	ErrKey = errors.New("jwtauth: unusable private key")
	// ErrInsecureURL reports a URL that is not HTTPS and does not point at a loopback host.
	ErrInsecureURL = errors.New("jwtauth: URL must use https (plain http only toward loopback)")
	// ErrMyDomainRequired reports a client credentials flow configured with a generic login
	// host: Salesforce accepts that flow only on the org's My Domain URL.
	ErrMyDomainRequired = errors.New("jwtauth: the client credentials flow needs the org's My Domain URL")
	// ErrNoToken reports a token endpoint answer without an access_token.
	ErrNoToken = errors.New("jwtauth: token response has no access_token")
)

// TokenError is a token request that Salesforce (or whatever answered at the token URL)
// refused. Use errors.As to get it. Its text never holds the assertion, the key, the client
// secret or a token.
type TokenError struct {
	// Status is the HTTP status code of the answer.
	Status int
	// Code is the OAuth "error" field, e.g. "invalid_grant". Empty when the answer was not
	// an OAuth JSON error.
	Code string
	// Description is the OAuth "error_description" field, e.g. "user hasn't approved this
	// consumer"; for a non-JSON answer, a short description of what came back instead.
	Description string
	// Retryable reports whether sending the same request again later may succeed (a server
	// error). The token source already retried it a bounded number of times.
	Retryable bool
	// Hint says what to fix, naming the setup-guide step when there is one.
	Hint string
	// TokenURL is where the request was posted.
	TokenURL string
	// Audience is the assertion's "aud" claim (empty for the client credentials flow).
	Audience string

	retryAfter time.Duration // the answer's Retry-After, for the retry loop
}

// Error returns the status, the OAuth error and description, and the hint.
func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jwtauth: token request to %s refused: HTTP %d", e.TokenURL, e.Status)
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, " %s: %s", e.Code, e.Description)
	case e.Code != "":
		fmt.Fprintf(&b, " %s", e.Code)
	case e.Description != "":
		fmt.Fprintf(&b, " (%s)", e.Description)
	}
	if e.Hint != "" {
		b.WriteString("; hint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}
