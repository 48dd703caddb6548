package certgen

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func mustCert(t testing.TB, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := SelfSigned(key, testSubject(), CertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestSelfSignedProperties(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	subj := testSubject()
	subj.CommonName = "AQUILA SIEM"
	subj.Email = "secops@example.com"
	subj.OrganizationalUnit = "Security"
	der, err := SelfSigned(testKey(), subj, CertOptions{Days: 30, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
		got  any
	}{
		{"version 3", c.Version == 3, c.Version},
		{"SHA-256 with RSA", c.SignatureAlgorithm == x509.SHA256WithRSA, c.SignatureAlgorithm},
		{"serial positive", c.SerialNumber.Sign() > 0, c.SerialNumber},
		{"serial at most 20 octets", len(mustMarshal(t, c.SerialNumber)) <= 22, c.SerialNumber},
		{"not before 5 minutes back", c.NotBefore.Equal(now.Add(-5 * time.Minute)), c.NotBefore},
		{"not after = now + 30 days", c.NotAfter.Equal(now.AddDate(0, 0, 30)), c.NotAfter},
		{"basic constraints CA:FALSE", c.BasicConstraintsValid && !c.IsCA, c.IsCA},
		{"key usage digitalSignature", c.KeyUsage == x509.KeyUsageDigitalSignature, c.KeyUsage},
		{"subject key id", len(c.SubjectKeyId) == 20, c.SubjectKeyId},
		{"issuer = subject", bytes.Equal(c.RawIssuer, c.RawSubject), c.Issuer},
		{"country", c.Subject.Country[0] == "US", c.Subject.Country},
		{"common name", c.Subject.CommonName == "AQUILA SIEM", c.Subject.CommonName},
		{"org unit", c.Subject.OrganizationalUnit[0] == "Security", c.Subject.OrganizationalUnit},
		{"e-mail", hasEmail(c, "secops@example.com"), c.Subject.Names},
		{"self signature", c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil, "bad signature"},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: got %v", ch.name, ch.got)
		}
	}
	var bc struct{ IsCA bool }
	for _, ext := range c.Extensions {
		if ext.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 19}) {
			if !ext.Critical {
				t.Errorf("basicConstraints not critical")
			}
			asn1.Unmarshal(ext.Value, &bc)
		}
		if ext.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 15}) && !ext.Critical {
			t.Errorf("keyUsage not critical")
		}
	}
}

func TestSelfSignedSerialsDiffer(t *testing.T) {
	t.Parallel()
	a, _ := x509.ParseCertificate(mustCert(t, testKey()))
	b, _ := x509.ParseCertificate(mustCert(t, testKey()))
	if a.SerialNumber.Cmp(b.SerialNumber) == 0 {
		t.Errorf("two certificates share serial %v", a.SerialNumber)
	}
}

func TestCSR(t *testing.T) {
	t.Parallel()
	der, err := CSR(testKey(), testSubject())
	if err != nil {
		t.Fatal(err)
	}
	r, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.CheckSignature(); err != nil {
		t.Errorf("CSR signature: %v", err)
	}
	if r.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Errorf("CSR signature algorithm = %v", r.SignatureAlgorithm)
	}
	want := "O=Acme Corp,L=San Francisco,ST=California,C=US"
	if got := r.Subject.String(); got != want {
		t.Errorf("CSR subject = %q, want %q", got, want)
	}
}

func TestSubjectAndValidityErrors(t *testing.T) {
	t.Parallel()
	mod := func(f func(*Subject)) Subject { s := testSubject(); f(&s); return s }
	tests := []struct {
		name     string
		subj     Subject
		days     int
		want     error
		wantText string
	}{
		{"country of 3 letters", mod(func(s *Subject) { s.Country = "USA" }), 0, ErrSubject, "exactly 2 letters"},
		{"country with a digit", mod(func(s *Subject) { s.Country = "U1" }), 0, ErrSubject, "exactly 2 letters"},
		{"country missing", mod(func(s *Subject) { s.Country = "" }), 0, ErrSubject, "country"},
		{"state missing", mod(func(s *Subject) { s.State = " " }), 0, ErrSubject, "state or province"},
		{"locality missing", mod(func(s *Subject) { s.Locality = "" }), 0, ErrSubject, "locality"},
		{"organization missing", mod(func(s *Subject) { s.Organization = "" }), 0, ErrSubject, "organization"},
		{"organization too long", mod(func(s *Subject) { s.Organization = strings.Repeat("x", 65) }), 0, ErrSubject, "64"},
		{"newline in locality", mod(func(s *Subject) { s.Locality = "a\nb" }), 0, ErrSubject, "control"},
		{"bad e-mail", mod(func(s *Subject) { s.Email = "not-an-email" }), 0, ErrSubject, "e-mail"},
		{"negative days", testSubject(), -1, ErrValidity, "36500"},
		{"days too large", testSubject(), 36501, ErrValidity, "36500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SelfSigned(testKey(), tt.subj, CertOptions{Days: tt.days})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %v, want %v saying %q", err, tt.want, tt.wantText)
			}
		})
	}
}

func TestParseCertificatePEM(t *testing.T) {
	t.Parallel()
	der := mustCert(t, testKey())
	pemBytes := EncodeCertificatePEM(der)
	for name, data := range map[string][]byte{
		"PEM": pemBytes, "DER": der, "CRLF": bytes.ReplaceAll(pemBytes, []byte("\n"), []byte("\r\n")),
		"BOM": append([]byte("\xef\xbb\xbf"), pemBytes...),
	} {
		c, err := ParseCertificatePEM(data)
		if err != nil || !bytes.Equal(c.Raw, der) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	key, _ := EncodePKCS8PEM(testKey())
	bad := []struct {
		name string
		data []byte
		want error
	}{
		{"key instead of certificate", key, ErrNotCertificate},
		{"text", []byte("nope"), ErrNotPEM},
		{"empty", nil, ErrNotPEM},
		{"UTF-16", utf16LE(string(pemBytes), true), ErrUTF16},
		{"corrupt body", EncodeCertificatePEM(der[:100]), ErrCorrupt},
	}
	for _, tt := range bad {
		if _, err := ParseCertificatePEM(tt.data); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestKeyMatchesCertificate(t *testing.T) {
	t.Parallel()
	c, _ := x509.ParseCertificate(mustCert(t, testKey()))
	if err := CheckKeyMatchesCertificate(testKey(), c); err != nil {
		t.Errorf("own key: %v", err)
	}
	if !KeyMatchesCertificate(&testKey().PublicKey, c) {
		t.Errorf("own public key does not match")
	}
	err := CheckKeyMatchesCertificate(otherKey(), c)
	if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), FingerprintSHA256(c)) {
		t.Errorf("other key: err = %v, want ErrKeyMismatch naming the fingerprint", err)
	}
}

func TestFingerprints(t *testing.T) {
	t.Parallel()
	c, _ := x509.ParseCertificate(mustCert(t, testKey()))
	s256 := sha256.Sum256(c.Raw)
	s1 := sha1.Sum(c.Raw)
	form := regexp.MustCompile(`^([0-9A-F]{2}:)+[0-9A-F]{2}$`)
	for name, tc := range map[string]struct {
		got string
		sum []byte
	}{"SHA-256": {FingerprintSHA256(c), s256[:]}, "SHA-1": {FingerprintSHA1(c), s1[:]}} {
		if !form.MatchString(tc.got) || len(tc.got) != len(tc.sum)*3-1 {
			t.Errorf("%s fingerprint %q not in colon-hex form", name, tc.got)
		}
		if want := hexPairs(tc.sum); tc.got != want {
			t.Errorf("%s fingerprint = %q, want %q", name, tc.got, want)
		}
	}
}

func hasEmail(c *x509.Certificate, want string) bool {
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidEmailAddress) && n.Value == want {
			return true
		}
	}
	return false
}

func hexPairs(b []byte) string {
	const digits = "0123456789ABCDEF"
	var sb strings.Builder
	for i, x := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteByte(digits[x>>4])
		sb.WriteByte(digits[x&15])
	}
	return sb.String()
}

func TestDaysLeft(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	der, _ := SelfSigned(testKey(), testSubject(), CertOptions{Days: 10, Now: now})
	c, _ := x509.ParseCertificate(der)
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{now, 10}, {now.AddDate(0, 0, 1).Add(time.Hour), 8}, {now.AddDate(0, 0, 11), -1}} {
		if got := DaysLeft(c, tc.at); got != tc.want {
			t.Errorf("DaysLeft at %v = %d, want %d", tc.at, got, tc.want)
		}
	}
}
