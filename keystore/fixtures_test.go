package keystore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
)

// fixturePassword protects every keystore in testdata (test keys only).
const fixturePassword = "changeit-123"

// TestToolMadeFixtures reads keystores that OpenSSL 3 and keytool wrote (see
// testdata/README.md), so the reading side is covered even where the tools are missing.
func TestToolMadeFixtures(t *testing.T) {
	t.Parallel()
	key, err := certgen.ReadPrivateKeyFile(filepath.Join("testdata", "test-key.pem"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := certgen.ReadCertificateFile(filepath.Join("testdata", "test-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file      string
		format    Format
		alias     string // for JKS the alias to read; for PKCS#12 the friendly name expected
		wantAlias string
		entries   int
	}{
		{"openssl3-default.p12", FormatPKCS12, "", "", 1},
		{"openssl3-named.p12", FormatPKCS12, "", "My_JWT_Cert", 1},
		{"openssl3-legacy.p12", FormatPKCS12, "", "", 1},
		{"keytool.p12", FormatPKCS12, "", "my_jwt_cert", 1},
		{"keytool-guide.jks", FormatJKS, "", "1", 1},
		{"keytool-two-entries.jks", FormatJKS, "1", "1", 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := DetectFormat(data); got != tt.format {
				t.Errorf("DetectFormat = %v, want %v", got, tt.format)
			}
			e, err := ReadFile(path, []byte(fixturePassword), tt.alias)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			if e.Alias != tt.wantAlias || !e.Certificate.Equal(cert) || certgen.CheckKeyMatchesCertificate(key.Public(), e.Certificate) != nil {
				t.Errorf("alias %q (want %q), same cert %v", e.Alias, tt.wantAlias, e.Certificate.Equal(cert))
			}
			l, err := List(data, []byte(fixturePassword))
			if err != nil || len(l.Entries) != tt.entries {
				t.Fatalf("List = %+v, %v; want %d entries", l, err, tt.entries)
			}
			if _, err := ReadFile(path, []byte("wrong-password"), tt.alias); !errors.Is(err, ErrWrongPassword) {
				t.Errorf("wrong password: %v, want ErrWrongPassword", err)
			}
		})
	}
	// The keytool trusted entry is listed as such, under its lower-cased alias.
	l, err := ListFile(filepath.Join("testdata", "keytool-two-entries.jks"), []byte(fixturePassword))
	if err != nil {
		t.Fatal(err)
	}
	if l.Entries[1].Alias != "test_ca" || l.Entries[1].Type != TrustedCertEntry {
		t.Errorf("second entry = %+v, want trustedCertEntry test_ca", l.Entries[1])
	}
	// Converting the keytool JKS's source PKCS#12 with a friendly name keeps that name.
	p12, _ := os.ReadFile(filepath.Join("testdata", "openssl3-named.p12"))
	if _, alias, err := ConvertPKCS12ToJKS(p12, []byte(fixturePassword), []byte(fixturePassword), ""); err != nil || alias != "my_jwt_cert" {
		t.Errorf("convert named: %q, %v", alias, err)
	}
	// DecodeJKS without an alias on a store with one key entry and one certificate picks the key.
	if e, err := ReadFile(filepath.Join("testdata", "keytool-two-entries.jks"), []byte(fixturePassword), ""); err != nil || e.Alias != "1" {
		t.Errorf("ReadFile two entries without alias: %v", err)
	}
}
