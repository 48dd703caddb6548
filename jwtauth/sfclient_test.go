package jwtauth_test

import (
	"sync"
	"testing"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// The token source plugs into sfclient's optional interfaces: per-call contexts and dropping
// a token refused with 401.
var (
	_ sfclient.Invalidator        = (*jwtauth.TokenSource)(nil)
	_ sfclient.ContextTokenSource = (*jwtauth.TokenSource)(nil)
)

// TestWithSfclientRevokedSession checks the pair end to end: after every session is revoked,
// concurrent REST calls through sfclient cause exactly one new login.
func TestWithSfclientRevokedSession(t *testing.T) {
	srv := startOrg(sftest.Config{})
	t.Cleanup(srv.Close)
	ts, err := jwtauth.New(jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		Key: exampleKey(), InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Limits(t.Context()); err != nil {
		t.Fatalf("Limits: %v", err)
	}
	srv.RevokeAllTokens()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Limits(t.Context()); err != nil {
				t.Errorf("Limits after the revocation: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := srv.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (one login, one after the revocation)", n)
	}
}
