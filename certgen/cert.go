package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/internal/fsutil"
)

var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

// DefaultValidityDays is the certificate lifetime used for 0: the guide's "-days 365".
const DefaultValidityDays = 365

// clockSkew is how far NotBefore is set in the past, so a server whose clock runs a little
// behind does not see a certificate from the future.
const clockSkew = 5 * time.Minute

// CSR creates a PKCS#10 certificate signing request for key with subject, signed with
// SHA-256, and returns its DER bytes. It replaces "openssl req -new -key server.key".
func CSR(key crypto.Signer, subject Subject) ([]byte, error) {
	if err := subject.Validate(); err != nil {
		return nil, err
	}
	if err := CheckRSAKey(key.Public()); err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:            subject.name(),
		SignatureAlgorithm: x509.SHA256WithRSA,
	}, key)
	if err != nil {
		return nil, fmt.Errorf("certgen: create CSR: %w", err)
	}
	return der, nil
}

// CertOptions tunes SelfSigned. The zero value gives the defaults.
type CertOptions struct {
	// Days is the validity in days from now; 0 means DefaultValidityDays (365).
	Days int
	// Now is the issue time; zero means time.Now().
	Now time.Time
}

// SelfSigned creates a self-signed X.509 v3 certificate for key with subject and returns its
// DER bytes. It replaces "openssl x509 -req -sha256 -days 365 -signkey server.key", which
// makes a v1 certificate; this one is v3 with SHA-256 with RSA, a random positive serial of at
// most 20 octets, NotBefore five minutes back for clock skew, basicConstraints CA:FALSE
// (critical), keyUsage digitalSignature (critical), subjectKeyIdentifier and a matching
// authorityKeyIdentifier.
func SelfSigned(key crypto.Signer, subject Subject, opts CertOptions) ([]byte, error) {
	if err := subject.Validate(); err != nil {
		return nil, err
	}
	if err := CheckRSAKey(key.Public()); err != nil {
		return nil, err
	}
	days := opts.Days
	if days == 0 {
		days = DefaultValidityDays
	}
	if days < 1 || days > 36500 {
		return nil, fmt.Errorf("certgen: %d days: %w", days, ErrValidity)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	skid, err := subjectKeyID(key.Public())
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject.name(),
		NotBefore:             now.Add(-clockSkew).UTC(),
		NotAfter:              now.AddDate(0, 0, days).UTC(),
		SignatureAlgorithm:    x509.SHA256WithRSA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          skid,
		AuthorityKeyId:        skid,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("certgen: create certificate: %w", err)
	}
	return der, nil
}

// randomSerial returns a random positive serial number of at most 159 bits, so its DER
// encoding never exceeds the 20 octets RFC 5280 allows.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 159)
	for {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return nil, fmt.Errorf("certgen: serial number: %w", err)
		}
		if n.Sign() > 0 && n.BitLen() > 64 {
			return n, nil
		}
	}
}

// subjectKeyID is the SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1), what
// OpenSSL writes.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("certgen: public key: %w", err)
	}
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, fmt.Errorf("certgen: public key: %w", err)
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}

// ParseCertificatePEM parses the first certificate in data, which may be PEM (the guide's
// server.crt) or DER. A UTF-8 byte order mark and Windows line ends are accepted. Errors wrap
// ErrNotCertificate, ErrUTF16, ErrNotPEM or ErrCorrupt.
func ParseCertificatePEM(data []byte) (*x509.Certificate, error) {
	if c, err := x509.ParseCertificate(data); err == nil {
		return c, nil
	}
	text, err := normalizeText(data)
	if err != nil {
		return nil, fmt.Errorf("certgen: parse certificate: %w", err)
	}
	var others []string
	for rest := text; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			others = append(others, block.Type)
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certgen: parse certificate: %w: %v", ErrCorrupt, err)
		}
		return c, nil
	}
	if len(others) > 0 {
		return nil, fmt.Errorf("certgen: parse certificate: found %s: %w; give the certificate file (server.crt)", quoteList(others), ErrNotCertificate)
	}
	return nil, fmt.Errorf("certgen: parse certificate: %w: expected text starting with \"-----BEGIN CERTIFICATE-----\"", ErrNotPEM)
}

// ReadCertificateFile reads and parses the certificate in path (PEM or DER).
func ReadCertificateFile(path string) (*x509.Certificate, error) {
	data, err := fsutil.ReadFileLimit(path, maxPEMFile)
	if err != nil {
		return nil, fmt.Errorf("certgen: read certificate: %w", err)
	}
	c, err := ParseCertificatePEM(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return c, nil
}

// EncodeCertificatePEM encodes DER certificate bytes as a "CERTIFICATE" PEM block.
func EncodeCertificatePEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// EncodeCSRPEM encodes DER CSR bytes as a "CERTIFICATE REQUEST" PEM block.
func EncodeCSRPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

// CheckKeyMatchesCertificate returns nil if pub (a public key, or a private key, which is
// reduced to its public half) is the key certified by cert, and an error wrapping
// ErrKeyMismatch otherwise.
func CheckKeyMatchesCertificate(pub crypto.PublicKey, cert *x509.Certificate) error {
	if s, ok := pub.(interface{ Public() crypto.PublicKey }); ok {
		pub = s.Public()
	}
	k, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !k.Equal(cert.PublicKey) {
		return fmt.Errorf("certgen: %w: the certificate (subject %q, SHA-256 %s) was made from another key; upload the certificate made with this key, or use the key that made it",
			ErrKeyMismatch, cert.Subject.String(), FingerprintSHA256(cert))
	}
	return nil
}

// KeyMatchesCertificate reports whether pub is the key certified by cert.
func KeyMatchesCertificate(pub crypto.PublicKey, cert *x509.Certificate) bool {
	return CheckKeyMatchesCertificate(pub, cert) == nil
}

// FingerprintSHA256 returns the SHA-256 fingerprint of cert in upper-case colon-separated hex,
// the form keytool and Salesforce's certificate pages show.
func FingerprintSHA256(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return colonHex(sum[:])
}

// FingerprintSHA1 returns the SHA-1 fingerprint of cert in upper-case colon-separated hex.
func FingerprintSHA1(cert *x509.Certificate) string {
	sum := sha1.Sum(cert.Raw)
	return colonHex(sum[:])
}

func colonHex(b []byte) string {
	h := strings.ToUpper(hex.EncodeToString(b))
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}

// DaysLeft returns the whole days from now until cert expires, rounded down; negative once
// it has expired.
func DaysLeft(cert *x509.Certificate, now time.Time) int {
	d := cert.NotAfter.Sub(now).Hours() / 24
	return int(math.Floor(d))
}
