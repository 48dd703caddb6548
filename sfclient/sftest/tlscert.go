package sftest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// TLSOrganization is the subject organization of the certificates NewTLSCertificate makes, so
// tools can recognise an emulator certificate (sfjwt serve replaces only those without --force).
const TLSOrganization = "sftest"

// NewTLSCertificate makes a self-signed server certificate like the one StartTLS uses: ECDSA
// P-256, valid for a year for localhost, 127.0.0.1 and ::1 (httptest's own certificate lacks
// localhost) plus the extra host names or IP addresses given, and marked as a CA so that
// clients such as Node accept it as a trust anchor (NODE_EXTRA_CA_CERTS). "sfjwt serve" uses it
// when it listens on another address.
func NewTLSCertificate(hosts ...string) (tls.Certificate, error) {
	return newTLSCertificate(time.Now(), hosts...)
}

func newTLSCertificate(now time.Time, hosts ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("sftest: TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("sftest: TLS certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "sftest emulated Salesforce org", Organization: []string{TLSOrganization}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		switch ip := net.ParseIP(h); {
		case ip != nil && !ip.IsLoopback() && !ip.IsUnspecified():
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		case ip == nil && h != "" && !strings.EqualFold(h, "localhost"):
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("sftest: TLS certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
