package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
)

// The fixture and runner of the bad-input catalogue (catalogue_test.go).

// catPassword is the keystore password of the catalogue's keystores (a test value).
const catPassword = "changeit-123"

// catKeyPassword is the password of the encrypted test key written by ksFixtures.
const catKeyPassword = "key-pass-1"

// noServer is an instance URL nothing listens on: a row that wrongly reached the network fails
// fast there, and never leaves the machine.
const noServer = "https://127.0.0.1:1"

// catFiles are the catalogue's input files, good and bad, in one folder that every row
// snapshots before and after it runs.
type catFiles struct {
	root, out                                                                   string // root holds everything; out is an empty folder for outputs
	key, cert, otherCert, encKey, ecKey, ecCert, smallKey, smallCert            string
	empty, garbage, utf16Key, csr, truncKey, legacyKey, publicKey, binaryFile   string
	pwOK, pwEmpty, pwBlankLine, pwUTF16, pwShort, pwNonASCII, pwWrong, pwKeyOK  string
	jks, p12, notKeystore, truncJKS, truncP12, existingJKS, aDir, aFile, bundle string
	pwLong, pwDir                                                               string
}

func newCatFiles(t *testing.T) *catFiles {
	t.Helper()
	ks := ksFixtures(t) // the package's test keys, generated once
	root := t.TempDir()
	f := &catFiles{root: root, out: filepath.Join(root, "out")}
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(p string) []byte {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	keyPEM := read(ks.key)
	f.key, f.cert, f.otherCert = write("server.pem", keyPEM), write("server.crt", read(ks.cert)), write("other.crt", read(ks.otherCert))
	f.encKey, f.ecKey, f.ecCert = write("server.pass.key", read(ks.encKey)), write("ec.pem", read(ks.ecKey)), write("ec.crt", read(ks.ecCert))
	f.smallKey, f.smallCert = write("small.pem", read(ks.smallKey)), write("small.crt", read(ks.smallCert))

	key, err := certgen.ParsePrivateKeyPEM(keyPEM, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := certgen.ParseCertificatePEM(read(ks.cert))
	if err != nil {
		t.Fatal(err)
	}
	csr, err := certgen.CSR(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(key.Public())
	f.empty, f.garbage = write("empty.pem", nil), write("garbage.txt", []byte("this is not a key\n"))
	f.utf16Key = write("utf16.pem", catUTF16LE(keyPEM))
	f.csr = write("server.csr", certgen.EncodeCSRPEM(csr))
	f.truncKey = write("truncated.pem", catTruncatePEM(keyPEM))
	f.legacyKey = write("legacy.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n"+
		base64.StdEncoding.EncodeToString(make([]byte, 96))+"\n-----END RSA PRIVATE KEY-----\n"))
	f.publicKey = write("public.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	f.binaryFile = write("random.der", []byte{0x30, 0x82, 0xff, 0xff, 0x02, 0x01})

	f.pwOK, f.pwKeyOK = write("pw/store.txt", []byte(catPassword+"\n")), write("pw/key.txt", []byte(catKeyPassword+"\n"))
	f.pwEmpty, f.pwBlankLine = write("pw/empty.txt", nil), write("pw/blank.txt", []byte("\n"+catPassword+"\n"))
	f.pwUTF16, f.pwShort = write("pw/utf16.txt", []byte{0xff, 0xfe, 0xe9, 0xd8, 0x00, 0x00}), write("pw/short.txt", []byte("abc\n"))
	f.pwNonASCII, f.pwWrong = write("pw/nonascii.txt", []byte("pässwörd-123\n")), write("pw/wrong.txt", []byte("wrong-pass-9\n"))
	f.pwLong = write("pw/long.txt", bytes.Repeat([]byte("a"), 2<<20)) // 2 MiB, no line end
	f.pwDir = filepath.Join(root, "pw", "adir")
	if err := os.Mkdir(f.pwDir, 0o700); err != nil {
		t.Fatal(err)
	}

	entry := &keystore.KeyEntry{Alias: "my_app", Key: key, Certificate: cert}
	jks, err := keystore.EncodeJKS(entry, []byte(catPassword))
	if err != nil {
		t.Fatal(err)
	}
	p12, err := keystore.EncodePKCS12(entry, []byte(catPassword), keystore.PKCS12Modern)
	if err != nil {
		t.Fatal(err)
	}
	f.jks, f.p12, f.existingJKS = write("servercert.jks", jks), write("keystore.p12", p12), write("out-existing.jks", jks)
	f.notKeystore, f.truncJKS, f.truncP12 = write("notes.jks", []byte("not a keystore")), write("truncated.jks", jks[:len(jks)/2]), write("truncated.p12", p12[:len(p12)/2])
	f.aDir, f.aFile = filepath.Join(root, "adir"), write("afile", []byte("x"))
	f.bundle = filepath.Join(root, "bundle")
	write("bundle/server.key", []byte("an older key"))
	for _, d := range []string{f.aDir, f.out} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// catUTF16LE re-encodes ASCII text as UTF-16LE with a byte order mark, as PowerShell's ">" does.
func catUTF16LE(b []byte) []byte {
	out := []byte{0xff, 0xfe}
	for _, c := range b {
		out = append(out, c, 0)
	}
	return out
}

// catTruncatePEM keeps the armour but drops the second half of the base64 lines.
func catTruncatePEM(p []byte) []byte {
	lines := strings.Split(strings.TrimSpace(string(p)), "\n")
	body := lines[1 : len(lines)-1]
	return []byte(strings.Join(append(append([]string{lines[0]}, body[:len(body)/2]...), lines[len(lines)-1]), "\n") + "\n")
}

// catTreeSnapshot maps every path below root to its mode and a hash of its content.
func catTreeSnapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			v += " " + hex.EncodeToString(sum[:])
		}
		snap[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// catRow is one bad input: the command line and environment, the exit status, and the text
// the user sees on standard error (its important part, exactly).
type catRow struct {
	name string
	args []string
	env  map[string]string
	code int
	want string
}

// runCatalogue runs each row in f's folder and checks the exit status, the message, that no
// panic or stack trace is shown, that nothing was printed on standard output and that no file
// below f.root was created, changed or removed.
// Rows named in knownBugs are skipped with the reason: they state the behaviour wanted once
// the bug is fixed.
func runCatalogue(t *testing.T, f *catFiles, rows []catRow, knownBugs map[string]string) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if reason, ok := knownBugs[r.name]; ok {
				t.Skip("known bug: " + reason)
			}
			before := catTreeSnapshot(t, f.root)
			te := newTestEnv(t)
			for k, v := range r.env {
				te.Vars[k] = v
			}
			code := te.run(t, r.args...)
			stderr := te.Stderr.String()
			t.Logf("exit %d: %s", code, stderr)
			if code != r.code {
				t.Errorf("exit = %d, want %d", code, r.code)
			}
			if !strings.Contains(stderr, r.want) {
				t.Errorf("stderr =\n%s\nwant it to contain\n%s", stderr, r.want)
			}
			if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "internal error") {
				t.Errorf("a panic or stack trace reached the user:\n%s", stderr)
			}
			if te.Stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing on an error", te.Stdout)
			}
			after := catTreeSnapshot(t, f.root)
			for p, v := range after {
				if before[p] != v {
					t.Errorf("%s was written or changed (%q -> %q)", p, before[p], v)
				}
			}
			for p := range before {
				if _, ok := after[p]; !ok {
					t.Errorf("%s was removed", p)
				}
			}
		})
	}
}

// catConnEnv is a complete set of connection variables pointing nowhere, with over applied.
func catConnEnv(f *catFiles, over map[string]string) map[string]string {
	env := map[string]string{
		"SFJWT_INSTANCE_URL": noServer, "SFJWT_CLIENT_ID": "3MVG9catalogue", "SFJWT_USERNAME": "user@example.com",
		"SFJWT_KEY_FILE": f.key,
	}
	for k, v := range over {
		if v == "" {
			delete(env, k)
			continue
		}
		env[k] = v
	}
	return env
}

// catStoreEnv sets the keystore password.
var catStoreEnv = map[string]string{"SFJWT_STORE_PASSWORD": catPassword}
