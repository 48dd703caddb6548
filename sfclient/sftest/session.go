package sftest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// session is one access token and what it grants.
type session struct {
	token    string
	userID   string
	appKey   string
	scopes   []string
	issued   time.Time
	lastUsed time.Time
	timeout  time.Duration
}

// tokenAlphabet is the set of characters after the "!" of a Salesforce session ID.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"

// login checks that username may use the app, applies the login rate limit and opens a session.
// clientCreds skips the Permitted Users policy, which does not apply to that flow.
func (s *Server) login(r *http.Request, appKey, username string, clientCreds bool) (*tokenResponse, *tokenFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.appByKey(appKey)
	u := s.userByName(username)
	if u == nil {
		if clientCreds {
			return nil, grantErr(descNoCCUser)
		}
		return nil, grantErr(descNotApproved)
	}
	if u.Inactive || u.Frozen {
		return nil, grantErr(descInactiveUser)
	}
	if !clientCreds {
		if f := s.approval(app, u); f != nil {
			return nil, f
		}
	}
	now := s.now()
	recent := s.logins[u.ID][:0]
	for _, t := range s.logins[u.ID] {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	if len(recent) >= s.cfg.LoginRateLimit {
		s.logins[u.ID] = recent
		return nil, grantErr(descLoginRate)
	}
	s.logins[u.ID] = append(recent, now)
	if s.cfg.RecordLogins {
		s.recordLogin(r, u, app, now)
	}
	sess := s.newSession(u, app)
	base := baseURL(r)
	resp := &tokenResponse{
		AccessToken: sess.token,
		Scope:       strings.Join(sess.scopes, " "),
		InstanceURL: base,
		ID:          base + "/id/" + s.orgID + "/" + u.ID,
		TokenType:   "Bearer",
	}
	if clientCreds {
		resp.IssuedAt = strconv.FormatInt(now.UnixMilli(), 10)
		mac := hmac.New(sha256.New, []byte(app.ConsumerSecret))
		mac.Write([]byte(resp.ID + resp.IssuedAt))
		resp.Signature = base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return resp, nil
}

// approval applies the app's Permitted Users policy (and API Access Control) to u.
func (s *Server) approval(app *appState, u *userState) *tokenFailure {
	approved := u.UseAnyAPIClient
	switch app.PermittedUsers {
	case SelfAuthorize:
		approved = approved || slices.ContainsFunc(app.Approvals, func(n string) bool {
			return strings.EqualFold(n, u.Username)
		})
	default:
		approved = approved || slices.Contains(app.Profiles, u.Profile) ||
			slices.ContainsFunc(u.PermissionSets, func(p string) bool { return slices.Contains(app.PermissionSets, p) })
	}
	if approved {
		return nil
	}
	if s.cfg.APIAccessControl {
		return &tokenFailure{"invalid_app_access", descNotAdminApprove}
	}
	return grantErr(descNotApproved)
}

// recordLogin adds the LoginHistory row of a successful login. Caller holds mu.
func (s *Server) recordLogin(r *http.Request, u *userState, app *appState, now time.Time) {
	rec := LoginHistoryRecords(1, u.ID, now, 0)[0]
	rec["Application"] = app.Name
	rec["LoginUrl"] = r.Host
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		rec["SourceIp"] = host
	}
	_, _ = s.insert(s.object("LoginHistory"), rec, true)
}

// newSession mints an access token for u on app, dropping expired sessions now and then.
// Caller holds mu.
func (s *Server) newSession(u *userState, app *appState) *session {
	now := s.now()
	if len(s.sessions) >= 1024 && len(s.sessions)%1024 == 0 {
		for tok, ss := range s.sessions {
			if now.Sub(ss.lastUsed) > ss.timeout {
				delete(s.sessions, tok)
			}
		}
	}
	sess := &session{
		token:    s.orgID[:15] + "!AQ" + randomToken(94, tokenAlphabet),
		userID:   u.ID,
		appKey:   app.ConsumerKey,
		scopes:   slices.Clone(app.Scopes),
		issued:   now,
		lastUsed: now,
		timeout:  app.SessionTimeout,
	}
	s.sessions[sess.token] = sess
	return sess
}

// IssueToken mints a valid access token for username on the default app without a login
// request, for tests that use a static token. It does not count as a login or a token request.
func (s *Server) IssueToken(username string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName(username)
	if u == nil {
		return "", fmt.Errorf("sftest: issue token: %w %q", ErrUnknownUser, username)
	}
	if len(s.apps) == 0 {
		return "", fmt.Errorf("sftest: issue token: %w", ErrUnknownApp)
	}
	return s.newSession(u, s.apps[0]).token, nil
}

// RevokeAllTokens invalidates every access token issued so far, as if every session had
// expired: the next REST call with any of them gets 401 INVALID_SESSION_ID.
func (s *Server) RevokeAllTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// ActiveSessions returns the number of access tokens that are still valid now.
func (s *Server) ActiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	now := s.now()
	for _, ss := range s.sessions {
		if now.Sub(ss.lastUsed) <= ss.timeout {
			n++
		}
	}
	return n
}

// sessionFor returns the live session of a bearer token and extends it, or nil. Caller holds mu.
func (s *Server) sessionFor(token string) *session {
	ss := s.sessions[token]
	if ss == nil {
		return nil
	}
	now := s.now()
	if now.Sub(ss.lastUsed) > ss.timeout {
		delete(s.sessions, token)
		return nil
	}
	ss.lastUsed = now
	return ss
}

// bearer extracts the token of an "Authorization: Bearer …" (or "OAuth …") header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, scheme := range []string{"Bearer ", "OAuth "} {
		if len(h) > len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
			return strings.TrimSpace(h[len(scheme):])
		}
	}
	return ""
}
