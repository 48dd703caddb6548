package sftest

import (
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Audiences Salesforce accepts on its login hosts.
const (
	audienceProduction = "https://login.salesforce.com"
	audienceSandbox    = "https://test.salesforce.com"
)

const (
	grantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantClientCredentials = "client_credentials"
	// expSkew is how far in the past an assertion's exp may be before it is refused.
	expSkew = time.Minute
	// msThreshold: an exp above this is read as milliseconds (the sf CLI sends ms). As seconds
	// it would be after the year 5000.
	msThreshold = 100_000_000_000
)

// OAuth error texts, exactly as Salesforce words them.
const (
	descClientIDInvalid = "client identifier invalid"
	descInvalidAssert   = "invalid assertion"
	descAudience        = "audience is invalid"
	descExpired         = "expired authorization code"
	descNotApproved     = "user hasn't approved this consumer"
	descInactiveUser    = "inactive user"
	descNotAdminApprove = "user is not admin approved to access this app"
	descNotInstalled    = "External client app is not installed in this org"
	descLoginRate       = "login rate exceeded"
	descGrantType       = "grant type not supported"
	descNoCCUser        = "no client credentials user enabled"
	descBadClientCreds  = "invalid client credentials"
	descMustPost        = "must use HTTP POST"
	descNotOnDomain     = "request not supported on this domain"
	descBadRefresh      = "expired access/refresh token"
)

// tokenFailure is a refused token request.
type tokenFailure struct{ code, desc string }

func grantErr(desc string) *tokenFailure { return &tokenFailure{"invalid_grant", desc} }

// tokenResponse is the success body of the token endpoint. Salesforce sends no expires_in and
// no refresh_token for these flows.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	Signature   string `json:"signature,omitempty"`
	Scope       string `json:"scope"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at,omitempty"`
}

// handleToken serves POST /services/oauth2/token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, "invalid_request", descMustPost)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "unsupported_grant_type", descGrantType)
		return
	}
	var (
		resp *tokenResponse
		fail *tokenFailure
	)
	switch r.PostForm.Get("grant_type") {
	case grantJWTBearer:
		resp, fail = s.jwtBearer(r, r.PostForm.Get("assertion"))
	case grantClientCredentials:
		resp, fail = s.clientCredentials(r)
	case "refresh_token":
		// No flow here issues refresh tokens, so every one presented is unknown.
		fail = grantErr(descBadRefresh)
		if s.knownApp(r.PostForm.Get("client_id")) == nil {
			fail = &tokenFailure{"invalid_client_id", descClientIDInvalid}
		}
	default:
		// Old clients put the parameters in the query string of the POST; Salesforce takes it.
		switch r.Form.Get("grant_type") {
		case grantJWTBearer:
			resp, fail = s.jwtBearer(r, r.Form.Get("assertion"))
		default:
			fail = &tokenFailure{"unsupported_grant_type", descGrantType}
		}
	}
	if fail != nil {
		writeOAuthError(w, fail.code, fail.desc)
		return
	}
	writeOAuth(w, http.StatusOK, resp)
}

// jwtBearer validates an assertion the way Salesforce does and opens a session.
func (s *Server) jwtBearer(r *http.Request, assertion string) (*tokenResponse, *tokenFailure) {
	p := jwt.NewParser(jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
	claims := jwt.MapClaims{}
	tok, _, err := p.ParseUnverified(assertion, claims)
	if err != nil || tok.Method.Alg() != "RS256" {
		return nil, grantErr(descInvalidAssert)
	}
	iss, _ := claims["iss"].(string)
	s.mu.Lock()
	app := s.appByKey(iss)
	var appCopy App
	if app != nil {
		appCopy = app.App
	}
	s.mu.Unlock()
	if app == nil {
		return nil, &tokenFailure{"invalid_client_id", descClientIDInvalid}
	}
	if !appCopy.Installed {
		return nil, grantErr(descNotInstalled)
	}
	if !appCopy.JWTBearer || len(appCopy.Certificates) == 0 || !verifyAssertion(assertion, appCopy) {
		return nil, grantErr(descInvalidAssert)
	}
	if !s.audienceOK(r, claims["aud"]) {
		return nil, grantErr(descAudience)
	}
	exp, ok := expiry(claims["exp"])
	if !ok {
		return nil, grantErr(descInvalidAssert)
	}
	if s.now().After(exp.Add(expSkew)) {
		return nil, grantErr(descExpired)
	}
	subject, _ := claims["sub"].(string)
	if prn, ok := claims["prn"].(string); ok && prn != "" {
		subject = prn // the older "prn" wins when both are present
	}
	return s.login(r, iss, subject, false)
}

// verifyAssertion checks the RS256 signature against each of the app's certificates.
func verifyAssertion(assertion string, app App) bool {
	keys := jwt.VerificationKeySet{}
	for _, c := range app.Certificates {
		keys.Keys = append(keys.Keys, c.PublicKey)
	}
	p := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	_, err := p.Parse(assertion, func(*jwt.Token) (any, error) { return keys, nil })
	return err == nil
}

// audienceOK reports whether aud (a string or an array of strings) names this org's login host,
// the server itself, or an extra audience.
func (s *Server) audienceOK(r *http.Request, aud any) bool {
	var auds []string
	switch v := aud.(type) {
	case string:
		auds = []string{v}
	case []any:
		for _, x := range v {
			if str, ok := x.(string); ok {
				auds = append(auds, str)
			}
		}
	}
	s.mu.Lock()
	accepted := []string{audienceProduction, s.URL, baseURL(r)}
	if s.org.Sandbox {
		accepted[0] = audienceSandbox
	}
	accepted = append(accepted, s.extraAud...)
	s.mu.Unlock()
	for _, a := range auds {
		for _, ok := range accepted {
			if ok != "" && strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(ok, "/")) {
				return true
			}
		}
	}
	return false
}

// expiry reads exp as a JSON number or numeric string, in seconds or milliseconds.
func expiry(v any) (time.Time, bool) {
	var text string
	switch e := v.(type) {
	case json.Number:
		text = e.String()
	case string:
		text = strings.TrimSpace(e)
	default:
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f <= 0 {
		return time.Time{}, false
	}
	if f > msThreshold {
		return time.UnixMilli(int64(f)), true
	}
	return time.Unix(int64(f), 0), true
}

// clientCredentials runs the client credentials flow.
func (s *Server) clientCredentials(r *http.Request) (*tokenResponse, *tokenFailure) {
	id, secret, fail := s.checkClient(r)
	if fail != nil {
		return nil, fail
	}
	_ = secret
	s.mu.Lock()
	app := s.appByKey(id).App
	s.mu.Unlock()
	if !app.Installed {
		return nil, grantErr(descNotInstalled)
	}
	if host, _, err := net.SplitHostPort(r.Host); (err == nil && isLoginHost(host)) || isLoginHost(r.Host) {
		return nil, grantErr(descNotOnDomain)
	}
	if !app.ClientCredentials || app.RunAsUsername == "" {
		return nil, grantErr(descNoCCUser)
	}
	return s.login(r, id, app.RunAsUsername, true)
}

// knownApp returns a copy of the app with consumer key id, or nil.
func (s *Server) knownApp(id string) *App {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.appByKey(id); a != nil {
		c := a.App
		return &c
	}
	return nil
}

// isLoginHost reports whether host is one of Salesforce's shared login hosts, where the client
// credentials flow is refused (it needs the org's My Domain). Reachable only when a client maps
// those names to the emulator.
func isLoginHost(host string) bool {
	return strings.EqualFold(host, "login.salesforce.com") || strings.EqualFold(host, "test.salesforce.com")
}

// checkClient authenticates the app from client_id/client_secret in the form or HTTP Basic.
func (s *Server) checkClient(r *http.Request) (string, string, *tokenFailure) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	app := s.appByKey(id)
	var want string
	if app != nil {
		want = app.ConsumerSecret
	}
	s.mu.Unlock()
	if app == nil {
		return "", "", &tokenFailure{"invalid_client_id", descClientIDInvalid}
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		return "", "", &tokenFailure{"invalid_client", descBadClientCreds}
	}
	return id, secret, nil
}
