package sftest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

const (
	invalidSession = `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
	notFound       = `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`
)

func TestVersions(t *testing.T) {
	srv := newOrg(t, sftest.Config{APIVersions: []string{"64.0", "65.0", "66.0"}})
	for _, path := range []string{"/services/data", "/services/data/"} {
		t.Run(path, func(t *testing.T) {
			res := get(t, srv, "", path)
			want := `[{"label":"Summer '25","url":"/services/data/v64.0","version":"64.0"},` +
				`{"label":"Winter '26","url":"/services/data/v65.0","version":"65.0"},` +
				`{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`
			if res.status != http.StatusOK || res.body != want {
				t.Errorf("got %d %s, want 200 %s", res.status, res.body, want)
			}
			if h := res.header.Get("Sforce-Limit-Info"); h != "" {
				t.Errorf("Sforce-Limit-Info = %q on the versions URI, want none", h)
			}
		})
	}
	tok := login(t, srv)
	tests := []struct {
		path       string
		wantStatus int
	}{
		{"/services/data/v66.0", 200}, {"/services/data/v66.0/", 200}, {"/services/data/latest", 200},
		{"/services/data/v63.0/", 404}, {"/services/data/v99.0", 404}, {"/services/data/66.0", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := get(t, srv, tok, tt.path)
			if res.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (%s)", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 404 && res.body != notFound {
				t.Errorf("body = %s, want %s", res.body, notFound)
			}
			if tt.wantStatus == 200 && !strings.Contains(res.body, `"query":"/services/data/v66.0/query"`) {
				t.Errorf("resource map lacks query: %s", res.body)
			}
		})
	}
}

func TestSessionErrors(t *testing.T) {
	clock := newClock()
	srv := newOrg(t, sftest.Config{Clock: clock.Now})
	tok, err := srv.IssueToken(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	path := "/services/data/v66.0/limits"
	check := func(t *testing.T, token string, wantStatus int) {
		t.Helper()
		res := get(t, srv, token, path)
		if res.status != wantStatus {
			t.Fatalf("status = %d, want %d (%s)", res.status, wantStatus, res.body)
		}
		if wantStatus == 401 && res.body != invalidSession {
			t.Fatalf("body = %s, want %s", res.body, invalidSession)
		}
	}
	t.Run("no token", func(t *testing.T) { check(t, "", 401) })
	t.Run("unknown token", func(t *testing.T) { check(t, srv.OrgID()[:15]+"!AQbogus", 401) })
	t.Run("each use extends the session", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			clock.Advance(10 * time.Minute)
			check(t, tok, 200)
		}
	})
	t.Run("idle past the session timeout", func(t *testing.T) {
		clock.Advance(15*time.Minute + time.Second)
		check(t, tok, 401)
	})
	t.Run("revoked", func(t *testing.T) {
		tok2, err := srv.IssueToken(sftest.DefaultUsername)
		if err != nil {
			t.Fatal(err)
		}
		check(t, tok2, 200)
		srv.RevokeAllTokens()
		check(t, tok2, 401)
	})
	t.Run("revoke endpoint", func(t *testing.T) {
		tok3, err := srv.IssueToken(sftest.DefaultUsername)
		if err != nil {
			t.Fatal(err)
		}
		if res := postForm(t, srv, "/services/oauth2/revoke", url.Values{"token": {tok3}}); res.status != 200 {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		check(t, tok3, 401)
	})
}

func TestAPILimit(t *testing.T) {
	srv := newOrg(t, sftest.Config{DailyAPILimit: 1000})
	tok := login(t, srv)
	for i := 1; i <= 2; i++ {
		res := get(t, srv, tok, "/services/data/v66.0/limits")
		if got, want := res.header.Get("Sforce-Limit-Info"), fmt.Sprintf("api-usage=%d/1000", i); got != want {
			t.Errorf("Sforce-Limit-Info = %q, want %q", got, want)
		}
		if i == 2 && !strings.Contains(res.body, `"DailyApiRequests":{"Max":1000,"Remaining":998}`) {
			t.Errorf("limits body = %s", res.body)
		}
	}
	srv.ExhaustDailyLimit()
	res := get(t, srv, tok, "/services/data/v66.0/query?q=SELECT+Id+FROM+Account")
	want := `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`
	if res.status != http.StatusForbidden || res.body != want {
		t.Errorf("got %d %s, want 403 %s", res.status, res.body, want)
	}
	if got := res.header.Get("Sforce-Limit-Info"); got != "api-usage=1000/1000" {
		t.Errorf("Sforce-Limit-Info = %q, want api-usage=1000/1000", got)
	}
	if res := get(t, srv, "", "/services/data"); res.status != 200 {
		t.Errorf("versions with the limit used up: %d, want 200", res.status)
	}
}

func TestIdentityEndpoints(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	uid, _ := srv.UserID(sftest.DefaultUsername)
	var info map[string]any
	res := get(t, srv, tok, "/services/oauth2/userinfo")
	decode(t, res.body, &info)
	if info["user_id"] != uid || info["organization_id"] != srv.OrgID() || info["preferred_username"] != sftest.DefaultUsername {
		t.Errorf("userinfo = %s", res.body)
	}
	res = get(t, srv, tok, "/id/"+srv.OrgID()+"/"+uid)
	decode(t, res.body, &info)
	if info["username"] != sftest.DefaultUsername {
		t.Errorf("identity = %d %s", res.status, res.body)
	}
	if res := get(t, srv, "bad", "/services/oauth2/userinfo"); res.status != 403 || res.body != "Bad_OAuth_Token" {
		t.Errorf("userinfo with a bad token: %d %s, want 403 Bad_OAuth_Token", res.status, res.body)
	}
	introspect := func(id, secret string) response {
		return postForm(t, srv, "/services/oauth2/introspect", url.Values{"token": {tok}, "token_type_hint": {"access_token"},
			"client_id": {id}, "client_secret": {secret}})
	}
	res = introspect(sftest.DefaultClientID, sftest.DefaultClientSecret)
	decode(t, res.body, &info)
	if info["active"] != true || info["username"] != sftest.DefaultUsername {
		t.Errorf("introspect = %s", res.body)
	}
	if res := introspect(sftest.DefaultClientID, "wrong"); res.status != 401 {
		t.Errorf("introspect with a bad secret: %d %s, want 401", res.status, res.body)
	}
}
