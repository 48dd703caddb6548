package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// The secrets of the leak test: distinctive test values, so that any appearance is a leak.
const (
	leakKeyPassword   = "Key-Pw-7731-do-not-print"
	leakStorePassword = "Store-Pw-4412-do-not-print"
	leakCertPassword  = "Cert-Pw-9054-do-not-print"
)

// secretCapture sits in front of the emulator: it records every assertion posted and every
// access token issued, and can make the server echo them back in its error answers, as a
// misbehaving server or proxy might.
type secretCapture struct {
	mu                    sync.Mutex
	assertions, tokens    []string
	echoAssertion, echoTo atomic.Bool // echo the assertion in a token error / the bearer token in a REST error
}

func (c *secretCapture) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/services/oauth2/token" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			if a := form.Get("assertion"); a != "" {
				c.add(&c.assertions, a)
				if c.echoAssertion.Load() {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant " + a, "error_description": "invalid assertion " + a})
					return
				}
			}
			r.Header.Del("Accept-Encoding") // a plain answer, to read the token from it
			rec := &teeWriter{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if json.Unmarshal(rec.body.Bytes(), &tok) == nil && tok.AccessToken != "" {
				c.add(&c.tokens, tok.AccessToken)
			}
			return
		}
		if auth := r.Header.Get("Authorization"); c.echoTo.Load() && auth != "" && strings.HasPrefix(r.URL.Path, "/services/data/v") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `[{"message":"bad header %s","errorCode":"INVALID_AUTH_HEADER %s"}]`, auth, auth)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (c *secretCapture) add(list *[]string, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*list = append(*list, v)
}

// teeWriter keeps a copy of the response body.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.body.Write(p)
	return t.ResponseWriter.Write(p)
}

// secretSet is every secret a text must not hold, with a name for messages.
type secretSet struct {
	mu    sync.Mutex
	items map[string]string // secret text → what it is
}

func (s *secretSet) add(what string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= 8 {
			s.items[v] = what
		}
	}
}

// addPEM adds each base64 line of a PEM file's body.
func (s *secretSet) addPEM(what string, pemText []byte) {
	for _, line := range strings.Split(string(pemText), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "-----") && !strings.Contains(line, ":") {
			s.add(what+" PEM line", line)
		}
	}
}

// addCaptured adds the assertions (whole, and their signature) and tokens seen so far.
func (s *secretSet) addCaptured(c *secretCapture) {
	c.mu.Lock()
	as, ts := append([]string(nil), c.assertions...), append([]string(nil), c.tokens...)
	c.mu.Unlock()
	for _, a := range as {
		s.add("assertion", a)
		if parts := strings.Split(a, "."); len(parts) == 3 {
			s.add("assertion claims", parts[1])
			s.add("assertion signature", parts[2])
		}
	}
	for _, tok := range ts {
		s.add("access token", tok)
		if _, after, ok := strings.Cut(tok, "!"); ok {
			s.add("access token secret part", after)
		}
	}
}

// check reports each secret found in text.
func (s *secretSet) check(t *testing.T, where, text string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for v, what := range s.items {
		if strings.Contains(text, v) {
			t.Errorf("%s holds the %s", where, what)
		}
	}
	if strings.Contains(text, "eyJhbGci") {
		t.Errorf("%s holds something shaped like a signed JWT", where)
	}
}

// leakFixture is an emulated org behind a secretCapture, and the user's files.
type leakFixture struct {
	srv                        *sftest.Server
	capture                    *secretCapture
	secrets                    *secretSet
	dir, key, encKey, cert, ca string
	keyPW, storePW, certPW     string // password files
}

func newLeakFixture(t *testing.T) *leakFixture {
	t.Helper()
	ks := ksFixtures(t) // the package's test key and its certificate
	f := &leakFixture{capture: &secretCapture{}, secrets: &secretSet{items: map[string]string{}}, dir: t.TempDir()}
	srv, err := sftest.New(sftest.Config{NoSampleData: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.HTTPServer().Config.Handler = f.capture.wrap(srv.HTTPServer().Config.Handler)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	f.srv = srv
	keyPEM, _ := os.ReadFile(ks.key)
	certPEM, _ := os.ReadFile(ks.cert)
	cert, err := certgen.ParseCertificatePEM(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddCertificate(cert)
	key, err := certgen.ParsePrivateKeyPEM(keyPEM, nil)
	if err != nil {
		t.Fatal(err)
	}
	encPEM, err := certgen.EncodeEncryptedPKCS8PEM(key, []byte(leakKeyPassword), &certgen.EncryptOptions{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(f.dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.key, f.encKey, f.cert = write("server.pem", keyPEM), write("server.pass.key", encPEM), write("server.crt", certPEM)
	f.ca = write("ca.pem", certgen.EncodeCertificatePEM(srv.Certificate().Raw))
	f.keyPW, f.storePW, f.certPW = write("key.pw", []byte(leakKeyPassword+"\n")), write("store.pw", []byte(leakStorePassword+"\n")), write("cert.pw", []byte(leakCertPassword+"\n"))
	f.secrets.addPEM("private key", keyPEM)
	f.secrets.addPEM("encrypted private key", encPEM)
	f.secrets.add("password", leakKeyPassword, leakStorePassword, leakCertPassword)
	return f
}

// conn returns the connection flags toward the org with the encrypted key.
func (f *leakFixture) conn(extra ...string) []string {
	return append([]string{"--instance-url", f.srv.URL, "--client-id", sftest.DefaultClientID, "--username", sftest.DefaultUsername,
		"--key", f.encKey, "--key-password-file", f.keyPW, "--ca-file", f.ca, "--verbose"}, extra...)
}

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

// TestSecretsNeverLeak drives the success and error paths of every command and of jwtauth and
// sfclient with debug logging, with a known key, passwords, assertions and tokens, and checks
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
	libTexts := leakLibraryPaths(t, f, elf)
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

// leakLibraryPaths drives jwtauth and sfclient directly, with debug logging, through a login,
// a refresh after a revocation, refusals whose answers echo the secrets, a malformed query,
// a cut download and a wrong key password. It returns every error text, the String forms of
// the configs and sources, and the log.
func leakLibraryPaths(t *testing.T, f *leakFixture, elf string) []string {
	t.Helper()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	encPEM, _ := os.ReadFile(f.encKey)
	cfg := jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, KeyPEM: encPEM,
		KeyPassword: []byte(leakKeyPassword), LoginURL: f.srv.URL, HTTPClient: f.srv.Client(), Logger: logger}
	ts, err := jwtauth.New(cfg)
	if err != nil {
		t.Fatalf("jwtauth.New: %v", err)
	}
	c, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: f.srv.Client(), Logger: logger,
		Retry: sfclient.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxElapsed: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	texts := []string{fmt.Sprintf("%v %+v %#v %s %#v", cfg, cfg, cfg, ts, ts)}
	errText := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}
	n := 0
	for _, err := range c.Query(ctx, "SELECT Id FROM Account", nil) {
		errText(err)
		if n++; n == 2000 {
			f.srv.RevokeAllTokens() // page 2: 401, refresh, resend
		}
	}
	f.capture.echoTo.Store(true)
	_, err = c.Limits(ctx)
	errText(err)
	f.capture.echoTo.Store(false)
	for _, err := range c.Query(ctx, "SELECT FROM WHERE", nil) {
		errText(err)
	}
	f.srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/"+elf, 5000)
	_, err = c.DownloadEventLogFile(ctx, sfclient.EventLogFile{ID: elf}, io.Discard, nil)
	errText(err)
	f.capture.echoAssertion.Store(true)
	fresh, err := jwtauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fresh.TokenContext(ctx)
	errText(err)
	f.capture.echoAssertion.Store(false)
	bad := cfg
	bad.KeyPassword = []byte(leakStorePassword)
	_, err = jwtauth.New(bad)
	errText(err)
	if len(texts) < 6 {
		t.Errorf("only %d library error paths were reached: %q", len(texts)-1, texts)
	}
	if !strings.Contains(logs.String(), "level=DEBUG") {
		t.Errorf("the debug log is empty: the loggers were not exercised")
	}
	return append(texts, logs.String())
}

// lockedBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
