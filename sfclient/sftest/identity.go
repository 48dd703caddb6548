package sftest

import (
	"net/http"
	"strings"
)

// handleRevoke serves /services/oauth2/revoke: POST with a form field token (or GET ?token=).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "invalid_request", "invalid request")
		return
	}
	tok := r.Form.Get("token")
	s.mu.Lock()
	_, ok := s.sessions[tok]
	delete(s.sessions, tok)
	s.mu.Unlock()
	if !ok {
		writeOAuthError(w, "unsupported_token_type", "this token type is not supported")
		return
	}
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	w.WriteHeader(http.StatusOK)
}

// identityFor returns the identity of the session's user, or writes Salesforce's 403
// Bad_OAuth_Token and returns nil.
func (s *Server) identityFor(w http.ResponseWriter, r *http.Request) *userState {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessionFor(bearer(r))
	if ss == nil {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Bad_OAuth_Token"))
		return nil
	}
	u := *s.userByID(ss.userID)
	return &u
}

// handleUserInfo serves GET /services/oauth2/userinfo (OpenID Connect user info).
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	u := s.identityFor(w, r)
	if u == nil {
		return
	}
	base := baseURL(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"sub":                base + "/id/" + s.orgID + "/" + u.ID,
		"user_id":            u.ID,
		"organization_id":    s.orgID,
		"preferred_username": u.Username,
		"nickname":           u.LastName,
		"name":               strings.TrimSpace(u.FirstName + " " + u.LastName),
		"email":              u.Email,
		"email_verified":     true,
		"given_name":         u.FirstName,
		"family_name":        u.LastName,
		"zoneinfo":           "GMT",
		"active":             !u.Inactive,
		"user_type":          "STANDARD",
		"language":           "en_US",
		"locale":             "en_US",
		"utcOffset":          0,
		"is_app_installed":   true,
		"urls":               s.identityURLs(base, u.ID),
	})
}

// handleIdentity serves GET /id/<orgId>/<userId>.
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) {
	u := s.identityFor(w, r)
	if u == nil {
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/id/"), "/"), "/")
	if len(parts) != 2 {
		writeAPIError(w, errNotFound())
		return
	}
	s.mu.Lock()
	target := s.userByID(parts[1])
	var t userState
	if target != nil {
		t = *target
	}
	s.mu.Unlock()
	if org, ok := To18(parts[0]); !ok || org != s.orgID || target == nil {
		writeAPIError(w, errNotFound())
		return
	}
	base := baseURL(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"id":               base + "/id/" + s.orgID + "/" + t.ID,
		"asserted_user":    t.ID == u.ID,
		"user_id":          t.ID,
		"organization_id":  s.orgID,
		"username":         t.Username,
		"nick_name":        t.LastName,
		"display_name":     strings.TrimSpace(t.FirstName + " " + t.LastName),
		"email":            t.Email,
		"email_verified":   true,
		"first_name":       t.FirstName,
		"last_name":        t.LastName,
		"timezone":         "GMT",
		"active":           !t.Inactive,
		"user_type":        "STANDARD",
		"language":         "en_US",
		"locale":           "en_US",
		"utcOffset":        0,
		"is_app_installed": true,
		"urls":             s.identityURLs(base, t.ID),
	})
}

func (s *Server) identityURLs(base, userID string) map[string]string {
	v := s.versions[len(s.versions)-1]
	return map[string]string{
		"rest":          base + "/services/data/v{version}/",
		"sobjects":      base + "/services/data/v{version}/sobjects/",
		"query":         base + "/services/data/v{version}/query/",
		"limits":        base + "/services/data/v{version}/limits/",
		"profile":       base + "/" + userID,
		"custom_domain": base,
		"latest":        base + "/services/data/v" + v + "/",
	}
}

// handleIntrospect serves POST /services/oauth2/introspect; it needs the app's consumer key
// and secret (form or HTTP Basic).
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, "invalid_request", descMustPost)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "invalid_request", "invalid request")
		return
	}
	if _, _, fail := s.checkClient(r); fail != nil {
		writeOAuth(w, http.StatusUnauthorized, oauthError{Error: fail.code, Description: fail.desc})
		return
	}
	s.mu.Lock()
	ss := s.sessions[r.PostForm.Get("token")]
	var out map[string]any
	if ss != nil && s.now().Sub(ss.lastUsed) <= ss.timeout {
		u := s.userByID(ss.userID)
		out = map[string]any{
			"active":     true,
			"scope":      strings.Join(ss.scopes, " "),
			"client_id":  ss.appKey,
			"username":   u.Username,
			"sub":        baseURL(r) + "/id/" + s.orgID + "/" + u.ID,
			"token_type": "access_token",
			"exp":        ss.lastUsed.Add(ss.timeout).Unix(),
			"iat":        ss.issued.Unix(),
			"nbf":        ss.issued.Unix(),
		}
	} else {
		out = map[string]any{"active": false}
	}
	s.mu.Unlock()
	writeOAuth(w, http.StatusOK, out)
}
