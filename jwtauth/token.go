package jwtauth

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// extraString returns the string extra field name of tok, or "".
func extraString(tok *oauth2.Token, name string) string {
	if tok == nil {
		return ""
	}
	s, _ := tok.Extra(name).(string)
	return s
}

// InstanceURL returns the token's "instance_url": the base URL for REST calls (the org's
// My Domain). Empty when tok is nil or has none.
func InstanceURL(tok *oauth2.Token) string { return extraString(tok, "instance_url") }

// IdentityURL returns the token's "id": https://<login host>/id/<org ID>/<user ID>.
func IdentityURL(tok *oauth2.Token) string { return extraString(tok, "id") }

// OrgID returns the 18-character organization ID (00D…) from the token's identity URL, or "".
func OrgID(tok *oauth2.Token) string {
	org, _ := idParts(IdentityURL(tok))
	return org
}

// UserID returns the 18-character user ID (005…) from the token's identity URL, or "".
func UserID(tok *oauth2.Token) string {
	_, user := idParts(IdentityURL(tok))
	return user
}

func idParts(id string) (org, user string) {
	u, err := url.Parse(id)
	if err != nil {
		return "", ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 3 || parts[len(parts)-3] != "id" {
		return "", ""
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// Scopes returns the granted scopes (the token's space-separated "scope"), or nil.
func Scopes(tok *oauth2.Token) []string {
	s := strings.Fields(extraString(tok, "scope"))
	if len(s) == 0 {
		return nil
	}
	return s
}

// IssuedAt returns the token's "issued_at" (milliseconds since the epoch, as Salesforce
// sends it), or the zero time when absent.
func IssuedAt(tok *oauth2.Token) time.Time {
	ms, err := strconv.ParseInt(extraString(tok, "issued_at"), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
