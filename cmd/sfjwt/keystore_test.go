package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// ksTestPassword is a test-only keystore password.
const ksTestPassword = "changeit-123"

// ksFiles are PEM files of test keys and certificates, written into a test's temporary folder
// from keys generated once for the package.
type ksFiles struct {
	key, cert, otherCert, encKey, ecKey string
	ecCert, smallKey, smallCert         string
}

// ksPEMs holds the PEM bytes of the test keys, made once.
var (
	ksOnce sync.Once
	ksPEMs map[string][]byte
)

func ksFixtures(t testing.TB) *ksFiles {
	t.Helper()
	ksOnce.Do(func() { ksPEMs = makeKSPEMs() })
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, ksPEMs[name], 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return &ksFiles{key: write("server.pem"), cert: write("server.crt"), otherCert: write("other.crt"),
		encKey: write("server.pass.key"), ecKey: write("ec.pem"), ecCert: write("ec.crt"),
		smallKey: write("small.pem"), smallCert: write("small.crt")}
}

func makeKSPEMs() map[string][]byte {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert := func(k crypto.Signer, cn string) []byte {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
		if err != nil {
			panic(err)
		}
		return certgen.EncodeCertificatePEM(der)
	}
	pkcs8 := func(k crypto.Signer) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			panic(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	enc, err := certgen.EncodeEncryptedPKCS8PEM(key, []byte("key-pass-1"), &certgen.EncryptOptions{Iterations: 1000})
	if err != nil {
		panic(err)
	}
	return map[string][]byte{
		"server.pem": pkcs8(key), "server.crt": cert(key, "My App"), "other.crt": cert(other, "Other"),
		"server.pass.key": enc, "ec.pem": pkcs8(ec), "ec.crt": cert(ec, "EC"),
		"small.pem": pkcs8(small), "small.crt": cert(small, "Small"),
	}
}

// ksEnv returns a test env whose keystore password comes from SFJWT_STORE_PASSWORD.
func ksEnv(t *testing.T, pw string) *testEnv {
	te := newTestEnv(t)
	if pw != "" {
		te.Vars["SFJWT_STORE_PASSWORD"] = pw
	}
	return te
}

func TestKeystoreExportListRenameConvert(t *testing.T) {
	f := ksFixtures(t)
	dir := t.TempDir()
	jks, p12 := filepath.Join(dir, "servercert.jks"), filepath.Join(dir, "keystore.p12")
	te := ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", jks, "--p12", p12, "--alias", "My_App"); code != 0 {
		t.Fatalf("export exit = %d; stderr:\n%s", code, te.Stderr)
	}
	if !strings.Contains(te.Stdout.String(), `alias "my_app"`) {
		t.Errorf("export stdout = %q, want the stored alias", te.Stdout)
	}
	for _, p := range []string{jks, p12} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v, want 0600", p, err, st.Mode().Perm())
		}
	}
	te = ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "list", p12); code != 0 || !strings.Contains(te.Stdout.String(), "PKCS#12 keystore, 1 entry") {
		t.Fatalf("list p12: exit %d, stdout %q, stderr %q", code, te.Stdout, te.Stderr)
	}
	jks2 := filepath.Join(dir, "converted.jks")
	te = ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "convert", "--p12", p12, "--jks", jks2); code != 0 || !strings.Contains(te.Stdout.String(), `alias "my_app"`) {
		t.Fatalf("convert: exit %d, stdout %q, stderr %q", code, te.Stdout, te.Stderr)
	}
	te = ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "rename", "--jks", jks2, "--from", "my_app", "--to", "Renamed_Cert"); code != 0 {
		t.Fatalf("rename: exit %d, stderr %q", code, te.Stderr)
	}
	te = ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "list", jks2); code != 0 {
		t.Fatalf("list: exit %d, stderr %q", code, te.Stderr)
	}
	for _, want := range []string{"JKS keystore, 1 entry", "Alias:      renamed_cert", "Entry type: PrivateKeyEntry", "Subject:    CN=My App", "SHA-256:    "} {
		if !strings.Contains(te.Stdout.String(), want) {
			t.Errorf("list stdout = %q, want %q", te.Stdout, want)
		}
	}
	// keytool's alias "1" (the guide's keystore, a committed fixture) gets a warning with the fix.
	data, err := os.ReadFile(filepath.Join("..", "..", "keystore", "testdata", "keytool-guide.jks"))
	if err != nil {
		t.Fatal(err)
	}
	guide := filepath.Join(dir, "guide.jks")
	os.WriteFile(guide, data, 0o600)
	te = ksEnv(t, "changeit-123")
	te.run(t, "keystore", "list", guide)
	if want := "fix it with: sfjwt keystore rename --jks " + guide + " --from 1 --to sfjwt_test_key"; !strings.Contains(te.Stdout.String(), want) {
		t.Errorf("list of keytool's JKS = %q, want %q", te.Stdout, want)
	}
}

func TestKeystorePasswordSources(t *testing.T) {
	f := ksFixtures(t)
	dir := t.TempDir()
	// Prompted twice for a new keystore; encrypted key password from the environment.
	te := newTestEnv(t).withTerminal(ksTestPassword, ksTestPassword)
	te.Vars["SFJWT_KEY_PASSWORD"] = "key-pass-1"
	jks := filepath.Join(dir, "a.jks")
	if code := te.run(t, "keystore", "export", "--key", f.encKey, "--cert", f.cert, "--jks", jks, "--alias", "a"); code != 0 {
		t.Fatalf("export with prompt: exit %d, stderr %q", code, te.Stderr)
	}
	// Certificates after the first in --cert become the chain.
	chained := filepath.Join(dir, "chained.crt")
	leafPEM, _ := os.ReadFile(f.cert)
	otherPEM, _ := os.ReadFile(f.otherCert)
	os.WriteFile(chained, append(leafPEM, otherPEM...), 0o600)
	te = ksEnv(t, ksTestPassword)
	if code := te.run(t, "keystore", "export", "--key", f.key, "--cert", chained, "--p12", filepath.Join(dir, "chain.p12")); code != 0 {
		t.Fatalf("export with chain: exit %d, stderr %q", code, te.Stderr)
	}
	if e, err := keystore.ReadFile(filepath.Join(dir, "chain.p12"), []byte(ksTestPassword), ""); err != nil || len(e.Chain) != 1 {
		t.Errorf("chain.p12: %v, want one chain certificate", err)
	}
	// An expired certificate is written with a warning.
	te = ksEnv(t, ksTestPassword)
	te.now = func() time.Time { return time.Now().AddDate(2, 0, 0) }
	if code := te.run(t, "keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", filepath.Join(dir, "old.jks"), "--alias", "old"); code != 0 || !strings.Contains(te.Stderr.String(), "the certificate expired on") {
		t.Errorf("expired certificate: exit %d, stderr %q", code, te.Stderr)
	}
	// A mistyped confirmation writes nothing.
	te = newTestEnv(t).withTerminal(ksTestPassword, ksTestPassword+"x")
	if code := te.run(t, "keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", filepath.Join(dir, "typo.jks"), "--alias", "a"); code != 1 || !strings.Contains(te.Stderr.String(), "do not match") {
		t.Errorf("mismatched confirmation: exit %d, stderr %q", code, te.Stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.jks")); err == nil {
		t.Error("typo.jks written despite the mismatched confirmation")
	}
	// Password file for the store, key password file for the key.
	pwFile, keyPwFile := filepath.Join(dir, "pw"), filepath.Join(dir, "keypw")
	os.WriteFile(pwFile, []byte(ksTestPassword+"\r\n"), 0o600)
	os.WriteFile(keyPwFile, []byte("key-pass-1\n"), 0o600)
	te = newTestEnv(t)
	if code := te.run(t, "keystore", "export", "--key", f.encKey, "--key-password-file", keyPwFile, "--cert", f.cert,
		"--p12", filepath.Join(dir, "b.p12"), "--password-file", pwFile); code != 0 {
		t.Fatalf("export with files: exit %d, stderr %q", code, te.Stderr)
	}
	// convert: PKCS#12 password from SFJWT_P12_PASSWORD, a different JKS password from the file.
	os.WriteFile(pwFile, []byte("another-pass\n"), 0o600)
	te = newTestEnv(t)
	te.Vars["SFJWT_P12_PASSWORD"] = ksTestPassword
	if code := te.run(t, "keystore", "convert", "--p12", filepath.Join(dir, "b.p12"), "--jks", filepath.Join(dir, "b.jks"), "--password-file", pwFile, "--alias", "b_cert"); code != 0 {
		t.Fatalf("convert: exit %d, stderr %q", code, te.Stderr)
	}
	if _, err := keystore.ReadFile(filepath.Join(dir, "b.jks"), []byte("another-pass"), "b_cert"); err != nil {
		t.Errorf("converted JKS: %v", err)
	}
}

func TestKeystoreBadInput(t *testing.T) {
	f := ksFixtures(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.jks")
	te := ksEnv(t, ksTestPassword)
	if te.run(t, "keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", existing, "--alias", "a") != 0 {
		t.Fatalf("setup: %s", te.Stderr)
	}
	original, _ := os.ReadFile(existing)
	notKS := filepath.Join(dir, "notes.txt")
	os.WriteFile(notKS, []byte("not a keystore"), 0o600)
	out := filepath.Join(dir, "out.jks")
	ecP12 := filepath.Join(dir, "ec.p12")
	writeECPKCS12(t, f, ecP12)
	exp := func(extra ...string) []string {
		return append([]string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", out}, extra...)
	}
	tests := []struct {
		name     string
		pw       string
		vars     map[string]string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no subcommand", ksTestPassword, nil, []string{"keystore"}, 2, "name a subcommand"},
		{"unknown subcommand", ksTestPassword, nil, []string{"keystore", "import"}, 2, `unknown subcommand "import"`},
		{"export without key", ksTestPassword, nil, []string{"keystore", "export", "--cert", f.cert, "--jks", out, "--alias", "a"}, 2, "--key and --cert are required"},
		{"export without outputs", ksTestPassword, nil, []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--alias", "a"}, 2, "at least one file"},
		{"export without alias", ksTestPassword, nil, exp(), 1, "--alias is required with --jks: it becomes the certificate's unique name in Salesforce, e.g. --alias My_App"},
		{"alias 1", ksTestPassword, nil, exp("--alias", "1"), 1, `it must begin with a letter`},
		{"alias with space", ksTestPassword, nil, exp("--alias", "my cert"), 1, `try "my_cert"`},
		{"alias a__b", ksTestPassword, nil, exp("--alias", "a__b"), 1, "two underscores"},
		{"short password", "12345", nil, exp("--alias", "a"), 1, "at least 6"},
		{"non-ASCII JKS password", "pässwörd", nil, exp("--alias", "a"), 1, "printable ASCII"},
		{"no password, no terminal", "", nil, exp("--alias", "a"), 1, "SFJWT_STORE_PASSWORD"},
		{"key/cert mismatch", ksTestPassword, nil, []string{"keystore", "export", "--key", f.key, "--cert", f.otherCert, "--jks", out, "--alias", "a"}, 1, "does not match the certificate"},
		{"1024-bit key", ksTestPassword, nil, []string{"keystore", "export", "--key", f.smallKey, "--cert", f.smallCert, "--jks", out, "--alias", "a"}, 1, "2048, 3072 or 4096"},
		{"EC key", ksTestPassword, nil, []string{"keystore", "export", "--key", f.ecKey, "--cert", f.ecCert, "--jks", out, "--alias", "a"}, 1, "not an RSA key"},
		{"encrypted key, no password", ksTestPassword, nil, []string{"keystore", "export", "--key", f.encKey, "--cert", f.cert, "--jks", out, "--alias", "a"}, 1, "--key-password-file"},
		{"encrypted key, wrong password", ksTestPassword, map[string]string{"SFJWT_KEY_PASSWORD": "wrong-key-pass"}, []string{"keystore", "export", "--key", f.encKey, "--cert", f.cert, "--jks", out, "--alias", "a"}, 1, "wrong password"},
		{"output is the key file", ksTestPassword, nil, []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--p12", f.key, "--alias", "a", "--force"}, 2, "is an input file"},
		{"existing output", ksTestPassword, nil, []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", existing, "--alias", "a"}, 1, "already exists"},
		{"list wrong password", "wrong-password", nil, []string{"keystore", "list", existing}, 1, "wrong keystore password"},
		{"list not a keystore", ksTestPassword, nil, []string{"keystore", "list", notKS}, 1, "not a JKS or PKCS#12 keystore"},
		{"list PEM", ksTestPassword, nil, []string{"keystore", "list", f.cert}, 1, "this is a PEM file"},
		{"list missing file", ksTestPassword, nil, []string{"keystore", "list", filepath.Join(dir, "nope.jks")}, 1, "no such file"},
		{"rename missing alias", ksTestPassword, nil, []string{"keystore", "rename", "--jks", existing, "--from", "1", "--to", "b"}, 1, `alias not found: "1"`},
		{"rename invalid target", ksTestPassword, nil, []string{"keystore", "rename", "--jks", existing, "--from", "a", "--to", "x_"}, 1, "end with an underscore"},
		{"rename wrong password", "wrong-password", nil, []string{"keystore", "rename", "--jks", existing, "--from", "a", "--to", "b"}, 1, "the file was not changed"},
		{"convert an EC PKCS#12", ksTestPassword, nil, []string{"keystore", "convert", "--p12", ecP12, "--jks", out}, 1, "RSA keys of 2048, 3072 or 4096 bits only"},
		{"convert a JKS", ksTestPassword, nil, []string{"keystore", "convert", "--p12", existing, "--jks", out}, 1, "this is a JKS file, not PKCS#12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := ksEnv(t, tt.pw)
			for k, v := range tt.vars {
				te.Vars[k] = v
			}
			if code := te.run(t, tt.args...); code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr:\n%s", code, tt.wantCode, te.Stderr)
			}
			if !strings.Contains(te.Stderr.String(), tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", te.Stderr, tt.wantErr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the error", out)
			}
			if now, _ := os.ReadFile(existing); !bytes.Equal(now, original) {
				t.Errorf("%s changed despite the error", existing)
			}
			for _, secret := range []string{ksTestPassword, "key-pass-1", "wrong-key-pass", "wrong-password"} {
				if strings.Contains(te.Stderr.String()+te.Stdout.String(), secret) {
					t.Errorf("output shows a password")
				}
			}
		})
	}
}

// writeECPKCS12 writes a PKCS#12 file holding the EC test key, with go-pkcs12 directly
// (keystore refuses to write one).
func writeECPKCS12(t *testing.T, f *ksFiles, path string) {
	t.Helper()
	key, err := certgen.ReadPrivateKeyFile(f.ecKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := certgen.ReadCertificateFile(f.ecCert)
	if err != nil {
		t.Fatal(err)
	}
	data, err := pkcs12.Modern2023.Encode(key, cert, nil, ksTestPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// list names what a non-keystore file is before asking for a password it could not use.
func TestKeystoreListNotAKeystoreNeedsNoPassword(t *testing.T) {
	t.Parallel()
	pemFile := ksFixtures(t).key
	te := newTestEnv(t) // no password source and no terminal
	if code := te.run(t, "keystore", "list", pemFile); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if got := te.Stderr.String(); !strings.Contains(got, "this is a PEM file") || strings.Contains(got, "no password given") {
		t.Errorf("stderr = %q, want the PEM explanation and no password demand", got)
	}
}

// Flags may follow the file name of keystore list, as with query.
func TestKeystoreListFlagsAfterFile(t *testing.T) {
	t.Parallel()
	f := ksFixtures(t)
	jks := filepath.Join(t.TempDir(), "a.jks")
	if code := ksEnv(t, ksTestPassword).run(t, "keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", jks, "--alias", "my_app"); code != 0 {
		t.Fatal("export failed")
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte(ksTestPassword+"\n"), 0o600)
	te := newTestEnv(t)
	if code := te.run(t, "keystore", "list", jks, "--password-file", pw); code != 0 || !strings.Contains(te.Stdout.String(), "my_app") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, te.Stdout, te.Stderr)
	}
}
