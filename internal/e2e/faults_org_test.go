package e2e

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// Faults of the org changing under a running client: the user deactivated, the app's
// certificate replaced, every token revoked while many goroutines read. Not parallel: each
// counts the process's goroutines (noLeak).

func TestFaultOrgChangesMidRun(t *testing.T) {
	tests := []struct {
		name     string
		change   func(srv *sftest.Server) error
		wantCode string // the OAuth error of the refused refresh
		wantDesc string
	}{
		{"user deactivated", func(srv *sftest.Server) error {
			return srv.UpdateUser(sftest.DefaultUsername, func(u *sftest.User) { u.Inactive = true })
		}, "invalid_grant", "inactive user"},
		{"certificate replaced", func(srv *sftest.Server) error {
			return srv.UpdateApp(sftest.DefaultClientID, func(a *sftest.App) { a.Certificates = nil })
		}, "invalid_grant", "invalid assertion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeak(t, func() {
				o := startOrg(t, sftest.Config{}, orgOptions{})
				defer o.close()
				want := o.addAccounts(t, 2500)
				o.warm(t)
				logins := o.srv.TokenRequests()
				got, err := drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", nil), func(n int) {
					if n == 2000 {
						if err := tt.change(o.srv); err != nil {
							t.Fatal(err)
						}
						o.srv.RevokeAllTokens() // a replaced certificate does not end sessions by itself
					}
				})
				var te *jwtauth.TokenError
				if !errors.Is(err, sfclient.ErrToken) || !errors.As(err, &te) || te.Code != tt.wantCode || te.Description != tt.wantDesc || te.Retryable {
					t.Fatalf("err = %v, want sfclient.ErrToken wrapping a non-retryable *jwtauth.TokenError %s: %s", err, tt.wantCode, tt.wantDesc)
				}
				if n := o.srv.TokenRequests() - logins; n != 1 {
					t.Errorf("logins after the change = %d, want exactly 1 (no loop)", n)
				}
				if len(got) != 2000 {
					t.Errorf("records = %d, want the 2000 of page 1", len(got))
				}
				subset(t, tt.name, got, want)
			})
		})
	}
}

func TestFaultConcurrentReadersAfterRevocation(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		want := o.addAccounts(t, 2400)
		o.warm(t)
		logins := o.srv.TokenRequests()
		const readers = 16
		var revoke sync.Once
		var wg sync.WaitGroup
		results := make([]map[string]bool, readers)
		errs := make([]error, readers)
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = drain(t, o.client.Query(t.Context(), "SELECT Id FROM Account", &sfclient.QueryOptions{BatchSize: 200}), func(n int) {
					if n == 1000 {
						revoke.Do(o.srv.RevokeAllTokens)
					}
				})
			}()
		}
		wg.Wait()
		for i := range readers {
			if errs[i] != nil {
				t.Errorf("reader %d: %v", i, errs[i])
				continue
			}
			sameSet(t, "concurrent reader", results[i], want)
		}
		if n := o.srv.TokenRequests() - logins; n != 1 {
			t.Errorf("logins after the revocation = %d, want exactly 1 for %d readers", n, readers)
		}
		refused := 0
		for _, r := range o.srv.Requests() {
			if r.Status == http.StatusUnauthorized {
				refused++
			}
		}
		if refused > readers {
			t.Errorf("401 answers = %d, want at most one per reader (%d)", refused, readers)
		}
	})
}
