package jwtauth

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestOAuthErrorsMapToHints(t *testing.T) {
	tests := []struct {
		name, code, desc string
		wantHint         []string
	}{
		{"not approved", "invalid_grant", "user hasn't approved this consumer", []string{"Step 12", "Admin approved users are pre-authorized", "App Policies", "My Domain URL with the audience"}},
		{"invalid assertion", "invalid_grant", "invalid assertion", []string{"Step 9", "does not match the certificate"}},
		{"audience is invalid", "invalid_grant", "audience is invalid", []string{"https://login.salesforce.com", "https://test.salesforce.com", "Experience Cloud site URL"}},
		{"audience validation failed", "invalid_grant", "Audience validation failed", []string{"https://test.salesforce.com for sandboxes"}},
		{"expired authorization code", "invalid_grant", "expired authorization code", []string{"clock"}},
		{"invalid client id", "invalid_client_id", "client identifier invalid", []string{"How to Find Client ID"}},
		{"not installed", "invalid_grant", "External client app is not installed in this org", []string{"not installed in this org"}},
		{"invalid app access", "invalid_app_access", "user is not admin approved to access this app", []string{"Step 12", "API Access Control"}},
		{"inactive user", "invalid_grant", "inactive user", []string{"inactive or frozen"}},
		{"app not found", "app_not_found", "app not found", []string{"Spring '26", "My Domain URL as the audience"}},
		{"login rate exceeded", "invalid_grant", "login rate exceeded", []string{"3,600", "reuse tokens"}},
		{"unsupported grant type", "unsupported_grant_type", "grant type not supported", []string{"must be https"}},
		{"no run-as user", "invalid_grant", "no client credentials user enabled", []string{"Steps 8 and 14"}},
		{"wrong domain for client credentials", "invalid_grant", "request not supported on this domain", []string{"My Domain URL"}},
		{"bad client secret", "invalid_client", "invalid client credentials", []string{"consumer secret"}},
		{"IP restricted", "invalid_grant", "IP restricted or invalid login hours", []string{"Login IP Ranges"}},
		{"unknown", "weird_error", "something new", []string{"Steps 5-12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				writeOAuthError(w, http.StatusBadRequest, tt.code, tt.desc)
			})
			ts, _ := newTestSource(t, srv.URL, nil)
			_, err := ts.Token()
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token() error = %v, want *TokenError", err)
			}
			if te.Status != 400 || te.Code != tt.code || te.Description != tt.desc || te.Retryable {
				t.Errorf("TokenError = {%d %q %q retryable=%v}, want {400 %q %q false}", te.Status, te.Code, te.Description, te.Retryable, tt.code, tt.desc)
			}
			for _, want := range tt.wantHint {
				if !strings.Contains(te.Hint, want) {
					t.Errorf("Hint = %q\nwant it to contain %q", te.Hint, want)
				}
			}
			wantPrefix := "jwtauth: token request to " + srv.URL + TokenPath + " refused: HTTP 400 " + tt.code + ": " + tt.desc + "; hint: "
			if !strings.HasPrefix(te.Error(), wantPrefix) {
				t.Errorf("Error() = %q\nwant prefix %q", te.Error(), wantPrefix)
			}
		})
	}
}
