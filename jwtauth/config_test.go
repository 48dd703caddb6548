package jwtauth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

func TestNewRejectsBadConfig(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		mod     func(*Config)
		wantIs  []error
		wantMsg string
	}{
		{"no client ID", func(c *Config) { c.ClientID = " " }, []error{ErrConfig}, "ClientID is required"},
		{"client ID with space", func(c *Config) { c.ClientID = "3MVG 9abc" }, []error{ErrConfig}, "ClientID contains whitespace"},
		{"no username", func(c *Config) { c.Username = "" }, []error{ErrConfig}, "Username is required"},
		{"no key", func(c *Config) { c.Key = nil }, []error{ErrConfig}, "exactly one of Key, KeyFile and KeyPEM is required"},
		{"key and key file", func(c *Config) { c.KeyFile = "server.key" }, []error{ErrConfig}, "exactly one of"},
		{"key file and PEM", func(c *Config) { c.Key = nil; c.KeyFile = "server.key"; c.KeyPEM = []byte("x") }, []error{ErrConfig}, "exactly one of"},
		{"PEM that is a certificate", func(c *Config) {
			c.Key = nil
			c.KeyPEM = []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
		}, []error{ErrKey, certgen.ErrNotPrivateKey}, "not the certificate"},
		{"ECDSA key", func(c *Config) { c.Key = ec }, []error{ErrKey, certgen.ErrNotRSA}, "not an RSA key"},
		{"1024-bit key", func(c *Config) { c.Key = small }, []error{ErrKey, certgen.ErrKeySize}, "1024 bits"},
		{"missing key file", func(c *Config) { c.Key = nil; c.KeyFile = filepath.Join(t.TempDir(), "nope.key") }, []error{ErrKey}, "nope.key"},
		{"http login URL", func(c *Config) { c.LoginURL = "http://login.salesforce.com" }, []error{ErrInsecureURL}, "http://login.salesforce.com"},
		{"ftp instance URL", func(c *Config) { c.InstanceURL = "ftp://acme.my.salesforce.com" }, []error{ErrInsecureURL}, `scheme "ftp"`},
		{"relative URL", func(c *Config) { c.InstanceURL = "acme.my.salesforce.com" }, []error{ErrConfig}, "must be absolute"},
		{"URL with query", func(c *Config) { c.LoginURL = "https://login.salesforce.com/?x=1" }, []error{ErrConfig}, "query"},
		{"lightning URL", func(c *Config) { c.InstanceURL = "https://acme.lightning.force.com" }, []error{ErrConfig}, "https://acme.my.salesforce.com"},
		{"http audience", func(c *Config) { c.Audience = "http://login.salesforce.com" }, []error{ErrInsecureURL}, "Audience"},
		{"assertion lifetime too long", func(c *Config) { c.AssertionLifetime = 5 * time.Minute }, []error{ErrConfig}, "at most 3m0s"},
		{"negative token lifetime", func(c *Config) { c.TokenLifetime = -time.Second }, []error{ErrConfig}, "negative"},
		{"margin not below lifetime", func(c *Config) { c.TokenLifetime = time.Minute; c.RefreshMargin = time.Minute }, []error{ErrConfig}, "shorter than TokenLifetime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{ClientID: "3MVG9abc", Username: "u@example.com", Key: testKey()}
			tt.mod(&cfg)
			ts, err := New(cfg)
			if err == nil {
				t.Fatalf("New = %v, nil; want error", ts)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("New error %q does not wrap %q", err, target)
				}
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("New error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestNewTokenURLAndAudience(t *testing.T) {
	tests := []struct {
		name         string
		login, inst  string
		aud          string
		wantTokenURL string
		wantAud      string
	}{
		{"defaults", "", "", "", "https://login.salesforce.com/services/oauth2/token", "https://login.salesforce.com"},
		{"instance is the token host", "", "https://acme.my.salesforce.com/", "", "https://acme.my.salesforce.com/services/oauth2/token", "https://login.salesforce.com"},
		{"sandbox instance", "", "https://acme--uat.sandbox.my.salesforce.com", "", "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token", "https://test.salesforce.com"},
		{"login URL wins", "https://test.salesforce.com", "https://acme.my.salesforce.com", "", "https://test.salesforce.com/services/oauth2/token", "https://test.salesforce.com"},
		{"full token URL given", "https://acme.my.salesforce.com/services/oauth2/token", "", "", "https://acme.my.salesforce.com/services/oauth2/token", "https://login.salesforce.com"},
		{"site with path", "https://acme.my.site.com/customers/", "", "", "https://acme.my.site.com/customers/services/oauth2/token", "https://acme.my.site.com/customers"},
		{"explicit audience kept", "", "https://acme.my.salesforce.com", "https://acme.my.salesforce.com", "https://acme.my.salesforce.com/services/oauth2/token", "https://acme.my.salesforce.com"},
		{"loopback http", "http://127.0.0.1:8443", "", "", "http://127.0.0.1:8443/services/oauth2/token", "http://127.0.0.1:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := New(Config{ClientID: "id", Username: "u@example.com", Key: testKey(), LoginURL: tt.login, InstanceURL: tt.inst, Audience: tt.aud})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := ts.TokenURL(); got != tt.wantTokenURL {
				t.Errorf("TokenURL() = %q, want %q", got, tt.wantTokenURL)
			}
			if got := ts.Audience(); got != tt.wantAud {
				t.Errorf("Audience() = %q, want %q", got, tt.wantAud)
			}
		})
	}
}

func TestNewKeyFile(t *testing.T) {
	dir := t.TempDir()
	plain, err := certgen.EncodePKCS8PEM(testKey())
	if err != nil {
		t.Fatal(err)
	}
	enc, err := certgen.EncodeEncryptedPKCS8PEM(testKey(), []byte("s3cret-pass"), &certgen.EncryptOptions{Iterations: 2048})
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plainPath, encPath := write("server.key", plain), write("server.pass.key", enc)
	t.Run("PEM in memory", func(t *testing.T) {
		if _, err := New(Config{ClientID: "id", Username: "u@example.com", KeyPEM: enc, KeyPassword: []byte("s3cret-pass")}); err != nil {
			t.Fatalf("New with KeyPEM: %v", err)
		}
	})
	tests := []struct {
		name     string
		path     string
		password string
		wantIs   error
	}{
		{"plain key", plainPath, "", nil},
		{"encrypted key with password", encPath, "s3cret-pass", nil},
		{"encrypted key without password", encPath, "", certgen.ErrPasswordRequired},
		{"encrypted key with wrong password", encPath, "nope-nope", certgen.ErrWrongPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pw []byte
			if tt.password != "" {
				pw = []byte(tt.password)
			}
			_, err := New(Config{ClientID: "id", Username: "u@example.com", KeyFile: tt.path, KeyPassword: pw})
			if tt.wantIs == nil {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantIs) || !errors.Is(err, ErrKey) {
				t.Fatalf("New error = %v, want %v wrapped in ErrKey", err, tt.wantIs)
			}
			if strings.Contains(err.Error(), "s3cret-pass") || strings.Contains(err.Error(), "nope-nope") {
				t.Fatalf("New error %q holds the password", err)
			}
		})
	}
}
