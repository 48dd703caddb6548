package keystore

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/interop"
)

// Interop tests run the real openssl and keytool. Passwords reach them through files
// (-passin file:, -storepass:file), never argv. Each keytool run starts a JVM (~0.5 s), so
// these tests use five in all.

// interopDir writes the test key, certificate and password file into a temporary folder.
func interopDir(t *testing.T) (dir, pwFile string) {
	t.Helper()
	f := testFixtures(t)
	dir = t.TempDir()
	keyPEM, err := certgen.EncodePKCS8PEM(f.key)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"server.pem": keyPEM,
		"server.crt": certgen.EncodeCertificatePEM(f.cert.Raw),
		"pw":         []byte(testPassword + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, filepath.Join(dir, "pw")
}

// keyFromPEMOutput finds the private key in a tool's PEM output.
func keyFromPEMOutput(t *testing.T, out string) any {
	t.Helper()
	rest := []byte(out)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			t.Fatalf("no PRIVATE KEY in tool output:\n%s", out)
		}
		if b.Type == "PRIVATE KEY" {
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
	}
}

func TestInteropKeytoolReadsOurJKS(t *testing.T) {
	t.Parallel()
	keytool, openssl := interop.Tool(t, "keytool"), interop.Tool(t, "openssl")
	f := testFixtures(t)
	dir, pw := interopDir(t)
	jksPath := filepath.Join(dir, "servercert.jks")
	if err := Export(ExportConfig{Key: f.key, Certificate: f.cert, Alias: "My_JWT_Cert", Password: []byte(testPassword), JKSPath: jksPath}); err != nil {
		t.Fatal(err)
	}
	out := interop.Run(t, dir, keytool, "-list", "-v", "-keystore", jksPath, "-storetype", "JKS", "-storepass:file", pw)
	for _, want := range []string{"Alias name: my_jwt_cert", "Entry type: PrivateKeyEntry", "Your keystore contains 1 entry", certgen.FingerprintSHA256(f.cert)} {
		if !strings.Contains(out, want) {
			t.Errorf("keytool -list -v output lacks %q:\n%s", want, out)
		}
	}
	// keytool can take the key out again (so the PKCS#8 inside and the key password are right).
	p12 := filepath.Join(dir, "reexport.p12")
	interop.Run(t, dir, keytool, "-importkeystore", "-noprompt", "-srckeystore", jksPath, "-srcstoretype", "JKS",
		"-srcstorepass:file", pw, "-srcalias", "my_jwt_cert", "-destkeystore", p12, "-deststoretype", "PKCS12",
		"-deststorepass:file", pw)
	out = interop.Run(t, dir, openssl, "pkcs12", "-in", p12, "-nodes", "-passin", "file:"+pw)
	if key := keyFromPEMOutput(t, out); !f.key.Equal(key) {
		t.Error("the key keytool re-exported is not the key we wrote")
	}
	// And we read the PKCS#12 keytool wrote, friendly name included.
	e, err := ReadFile(p12, []byte(testPassword), "")
	if err != nil {
		t.Fatalf("reading keytool's PKCS#12: %v", err)
	}
	if e.Alias != "my_jwt_cert" || !f.key.Equal(e.Key) || !e.Certificate.Equal(f.cert) {
		t.Errorf("keytool PKCS#12: alias %q, key/cert equal %v/%v", e.Alias, f.key.Equal(e.Key), e.Certificate.Equal(f.cert))
	}
}

func TestInteropToolsReadOurPKCS12(t *testing.T) {
	t.Parallel()
	openssl, keytool := interop.Tool(t, "openssl"), interop.Tool(t, "keytool")
	f := testFixtures(t)
	dir, pw := interopDir(t)
	for _, tc := range []struct {
		name string
		enc  PKCS12Encoding
	}{{"modern.p12", PKCS12Modern}, {"legacy.p12", PKCS12LegacyDES}} {
		p := filepath.Join(dir, tc.name)
		err := Export(ExportConfig{Key: f.key, Certificate: f.cert, Alias: "My_JWT_Cert", Password: []byte(testPassword),
			PKCS12Path: p, PKCS12Encoding: tc.enc})
		if err != nil {
			t.Fatal(err)
		}
		// No -legacy: OpenSSL 3's default provider must be enough. OpenSSL also checks the MAC
		// we recomputed after adding the friendly name.
		out := interop.Run(t, dir, openssl, "pkcs12", "-in", p, "-nodes", "-passin", "file:"+pw)
		if key := keyFromPEMOutput(t, out); !f.key.Equal(key) {
			t.Errorf("%s: openssl read another key", tc.name)
		}
		if !strings.Contains(out, "friendlyName: My_JWT_Cert") {
			t.Errorf("%s: openssl shows no friendly name:\n%s", tc.name, out)
		}
	}
	out := interop.Run(t, dir, keytool, "-list", "-keystore", filepath.Join(dir, "modern.p12"), "-storetype", "PKCS12", "-storepass:file", pw)
	if !strings.Contains(out, "my_jwt_cert,") || !strings.Contains(out, "PrivateKeyEntry") || !strings.Contains(out, "1 entry") {
		t.Errorf("keytool -list of our PKCS#12 (want alias my_jwt_cert):\n%s", out)
	}
}

func TestInteropWeReadOpenSSLPKCS12(t *testing.T) {
	t.Parallel()
	openssl := interop.Tool(t, "openssl")
	f := testFixtures(t)
	dir, pw := interopDir(t)
	tests := []struct {
		name      string
		args      []string
		wantAlias string
	}{
		{"default", nil, ""},
		{"named", []string{"-name", "My_JWT_Cert"}, "My_JWT_Cert"},
		{"legacy", []string{"-legacy"}, ""},
		{"legacy named with space", []string{"-legacy", "-name", "My JWT Cert"}, "My JWT Cert"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name+".p12")
		args := append([]string{"pkcs12", "-export", "-in", "server.crt", "-inkey", "server.pem", "-out", p, "-passout", "file:" + pw}, tt.args...)
		interop.Run(t, dir, openssl, args...)
		e, err := ReadFile(p, []byte(testPassword), "")
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if e.Alias != tt.wantAlias || !f.key.Equal(e.Key) || !e.Certificate.Equal(f.cert) {
			t.Errorf("%s: alias %q (want %q), key/cert equal %v/%v", tt.name, e.Alias, tt.wantAlias, f.key.Equal(e.Key), e.Certificate.Equal(f.cert))
		}
		if _, err := ReadFile(p, []byte("wrong-password"), ""); !errorsIs(err, ErrWrongPassword) {
			t.Errorf("%s: wrong password gave %v, want ErrWrongPassword", tt.name, err)
		}
		// Conversion picks the friendly name when valid, else the given alias.
		_, alias, err := ConvertPKCS12ToJKS(mustRead(t, p), []byte(testPassword), []byte(testPassword), "Given")
		want := "given"
		if tt.name == "named" {
			want = "my_jwt_cert"
		}
		if err != nil || alias != want {
			t.Errorf("%s: convert alias = %q, %v; want %q", tt.name, alias, err, want)
		}
	}
	// A certificate-only PKCS#12 (-nokeys) holds no key.
	p := filepath.Join(dir, "nokey.p12")
	interop.Run(t, dir, openssl, "pkcs12", "-export", "-nokeys", "-in", "server.crt", "-out", p, "-passout", "file:"+pw)
	if _, err := ReadFile(p, []byte(testPassword), ""); !errorsIs(err, ErrNoPrivateKey) {
		t.Errorf("-nokeys PKCS#12: %v, want ErrNoPrivateKey", err)
	}
}

// TestInteropGuidePath runs the guide's own three commands' first two (openssl pkcs12
// -export; keytool -importkeystore), checks the entry comes out as "1", and that our rename
// fixes it so keytool shows the new alias.
func TestInteropGuidePath(t *testing.T) {
	t.Parallel()
	openssl, keytool := interop.Tool(t, "openssl"), interop.Tool(t, "keytool")
	f := testFixtures(t)
	dir, pw := interopDir(t)
	interop.Run(t, dir, openssl, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.pem", "-out", "keystore.p12", "-passout", "file:"+pw)
	interop.Run(t, dir, keytool, "-importkeystore", "-noprompt", "-srckeystore", "keystore.p12", "-srcstoretype", "pkcs12",
		"-srcstorepass:file", pw, "-destkeystore", "servercert.jks", "-deststoretype", "JKS", "-deststorepass:file", pw)
	jksPath := filepath.Join(dir, "servercert.jks")
	l, err := ListFile(jksPath, []byte(testPassword))
	if err != nil {
		t.Fatalf("reading keytool's JKS: %v", err)
	}
	if len(l.Entries) != 1 || l.Entries[0].Alias != "1" || l.Entries[0].Type != PrivateKeyEntry {
		t.Fatalf("keytool's JKS = %+v, want one PrivateKeyEntry called 1", l.Entries)
	}
	e, err := ReadFile(jksPath, []byte(testPassword), "1")
	if err != nil || !f.key.Equal(e.Key) {
		t.Fatalf("keytool's JKS key: %v", err)
	}
	if err := RenameFile(jksPath, []byte(testPassword), "1", "Salesforce_JWT"); err != nil {
		t.Fatalf("RenameFile: %v", err)
	}
	out := interop.Run(t, dir, keytool, "-list", "-v", "-keystore", jksPath, "-storepass:file", pw)
	if !strings.Contains(out, "Alias name: salesforce_jwt") || !strings.Contains(out, "Entry type: PrivateKeyEntry") || strings.Contains(out, "Alias name: 1\n") {
		t.Errorf("keytool -list -v after rename:\n%s", out)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
