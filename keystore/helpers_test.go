package keystore

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"

	"github.com/cytechint/sfjwt/certgen"
)

// testPassword is a test-only keystore password.
const testPassword = "changeit-123"

// fixtures holds test keys generated once for the whole package.
type fixtures struct {
	key, other *rsa.PrivateKey // RSA-2048
	small      *rsa.PrivateKey // RSA-1024, refused
	ec         *ecdsa.PrivateKey
	cert       *x509.Certificate // key's self-signed cert, CN "My JWT Cert"
	otherCert  *x509.Certificate
	smallCert  *x509.Certificate
	ecCert     *x509.Certificate
	caKey      *rsa.PrivateKey
	ca, leaf   *x509.Certificate // leaf of key signed by ca
}

var (
	fixOnce sync.Once
	fix     fixtures
)

func testFixtures(t testing.TB) *fixtures {
	t.Helper()
	fixOnce.Do(func() {
		mustRSA := func(bits int) *rsa.PrivateKey {
			k, err := rsa.GenerateKey(rand.Reader, bits)
			if err != nil {
				panic(err)
			}
			return k
		}
		fix.key, fix.other, fix.small = mustRSA(2048), mustRSA(2048), mustRSA(1024)
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		fix.ec = ec
		fix.cert = selfSigned(fix.key, pkix.Name{CommonName: "My JWT Cert", Organization: []string{"Example"}})
		fix.otherCert = selfSigned(fix.other, pkix.Name{Organization: []string{"Other Org"}})
		fix.smallCert = selfSigned(fix.small, pkix.Name{CommonName: "small"})
		fix.ecCert = selfSigned(fix.ec, pkix.Name{CommonName: "ec"})
		fix.caKey = fix.other
		fix.ca = fix.otherCert
		fix.leaf = makeCert(fix.key, pkix.Name{CommonName: "leaf"}, fix.ca, fix.caKey)
	})
	return &fix
}

func selfSigned(key crypto.Signer, subject pkix.Name) *x509.Certificate {
	return makeCert(key, subject, nil, key)
}

// makeCert makes a certificate for key's public half, signed by parentKey (self-signed when
// parent is nil).
func makeCert(key crypto.Signer, subject pkix.Name, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               subject,
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  parent == nil,
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

// entry returns a valid KeyEntry for the main test key.
func (f *fixtures) entry(alias string) *KeyEntry {
	return &KeyEntry{Alias: alias, Key: f.key, Certificate: f.cert}
}

func mustJKS(t testing.TB, e *KeyEntry, pw string) []byte {
	t.Helper()
	data, err := EncodeJKS(e, []byte(pw))
	if err != nil {
		t.Fatalf("EncodeJKS: %v", err)
	}
	return data
}

func mustPKCS12(t testing.TB, e *KeyEntry, pw string, enc PKCS12Encoding) []byte {
	t.Helper()
	data, err := EncodePKCS12(e, []byte(pw), enc)
	if err != nil {
		t.Fatalf("EncodePKCS12: %v", err)
	}
	return data
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func storeRaw(t testing.TB, ks jks.KeyStore, pw string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(pw)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func fingerprint(c *x509.Certificate) string { return certgen.FingerprintSHA256(c) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// errorsIsAnyCertgen reports whether err is one of certgen's key checks (EC key, wrong size,
// mismatch), which writers pass through.
func errorsIsAnyCertgen(err error) bool {
	return errors.Is(err, certgen.ErrNotRSA) || errors.Is(err, certgen.ErrKeySize) || errors.Is(err, certgen.ErrKeyMismatch)
}
