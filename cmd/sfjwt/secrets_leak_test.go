package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// The secrets of the leak test: distinctive test values, so that any appearance is a leak.
const (
	leakKeyPassword   = "Key-Pw-7731-do-not-print"
	leakStorePassword = "Store-Pw-4412-do-not-print"
	leakCertPassword  = "Cert-Pw-9054-do-not-print"
)

// leakCase is one sfjwt run of the leak test.
type leakCase struct {
	name      string
	args      []string
	env       map[string]string
	before    func() // e.g. turn an echoing server on
	code      int    // expected exit status; -1: any (doctor's depends on its checks)
	showToken bool   // --show-token: standard output may hold the access token
}

// leakOutput is what one run printed.
type leakOutput struct {
	name, stdout, stderr string
	showToken            bool
}

// TestSecretsNeverLeak drives the success and error paths of every command (serve with a
// consumer secret included) and of jwtauth and sfclient with debug logging, with a known key,
// passwords, client secret, assertions and tokens, and checks
// that none of them appears in any output, log line or error text (except the access token on
// standard output with login --show-token), and that keys and keystores are written 0600.
func TestSecretsNeverLeak(t *testing.T) {
	f := newLeakFixture(t)
	if _, err := f.srv.AddAccounts(2500); err != nil {
		t.Fatal(err)
	}
	elf, err := f.srv.AddEventLogFile(sftest.EventLogFile{Size: 200000})
	if err != nil {
		t.Fatal(err)
	}
	bundle, ksDir := filepath.Join(f.dir, "bundle"), filepath.Join(f.dir, "keystores")
	subject := []string{"--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"}
	jks, p12 := filepath.Join(ksDir, "servercert.jks"), filepath.Join(ksDir, "keystore.p12")
	if err := os.Mkdir(ksDir, 0o700); err != nil {
		t.Fatal(err)
	}
	plainConn := []string{"--instance-url", f.srv.URL, "--client-id", sftest.DefaultClientID, "--username", sftest.DefaultUsername,
		"--key", f.encKey, "--ca-file", f.ca, "--verbose"}
	on := func(b *atomic.Bool) func() {
		return func() { f.capture.echoAssertion.Store(false); f.capture.echoTo.Store(false); b.Store(true) }
	}
	off := func() { f.capture.echoAssertion.Store(false); f.capture.echoTo.Store(false) }
	cases := []leakCase{
		{name: "cert writes the bundle", args: append([]string{"cert", "--out", bundle, "--password-file", f.certPW}, subject...), code: 0},
		{name: "cert refuses an existing bundle", args: append([]string{"cert", "--out", bundle}, subject...), env: map[string]string{"SFJWT_KEY_PASSWORD": leakCertPassword}, code: 1},
		{name: "keystore export", args: []string{"keystore", "export", "--key", f.encKey, "--key-password-file", f.keyPW, "--cert", f.cert,
			"--jks", jks, "--p12", p12, "--alias", "my_app", "--password-file", f.storePW}, code: 0},
		{name: "keystore export, wrong key password", args: []string{"keystore", "export", "--key", f.encKey, "--cert", f.cert, "--jks", jks + "2", "--alias", "a"},
			env: map[string]string{"SFJWT_KEY_PASSWORD": leakCertPassword, "SFJWT_STORE_PASSWORD": leakStorePassword}, code: 1},
		{name: "keystore export, non-ASCII password", args: []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", jks + "3", "--alias", "a"},
			env: map[string]string{"SFJWT_STORE_PASSWORD": "Pässwort-9954-do-not-print"}, code: 1},
		{name: "keystore list", args: []string{"keystore", "list", "--password-file", f.storePW, jks}, code: 0},
		{name: "keystore list, wrong password", args: []string{"keystore", "list", p12}, env: map[string]string{"SFJWT_STORE_PASSWORD": leakCertPassword}, code: 1},
		{name: "keystore convert, wrong PKCS#12 password", args: []string{"keystore", "convert", "--p12", p12, "--jks", jks + "4", "--p12-password-file", f.keyPW, "--password-file", f.storePW}, code: 1},
		{name: "keystore rename, wrong password", args: []string{"keystore", "rename", "--jks", jks, "--from", "my_app", "--to", "other", "--password-file", f.keyPW}, code: 1},
		{name: "login", args: append([]string{"login"}, f.conn()...), code: 0},
		{name: "login --show-token", args: append([]string{"login"}, f.conn("--json", "--show-token")...), code: 0, showToken: true},
		{name: "login, wrong key password", args: append([]string{"login"}, plainConn...), env: map[string]string{"SFJWT_KEY_PASSWORD": leakStorePassword}, code: 1},
		{name: "login refused, the server echoes the assertion", args: append([]string{"login"}, f.conn("--json")...), before: on(&f.capture.echoAssertion), code: 1},
		{name: "login refused, unknown client", args: append([]string{"login"}, append(f.conn("--json"), "--client-id", "3MVG9unknown")...), before: off, code: 1},
		{name: "query", args: append([]string{"query", "SELECT Id, Name FROM Account"}, f.conn()...), code: 0},
		{name: "query, the server echoes the token", args: append([]string{"query", "SELECT Id FROM Account"}, f.conn()...), before: on(&f.capture.echoTo), code: 1},
		{name: "query, malformed SOQL", args: append([]string{"query", "SELECT FROM"}, f.conn()...), before: off, code: 1},
		{name: "logs download, cut", args: append([]string{"logs", "download", "--out", filepath.Join(f.dir, "logs")}, f.conn()...),
			before: func() { f.srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/"+elf, 5000) }, code: 1},
		{name: "logs list, the server echoes the token", args: append([]string{"logs", "list"}, f.conn()...), before: on(&f.capture.echoTo), code: 1},
		{name: "doctor --json", args: append([]string{"doctor", "--json", "--cert", f.cert}, f.conn()...), before: off, code: -1},
		{name: "doctor --format yaml", args: append([]string{"doctor", "--format", "yaml", "--cert", f.cert}, f.conn()...), code: -1},
	}
	var outputs []leakOutput
	for _, c := range cases {
		if c.before != nil {
			c.before()
		}
		te := newTestEnv(t)
		for k, v := range c.env {
			te.Vars[k] = v
		}
		if code := te.run(t, c.args...); c.code >= 0 && code != c.code {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", c.name, code, c.code, te.Stderr)
		}
		outputs = append(outputs, leakOutput{c.name, te.Stdout.String(), te.Stderr.String(), c.showToken})
	}
	off()
	f.secrets.add("password", "Pässwort-9954-do-not-print")
	if keyPEM, err := os.ReadFile(filepath.Join(bundle, "server.key")); err == nil {
		f.secrets.addPEM("generated private key", keyPEM)
	} else {
		t.Errorf("sfjwt cert wrote no server.key: %v", err)
	}
	libTexts := append(leakLibraryPaths(t, f, elf), leakServe(t, f)...)
	f.secrets.add("client secret", leakClientSecret)
	f.secrets.addCaptured(f.capture)
	checkLeakOutputs(t, f, outputs)
	for i, text := range libTexts {
		f.secrets.check(t, fmt.Sprintf("library error or log %d (%.60q)", i, text), text)
	}
	checkSecretModes(t, filepath.Join(bundle, "server.key"), filepath.Join(bundle, "server.pem"), filepath.Join(bundle, "server.pass.key"), jks, p12)
}

// checkLeakOutputs checks every run's output for secrets; --show-token's standard output must
// hold the token (proving the capture works) and nothing else secret.
func checkLeakOutputs(t *testing.T, f *leakFixture, outputs []leakOutput) {
	t.Helper()
	f.capture.mu.Lock()
	tokens := append([]string(nil), f.capture.tokens...)
	assertions := len(f.capture.assertions)
	f.capture.mu.Unlock()
	if len(tokens) == 0 || assertions == 0 {
		t.Fatalf("captured %d tokens and %d assertions: the capture does not work", len(tokens), assertions)
	}
	for _, o := range outputs {
		f.secrets.check(t, o.name+": stderr", o.stderr)
		if !o.showToken {
			f.secrets.check(t, o.name+": stdout", o.stdout)
			continue
		}
		var res loginResult
		if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || !slices.Contains(tokens, res.AccessToken) {
			t.Errorf("%s: stdout holds no issued token (%v): the positive control failed", o.name, err)
		}
		f.secrets.check(t, o.name+": stdout without the token", strings.ReplaceAll(o.stdout, res.AccessToken, "<token>"))
	}
}

// checkSecretModes asserts that key and keystore files are readable by their owner only.
func checkSecretModes(t *testing.T, paths ...string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // permission bits are not enforced there; see internal/fsutil
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, st.Mode().Perm())
		}
	}
}
