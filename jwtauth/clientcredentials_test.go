package jwtauth

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestClientCredentials(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "3MVG9id", ClientSecret: "s3cr3t-value", InstanceURL: srv.URL + "/"})
	if err != nil {
		t.Fatalf("NewClientCredentials: %v", err)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.AccessToken != testToken(1) {
		t.Errorf("AccessToken = %q, want %q", tok.AccessToken, testToken(1))
	}
	form := srv.lastForm()
	var fields []string
	for k := range form {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	if got := strings.Join(fields, ","); got != "client_id,client_secret,grant_type" {
		t.Errorf("form fields = %s, want client_id,client_secret,grant_type", got)
	}
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "3MVG9id" || form.Get("client_secret") != "s3cr3t-value" {
		t.Errorf("form = %v", form)
	}
	if again, _ := ts.Token(); again != tok || srv.count.Load() != 1 {
		t.Errorf("second Token() made another request or returned another token")
	}
	if ts.Audience() != "" {
		t.Errorf("Audience() = %q, want empty", ts.Audience())
	}
}

func TestClientCredentialsConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		cfg     ClientCredentialsConfig
		wantIs  error
		wantMsg string
	}{
		{"login host", ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", InstanceURL: "https://login.salesforce.com"}, ErrMyDomainRequired, "not login.salesforce.com"},
		{"test host", ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", InstanceURL: "https://test.salesforce.com/"}, ErrMyDomainRequired, "not test.salesforce.com"},
		{"no instance URL", ClientCredentialsConfig{ClientID: "id", ClientSecret: "s"}, ErrMyDomainRequired, "InstanceURL is required"},
		{"no secret", ClientCredentialsConfig{ClientID: "id", InstanceURL: "https://acme.my.salesforce.com"}, ErrConfig, "ClientSecret is required"},
		{"no client ID", ClientCredentialsConfig{ClientSecret: "s", InstanceURL: "https://acme.my.salesforce.com"}, ErrConfig, "ClientID is required"},
		{"http", ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", InstanceURL: "http://acme.my.salesforce.com"}, ErrInsecureURL, "http://acme"},
		{"bad margin", ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", InstanceURL: "https://acme.my.salesforce.com", TokenLifetime: time.Minute, RefreshMargin: 2 * time.Minute}, ErrConfig, "RefreshMargin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClientCredentials(tt.cfg)
			if !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error = %v, want %v containing %q", err, tt.wantIs, tt.wantMsg)
			}
		})
	}
}

func TestClientCredentialsErrorHint(t *testing.T) {
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeOAuthError(w, 400, "invalid_grant", "no client credentials user enabled")
	})
	ts, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", InstanceURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.Token()
	var te *TokenError
	if !errors.As(err, &te) || !strings.Contains(te.Hint, "Steps 8 and 14") {
		t.Fatalf("error = %v, want a TokenError hinting at Steps 8 and 14", err)
	}
}
