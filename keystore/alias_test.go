package keystore

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"strings"
	"testing"
)

func TestValidateAlias(t *testing.T) {
	t.Parallel()
	tests := []struct {
		alias      string
		reason     string // substring of the reason; "" = valid
		suggestion string
	}{
		{"My_JWT_Cert", "", ""},
		{"a", "", ""},
		{"jwt2", "", ""},
		{strings.Repeat("a", 64), "", ""},
		{"1", "begin with a letter", "cert_1"},
		{"my cert", `contains ' '`, "my_cert"},
		{"_x", "begin with a letter", "x"},
		{"x_", "end with an underscore", "x"},
		{"a__b", "two underscores", "a_b"},
		{strings.Repeat("a", 65), "65 characters", strings.Repeat("a", 64)},
		{"", "empty", "jwt_cert"},
		{"my-cert", `contains '-'`, "my_cert"},
		{"café", `contains 'é'`, "caf"},
	}
	for _, tt := range tests {
		t.Run(tt.alias, func(t *testing.T) {
			t.Parallel()
			err := ValidateAlias(tt.alias)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("ValidateAlias(%q) = %v, want nil", tt.alias, err)
				}
				return
			}
			var ae *AliasError
			if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidAlias) {
				t.Fatalf("ValidateAlias(%q) = %v, want *AliasError wrapping ErrInvalidAlias", tt.alias, err)
			}
			if !strings.Contains(ae.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", ae.Reason, tt.reason)
			}
			if ae.Suggestion != tt.suggestion {
				t.Errorf("suggestion = %q, want %q", ae.Suggestion, tt.suggestion)
			}
			if ValidateAlias(ae.Suggestion) != nil {
				t.Errorf("suggestion %q is not itself valid", ae.Suggestion)
			}
			if !strings.Contains(err.Error(), "try \""+tt.suggestion+"\"") {
				t.Errorf("message %q does not suggest %q", err, tt.suggestion)
			}
		})
	}
}

func TestSuggestAliasAlwaysValid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "___", "1", "9lives", "Ünïcödé", "a  b", "x" + strings.Repeat("_y", 40), strings.Repeat("ab_", 30) + "c", "CN=foo, O=bar"} {
		if got := SuggestAlias(in); ValidateAlias(got) != nil {
			t.Errorf("SuggestAlias(%q) = %q, which is invalid: %v", in, got, ValidateAlias(got))
		}
	}
}

func TestAliasFromCertificate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		subject pkix.Name
		want    string
	}{
		{"cn", pkix.Name{CommonName: "My JWT Cert", Organization: []string{"Example"}}, "My_JWT_Cert"},
		{"o when no cn", pkix.Name{Organization: []string{"CyTech Int'l"}, Country: []string{"US"}}, "CyTech_Int_l"},
		{"guide subject", pkix.Name{Country: []string{"US"}, Province: []string{"CA"}}, "jwt_cert"},
		{"digit cn", pkix.Name{CommonName: "2025 cert"}, "cert_2025_cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := AliasFromCertificate(&x509.Certificate{Subject: tt.subject}); got != tt.want {
				t.Errorf("AliasFromCertificate(%v) = %q, want %q", tt.subject, got, tt.want)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pw     string
		format Format
		want   error
	}{
		{"ok jks", "secret1", FormatJKS, nil},
		{"ok p12 unicode", "pässwörd", FormatPKCS12, nil},
		{"short", "12345", FormatJKS, ErrShortPassword},
		{"short runes", "ééééé", FormatPKCS12, ErrShortPassword},
		{"non-ascii jks", "pässwörd", FormatJKS, ErrPasswordNotASCII},
		{"control jks", "secret\t1", FormatJKS, ErrPasswordNotASCII},
		{"invalid utf8", "secret\xff1", FormatPKCS12, ErrPasswordNotASCII},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidatePassword([]byte(tt.pw), tt.format)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("ValidatePassword = %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), tt.pw) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}
