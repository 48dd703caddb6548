package jwtauth

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/syncbuf"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestOrg5xxThenSuccess(t *testing.T) {
	srv := newOrg(t, sftest.Config{})
	srv.FailNext(sftest.Fault{PathPrefix: TokenPath, Status: 503, Count: 2})
	ts, _ := orgSource(t, srv, nil)
	if _, err := ts.Token(); err != nil {
		t.Fatalf("Token after two 503s: %v", err)
	}
	if n := srv.TokenRequests(); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestOrgColdStampede(t *testing.T) {
	srv := newOrg(t, sftest.Config{})
	srv.SetLatency(20 * time.Millisecond)
	ts, _ := orgSource(t, srv, nil)
	const callers = 1000
	var wg sync.WaitGroup
	var failed sync.Map
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ts.TokenContext(context.Background()); err != nil {
				failed.Store(i, err)
			}
		}()
	}
	wg.Wait()
	failed.Range(func(k, v any) bool { t.Errorf("caller %v: %v", k, v); return false })
	if n := srv.TokenRequests(); n != 1 {
		t.Errorf("%d cold callers caused %d token requests, want 1", callers, n)
	}
}

func TestOrgRevokedTokenRefetchedOnce(t *testing.T) {
	srv := newOrg(t, sftest.Config{})
	rc := srv.Client()
	ts, _ := orgSource(t, srv, nil)
	old, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	srv.RevokeAllTokens()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token()
			if err != nil {
				t.Error(err)
				return
			}
			if restStatus(t, rc, tok) == http.StatusUnauthorized {
				ts.Invalidate(tok) // what sfclient does on 401 INVALID_SESSION_ID
				if tok, err = ts.Token(); err != nil {
					t.Error(err)
					return
				}
				if got := restStatus(t, rc, tok); got != http.StatusOK {
					t.Errorf("REST call with the new token: HTTP %d", got)
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (one login, one refetch)", n)
	}
	if tok, _ := ts.Token(); tok.AccessToken == old.AccessToken {
		t.Errorf("the revoked token is still cached")
	}
}

func TestOrgExpiryAndEarlyRefresh(t *testing.T) {
	clock := newFakeClock()
	clock.t = time.Now()
	srv := newOrg(t, sftest.Config{Clock: clock.Now})
	rc := srv.Client()
	ts, _ := orgSource(t, srv, nil)
	ts.now, ts.timers = clock.Now, false
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(13 * time.Minute)
	if tok, _ := ts.Token(); tok != first || srv.TokenRequests() != 1 {
		t.Fatalf("at 13 min: a new token or request, want the cached one")
	}
	clock.Add(90 * time.Second) // 14.5 min: inside the 1-minute margin
	if tok, _ := ts.Token(); tok != first {
		t.Fatalf("inside the margin: want the still-valid token at once")
	}
	waitFor(t, "the early refresh", func() bool { c := ts.cur.Load(); return c != nil && c.tok != first })
	second, _ := ts.Token()
	if got := restStatus(t, rc, second); got != http.StatusOK {
		t.Errorf("refreshed token: HTTP %d, want 200", got)
	}
	clock.Add(16 * time.Minute) // both expired, by both clocks
	if got := restStatus(t, rc, second); got != http.StatusUnauthorized {
		t.Errorf("token idle past the session timeout: HTTP %d, want 401", got)
	}
	third, err := ts.Token()
	if err != nil || third == second {
		t.Fatalf("after expiry: %v, want a new token", err)
	}
	if n := srv.TokenRequests(); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestOrgNoSecretsInErrorsOrLogs(t *testing.T) {
	keyPEM, _ := certgen.EncodePKCS8PEM(testKey())
	for _, name := range []string{"success", "refused", "5xx"} {
		t.Run(name, func(t *testing.T) {
			srv := newOrg(t, sftest.Config{})
			logs := &syncbuf.Buffer{}
			mod := func(c *Config) {
				c.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				if name == "refused" {
					c.Audience = SandboxLoginURL
				}
			}
			if name == "5xx" {
				srv.FailNext(sftest.Fault{PathPrefix: TokenPath, Status: 500, Count: 10})
			}
			ts, cp := orgSource(t, srv, mod)
			tok, err := ts.Token()
			out := logs.String()
			if err != nil {
				out += err.Error()
			}
			forbidden := append(cp.assertions(), string(keyPEM[30:100]))
			if tok != nil {
				forbidden = append(forbidden, tok.AccessToken)
			}
			for _, a := range cp.assertions() {
				forbidden = append(forbidden, strings.Split(a, ".")...)
			}
			for _, s := range forbidden {
				if strings.Contains(out, s) {
					t.Errorf("errors/logs leak a secret (%.12s…): %s", s, out)
				}
			}
			if !strings.Contains(out, "jwtauth: token response") {
				t.Errorf("no debug record of the token request: %s", out)
			}
		})
	}
}
