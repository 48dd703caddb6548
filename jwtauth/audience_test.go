package jwtauth

import (
	"errors"
	"testing"
)

func TestDefaultAudience(t *testing.T) {
	tests := []struct {
		name, login, want string
	}{
		{"production login host", "https://login.salesforce.com", DefaultLoginURL},
		{"production My Domain", "https://acme.my.salesforce.com", DefaultLoginURL},
		{"Developer Edition My Domain", "https://acme-dev-ed.develop.my.salesforce.com", DefaultLoginURL},
		{"upper-case host", "https://ACME.My.Salesforce.com/", DefaultLoginURL},
		{"sandbox login host", "https://test.salesforce.com", SandboxLoginURL},
		{"sandbox My Domain", "https://acme--uat.sandbox.my.salesforce.com", SandboxLoginURL},
		{"legacy sandbox My Domain", "https://acme--uat.my.salesforce.com", SandboxLoginURL},
		{"scratch org", "https://speed-dream-1234.scratch.my.salesforce.com", SandboxLoginURL},
		{"legacy sandbox instance", "https://cs42.salesforce.com", SandboxLoginURL},
		{"Experience Cloud enhanced domain", "https://acme.my.site.com/customers", "https://acme.my.site.com/customers"},
		{"Experience Cloud site root", "https://acme.my.site.com/", "https://acme.my.site.com"},
		{"sandbox Experience Cloud", "https://acme--uat.sandbox.my.site.com/partners", "https://acme--uat.sandbox.my.site.com/partners"},
		{"legacy force.com site", "https://acme.force.com/customers", "https://acme.force.com/customers"},
		{"loopback IPv4", "https://127.0.0.1:8443", "https://127.0.0.1:8443"},
		{"loopback http with slash", "http://localhost:9000/", "http://localhost:9000"},
		{"loopback IPv6", "https://[::1]:8443", "https://[::1]:8443"},
		{"full token URL", "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token", SandboxLoginURL},
		{"GovCloud My Domain", "https://agency.my.salesforce.mil", DefaultLoginURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultAudience(tt.login)
			if err != nil {
				t.Fatalf("DefaultAudience(%q): %v", tt.login, err)
			}
			if got != tt.want {
				t.Errorf("DefaultAudience(%q) = %q, want %q", tt.login, got, tt.want)
			}
		})
	}
}

func TestDefaultAudienceErrors(t *testing.T) {
	tests := []struct {
		name, login string
		want        error
	}{
		{"empty", "", ErrConfig},
		{"http to a remote host", "http://acme.my.salesforce.com", ErrInsecureURL},
		{"lightning UI", "https://acme.lightning.force.com", ErrConfig},
		{"user info", "https://u:p@acme.my.salesforce.com", ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DefaultAudience(tt.login)
			if !errors.Is(err, tt.want) {
				t.Fatalf("DefaultAudience(%q) error = %v, want %v", tt.login, err, tt.want)
			}
		})
	}
}
