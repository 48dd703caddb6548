package jwtauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// parseResponse turns a token endpoint answer into a token, or into a *TokenError.
func parseResponse(resp *http.Response, body []byte, secrets []string, hc hintContext) (*oauth2.Token, error) {
	if resp.StatusCode == http.StatusOK {
		tok, ok, fields := parseToken(body)
		if ok && tok == nil {
			slices.Sort(fields) // map order is random; messages must be stable
			return nil, fmt.Errorf("%w (fields: %s)", ErrNoToken, redact(strings.Join(fields, ", "), secrets))
		}
		if ok {
			return tok, nil
		}
	}
	te := &TokenError{
		Status:     resp.StatusCode,
		Retryable:  resp.StatusCode >= 500,
		TokenURL:   hc.tokenURL,
		Audience:   hc.audience,
		retryAfter: retryAfter(resp.Header.Get("Retry-After")),
	}
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &oe) == nil && oe.Error != "" {
		te.Code = redact(oe.Error, secrets)
		te.Description = redact(oe.Description, secrets)
		te.Hint = oauthHint(te.Code, te.Description, hc)
		if te.Hint == "" {
			te.Hint = genericHint(te.Status, hc)
		}
		return nil, te
	}
	te.Description = redact(describeBody(resp, body), secrets)
	te.Hint = nonJSONHint(resp, hc)
	return nil, te
}

// tokenResponse is the success answer of Salesforce's token endpoint. It carries no
// expires_in and no refresh_token.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
}

// parseToken parses a 200 answer. ok is false when the body is not a JSON object or is an
// OAuth error (the caller then reports it as such); a JSON object without an access token
// gives ok and a nil token, with the object's field names.
func parseToken(body []byte) (tok *oauth2.Token, ok bool, fields []string) {
	var raw map[string]any
	if json.Unmarshal(body, &raw) != nil {
		return nil, false, nil
	}
	var tr tokenResponse
	if json.Unmarshal(body, &tr) != nil || tr.AccessToken == "" {
		if _, isErr := raw["error"]; isErr {
			return nil, false, nil
		}
		return nil, true, keys(raw)
	}
	delete(raw, "access_token")
	delete(raw, "refresh_token")
	if tr.TokenType == "" {
		tr.TokenType = "Bearer"
	}
	tok = &oauth2.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType}
	tok.ExpiresIn = expiresIn(raw["expires_in"])
	return tok.WithExtra(raw), true, nil
}

// expiresIn reads an "expires_in" (not sent by Salesforce; honoured if a server does) given
// as a number or a numeric string; anything else is 0.
func expiresIn(v any) int64 {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0
		}
		f = n
	}
	if f < 1 || f > 1e9 {
		return 0
	}
	return int64(f)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// describeBody says what came back instead of OAuth JSON: the content type and, for HTML,
// the page title. The body itself is never quoted (it could echo the request).
func describeBody(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if ct == "" {
		ct = "no content type"
	}
	desc := fmt.Sprintf("not an OAuth JSON answer: %s, %d bytes", ct, len(body))
	if m := titleRE.FindSubmatch(body); m != nil {
		title := strings.Join(strings.Fields(string(bytes.TrimSpace(m[1]))), " ")
		if len(title) > 80 {
			title = title[:80] + "…"
		}
		if title != "" {
			desc += fmt.Sprintf(", page title %q", title)
		}
	}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		desc += ", redirect to " + redactURL(loc)
	}
	return desc
}

// redactURL keeps only the scheme, host and path of a URL.
func redactURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	return raw
}

// redact replaces every occurrence of each secret (of 8 bytes or more) in s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 8 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// maxRetryAfter caps how long a Retry-After header may make a token fetch wait.
const maxRetryAfter = 30 * time.Second

// retryAfter reads a Retry-After header given in seconds; 0 when absent, malformed or larger
// than maxRetryAfter (then the usual backoff applies and the retries end sooner).
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 || time.Duration(n)*time.Second > maxRetryAfter {
		return 0
	}
	return time.Duration(n) * time.Second
}
