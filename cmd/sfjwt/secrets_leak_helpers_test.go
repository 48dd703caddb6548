package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/syncbuf"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// Helpers of TestSecretsNeverLeak (secrets_leak_test.go): the capturing emulator, the set of
// secrets, the fixture and the library paths.

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
			rec := &leakTeeWriter{ResponseWriter: w}
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

// leakTeeWriter keeps a copy of the response body.
type leakTeeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *leakTeeWriter) Write(p []byte) (int, error) {
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

// leakLibraryPaths drives jwtauth and sfclient directly, with debug logging, through a login,
// a refresh after a revocation, refusals whose answers echo the secrets, a malformed query,
// a cut download and a wrong key password. It returns every error text, the String forms of
// the configs and sources, and the log.
func leakLibraryPaths(t *testing.T, f *leakFixture, elf string) []string {
	t.Helper()
	logs := &syncbuf.Buffer{}
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

// leakClientSecret is the consumer secret given to sfjwt serve (a test value).
const leakClientSecret = "Client-Secret-6620-do-not-print"

// leakServe runs sfjwt serve --verbose with a consumer secret from a file, logs in with the
// client credentials flow (right and wrong secret) and returns what serve printed, the errors
// and the client's debug log.
func leakServe(t *testing.T, f *leakFixture) []string {
	t.Helper()
	secretFile, certOut := filepath.Join(f.dir, "client.secret"), filepath.Join(f.dir, "serve-tls.pem")
	if err := os.WriteFile(secretFile, []byte(leakClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	info, done, stop := startServeCmd(t, te, "--client-secret-file", secretFile, "--verbose", "--tls-cert-out", certOut)
	pemBytes, err := os.ReadFile(certOut)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	logs := &syncbuf.Buffer{}
	texts := []string{fmt.Sprintf("%+v", info)}
	for _, secret := range []string{leakClientSecret, leakClientSecret + "-wrong"} {
		cfg := jwtauth.ClientCredentialsConfig{ClientID: info.ClientID, ClientSecret: secret, InstanceURL: info.InstanceURL,
			HTTPClient: client, Retries: -1, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
		texts = append(texts, fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg))
		ts, err := jwtauth.NewClientCredentials(cfg)
		if err != nil {
			t.Fatalf("NewClientCredentials: %v", err)
		}
		tok, err := ts.TokenContext(t.Context())
		switch {
		case secret == leakClientSecret && err != nil:
			t.Errorf("client credentials with the right secret: %v", err)
		case secret != leakClientSecret && err == nil:
			t.Errorf("client credentials with a wrong secret: no error")
		case err != nil:
			texts = append(texts, err.Error())
		default:
			f.secrets.add("access token", tok.AccessToken)
		}
	}
	stop()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d, stderr:\n%s", code, te.Stderr)
	}
	if !strings.Contains(te.Stderr.String(), "/services/oauth2/token") {
		t.Errorf("serve --verbose logged no token request:\n%s", te.Stderr)
	}
	return append(texts, te.Stderr.String(), logs.String())
}
