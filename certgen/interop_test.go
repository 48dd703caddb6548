package certgen_test

import (
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/interop"
)

const interopPassword = "Interop-Pass-1"

// ourBundle writes a bundle for the OpenSSL checks.
func ourBundle(t *testing.T) certgen.Bundle {
	t.Helper()
	b, err := certgen.WriteBundle(t.TempDir(), certgen.BundleOptions{
		Subject:  certgen.Subject{Country: "US", State: "California", Locality: "San Francisco", Organization: "Acme Corp", CommonName: "sfjwt interop"},
		Password: []byte(interopPassword),
		Days:     90,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func passFile(t *testing.T, pw string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOpenSSLReadsOurFiles checks that OpenSSL accepts every file of the bundle.
func TestOpenSSLReadsOurFiles(t *testing.T) {
	openssl := interop.Tool(t, "openssl")
	b := ourBundle(t)
	dir := t.TempDir()
	pw := passFile(t, interopPassword)

	// server.pass.key decrypts with the password and holds the same key as server.key.
	fromPass := interop.Run(t, dir, openssl, "pkey", "-in", b.PassKey, "-passin", "file:"+pw, "-pubout")
	fromKey := interop.Run(t, dir, openssl, "pkey", "-in", b.Key, "-pubout")
	fromPEM := interop.Run(t, dir, openssl, "pkey", "-in", b.PEM, "-pubout")
	fromCert := interop.Run(t, dir, openssl, "x509", "-in", b.Cert, "-noout", "-pubkey")
	fromCSR := interop.Run(t, dir, openssl, "req", "-in", b.CSR, "-noout", "-pubkey")
	for name, got := range map[string]string{"server.key": fromKey, "server.pem": fromPEM, "server.crt": fromCert, "server.csr": fromCSR} {
		if got != fromPass {
			t.Errorf("public key of %s differs from server.pass.key's", name)
		}
	}
	// A wrong password is refused.
	if out, err := interop.Try(dir, nil, openssl, "pkey", "-in", b.PassKey, "-passin", "file:"+passFile(t, "wrong-pass"), "-noout"); err == nil {
		t.Errorf("openssl accepted a wrong password: %s", out)
	}
	// The encryption is PBES2 / PBKDF2 / HMAC-SHA256 / AES-256-CBC with 600000 iterations.
	asn := interop.Run(t, dir, openssl, "asn1parse", "-in", b.PassKey)
	for _, want := range []string{"PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc", "INTEGER           :0927C0"} {
		if !strings.Contains(asn, want) {
			t.Errorf("asn1parse of server.pass.key lacks %q:\n%s", want, asn)
		}
	}
	// The CSR's signature verifies.
	if out := interop.Run(t, dir, openssl, "req", "-in", b.CSR, "-verify", "-noout"); !strings.Contains(out, "verify OK") {
		t.Errorf("req -verify: %s", out)
	}
	text := interop.Run(t, dir, openssl, "x509", "-in", b.Cert, "-noout", "-text")
	for _, want := range []string{
		"Version: 3 (0x2)", "Signature Algorithm: sha256WithRSAEncryption", "Public-Key: (2048 bit)",
		"X509v3 Basic Constraints: critical", "CA:FALSE", "X509v3 Key Usage: critical", "Digital Signature",
		"X509v3 Subject Key Identifier", "Subject: C = US, ST = California, L = San Francisco, O = Acme Corp, CN = sfjwt interop",
		"Not After : " + b.NotAfter.Format("Jan _2 15:04:05 2006 GMT"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("x509 -text lacks %q:\n%s", want, text)
		}
	}
	fp := interop.Run(t, dir, openssl, "x509", "-in", b.Cert, "-noout", "-fingerprint", "-sha256")
	if got := afterEquals(fp); got != b.SHA256Fingerprint {
		t.Errorf("SHA-256 fingerprint: openssl %q, ours %q", got, b.SHA256Fingerprint)
	}
}

// TestWeReadOpenSSLFiles runs the guide's own commands (and the other forms users have) and
// parses what they write.
func TestWeReadOpenSSLFiles(t *testing.T) {
	openssl := interop.Tool(t, "openssl")
	dir := t.TempDir()
	pwFile := passFile(t, interopPassword)
	pw := "file:" + pwFile
	run := func(args ...string) { interop.Run(t, dir, openssl, args...) }

	// The guide's steps 3-5 (password from a file rather than the command line).
	run("genpkey", "-aes-256-cbc", "-algorithm", "RSA", "-pass", pw, "-out", "server.pass.key", "-pkeyopt", "rsa_keygen_bits:2048")
	run("rsa", "-passin", pw, "-in", "server.pass.key", "-out", "server.key")
	run("req", "-new", "-key", "server.key", "-out", "server.csr", "-subj", "/C=US/ST=California/L=San Francisco/O=Acme Corp")
	run("x509", "-req", "-sha256", "-days", "365", "-in", "server.csr", "-signkey", "server.key", "-out", "server.crt")
	// Other forms a user may hand over.
	run("rsa", "-in", "server.key", "-traditional", "-out", "pkcs1.key")
	run("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-128-cbc", "-passout", pw, "-out", "aes128.key")
	run("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA512", "-passout", pw, "-out", "sha512.key")
	run("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1", "-passout", pw, "-out", "sha1.key")
	run("pkcs8", "-topk8", "-in", "server.key", "-v2", "des3", "-passout", pw, "-out", "des3.key")
	run("genrsa", "-traditional", "-aes256", "-passout", pw, "-out", "legacy.key", "2048")

	want, err := certgen.ReadPrivateKeyFile(filepath.Join(dir, "server.key"), nil)
	if err != nil {
		t.Fatalf("server.key: %v", err)
	}
	for _, name := range []string{"server.pass.key", "pkcs1.key", "aes128.key", "sha512.key", "sha1.key", "des3.key"} {
		got, err := certgen.ReadPrivateKeyFile(filepath.Join(dir, name), []byte(interopPassword))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !got.(*rsa.PrivateKey).Equal(want) {
			t.Errorf("%s: different key from server.key", name)
		}
	}
	if _, err := certgen.ReadPrivateKeyFile(filepath.Join(dir, "server.pass.key"), []byte("wrong")); err == nil ||
		!strings.Contains(err.Error(), certgen.ErrWrongPassword.Error()) {
		t.Errorf("wrong password: err = %v", err)
	}
	if _, err := certgen.ReadPrivateKeyFile(filepath.Join(dir, "legacy.key"), []byte(interopPassword)); err == nil ||
		!strings.Contains(err.Error(), "openssl pkcs8 -topk8") {
		t.Errorf("legacy Proc-Type key: err = %v, want advice to convert", err)
	}
	cert, err := certgen.ReadCertificateFile(filepath.Join(dir, "server.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.Version != 1 {
		t.Logf("OpenSSL made a v%d certificate", cert.Version)
	}
	if err := certgen.CheckKeyMatchesCertificate(want, cert); err != nil {
		t.Errorf("guide's certificate vs key: %v", err)
	}
	fp := interop.Run(t, dir, openssl, "x509", "-in", "server.crt", "-noout", "-fingerprint", "-sha1")
	if got, ours := afterEquals(fp), certgen.FingerprintSHA1(cert); got != ours {
		t.Errorf("SHA-1 fingerprint: openssl %q, ours %q", got, ours)
	}
}

// afterEquals returns what follows "=" in openssl's "sha256 Fingerprint=AB:CD…" line.
func afterEquals(line string) string {
	_, v, _ := strings.Cut(strings.TrimSpace(line), "=")
	return v
}
