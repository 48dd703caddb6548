package jwtauth

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// pinnedClient returns a client that sends every request, whatever its host, to srv (as if
// DNS pointed all of Salesforce at the emulator), so the audience derived from real host
// names can be checked against the emulator's audience rules.
func pinnedClient(srv *sftest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.HTTPServer().Listener.Addr().String()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	host, _, _ := net.SplitHostPort(addr)
	tr.TLSClientConfig.ServerName = host // verify the emulator's certificate for its own address
	if tr.TLSClientConfig.MinVersion == 0 {
		tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	}
	return &http.Client{Transport: tr}
}

func TestOrgDerivedAudiences(t *testing.T) {
	tests := []struct {
		name, loginURL string
		sandbox        bool
		wantAud        string
		wantRefused    bool
	}{
		{"production login host", "https://login.salesforce.com", false, DefaultLoginURL, false},
		{"production My Domain", "https://acme.my.salesforce.com", false, DefaultLoginURL, false},
		{"sandbox login host", "https://test.salesforce.com", true, SandboxLoginURL, false},
		{"sandbox My Domain", "https://acme--uat.sandbox.my.salesforce.com", true, SandboxLoginURL, false},
		{"legacy sandbox My Domain", "https://acme--uat.my.salesforce.com", true, SandboxLoginURL, false},
		{"sandbox host toward a production org", "https://acme--uat.sandbox.my.salesforce.com", false, SandboxLoginURL, true},
		// sftest serves no site path prefix (/customers/services/oauth2/token), so only a site root.
		{"Experience Cloud site", "https://acme.my.site.com", false, "https://acme.my.site.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOrg(t, sftest.Config{Org: sftest.Org{Sandbox: tt.sandbox}, ExtraAudiences: []string{"https://acme.my.site.com"}})
			ts, err := New(Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: testKey(),
				LoginURL: tt.loginURL, HTTPClient: pinnedClient(srv)})
			if err != nil {
				t.Fatal(err)
			}
			if ts.Audience() != tt.wantAud {
				t.Errorf("Audience() = %q, want %q", ts.Audience(), tt.wantAud)
			}
			_, err = ts.Token()
			var te *TokenError
			switch {
			case tt.wantRefused && (!errors.As(err, &te) || te.Description != "audience is invalid"):
				t.Errorf("Token error = %v, want audience is invalid", err)
			case !tt.wantRefused && err != nil:
				t.Errorf("Token: %v", err)
			}
		})
	}
}
