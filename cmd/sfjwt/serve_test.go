package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// startServeCmd runs "sfjwt serve args…" in the background and returns the printed info, the
// exit-status channel and a stop function.
func startServeCmd(t *testing.T, te *testEnv, args ...string) (serveInfo, <-chan int, context.CancelFunc) {
	t.Helper()
	pr, pw := io.Pipe()
	te.env.stdout = pw
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, te.env, append([]string{"serve", "--addr", "127.0.0.1:0", "--json"}, args...))
		_ = pw.Close()
	}()
	var info serveInfo
	if err := json.NewDecoder(pr).Decode(&info); err != nil {
		cancel()
		t.Fatalf("serve printed no JSON (%v); exit %d; stderr %s", err, <-done, te.Stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(cancel)
	return info, done, cancel
}

func TestServeLoginAndQuery(t *testing.T) {
	dir := t.TempDir()
	key := doctorKeys()[0]
	pemCert, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	certFile, tlsFile := filepath.Join(dir, "server.crt"), filepath.Join(dir, "tls.pem")
	if err := os.WriteFile(certFile, pemCert, 0o644); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	te.Vars["SFJWT_CLIENT_SECRET"] = "my-test-secret"
	info, done, stop := startServeCmd(t, te, "--cert", certFile, "--tls-cert-out", tlsFile,
		"--client-id", "myKey", "--username", "ci@acme.example", "--records", "5", "--event-log-files", "2", "--sandbox")
	if !strings.HasPrefix(info.InstanceURL, "https://127.0.0.1:") || info.ClientID != "myKey" || info.Username != "ci@acme.example" ||
		info.Audience != "https://test.salesforce.com" || !strings.HasPrefix(info.OrgID, "00D") {
		t.Errorf("info = %+v", info)
	}
	pool := x509.NewCertPool()
	tlsPEM, err := os.ReadFile(tlsFile)
	if err != nil || !pool.AppendCertsFromPEM(tlsPEM) {
		t.Fatalf("--tls-cert-out: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}

	assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": "myKey", "sub": "ci@acme.example", "aud": info.InstanceURL + "/", "exp": time.Now().Add(time.Minute).UnixMilli(),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.PostForm(info.TokenURL, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if res.StatusCode != 200 || tok.AccessToken == "" {
		t.Fatalf("JWT login: %d", res.StatusCode)
	}
	checkQuery := func(soql string, want int) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, info.InstanceURL+"/services/data/v66.0/query?q="+url.QueryEscape(soql), nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var page struct{ TotalSize int }
		if err := json.NewDecoder(res.Body).Decode(&page); err != nil || page.TotalSize < want {
			t.Errorf("%s: totalSize %d (%v), want at least %d", soql, page.TotalSize, err, want)
		}
	}
	checkQuery("SELECT Id FROM Account", 5)
	checkQuery("SELECT Id FROM EventLogFile", 2)

	res, err = client.PostForm(info.TokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"myKey"}, "client_secret": {"my-test-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("client credentials with SFJWT_CLIENT_SECRET: %d, want 200", res.StatusCode)
	}
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d after interrupt, want 0; stderr %s", code, te.Stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func TestServeBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"non-loopback address", []string{"serve", "--addr", "0.0.0.0:0"}, 2, "not a loopback address"},
		{"all interfaces", []string{"serve", "--addr", ":8443"}, 2, "not a loopback address"},
		{"bad address", []string{"serve", "--addr", "nonsense"}, 2, "--addr"},
		{"argument", []string{"serve", "extra"}, 2, "serve takes no arguments"},
		{"negative records", []string{"serve", "--records", "-1"}, 2, "must not be negative"},
		{"zero session timeout", []string{"serve", "--session-timeout", "0s"}, 2, "--session-timeout"},
		{"missing certificate", []string{"serve", "--addr", "127.0.0.1:0", "--cert", filepath.Join(dir, "nope.crt")}, 1, "--cert"},
		{"missing secret file", []string{"serve", "--addr", "127.0.0.1:0", "--client-secret-file", filepath.Join(dir, "nope")}, 1, "--client-secret-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			if code := te.run(t, tt.args...); code != tt.wantCode || !strings.Contains(te.Stderr.String(), tt.wantStderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, te.Stderr.String(), tt.wantCode, tt.wantStderr)
			}
		})
	}
}

func TestReachableURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://0.0.0.0:8443":   "https://127.0.0.1:8443",
		"https://[::]:8443":      "https://127.0.0.1:8443",
		"https://127.0.0.1:8443": "https://127.0.0.1:8443",
		"https://[::1]:8443":     "https://[::1]:8443",
	} {
		if got := reachableURL(in); got != want {
			t.Errorf("reachableURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestServeTextOutput(t *testing.T) {
	te := newTestEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, te.env, []string{"serve", "--addr", "127.0.0.1:0", "--client-id", sftest.DefaultClientID})
	}()
	// Cancelled at once: serve still starts, prints and then stops. The output is read after
	// the command returns, so nothing reads it concurrently.
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d; stderr %s", code, te.Stderr.String())
	}
	for _, want := range []string{"Instance URL: https://127.0.0.1:", "Client ID:    " + sftest.DefaultClientID, "Username:     " + sftest.DefaultUsername} {
		if !strings.Contains(te.Stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, te.Stdout.String())
		}
	}
	if !strings.Contains(te.Stderr.String(), "no --cert given") {
		t.Errorf("stderr lacks the missing-certificate warning: %s", te.Stderr.String())
	}
}

// --tls-cert-out must not wipe a user's file (say the server.crt uploaded to Salesforce, when
// --cert and --tls-cert-out are mixed up); an earlier emulator certificate is replaced.
func TestServeTLSCertOutKeepsUserFiles(t *testing.T) {
	dir := t.TempDir()
	userCert := filepath.Join(dir, "server.crt")
	der, err := certgen.SelfSigned(doctorKeys()[0], certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(userCert, certgen.EncodeCertificatePEM(der), 0o644)
	te := newTestEnv(t)
	if code := te.run(t, "serve", "--addr", "127.0.0.1:0", "--tls-cert-out", userCert); code != 2 ||
		!strings.Contains(te.Stderr.String(), "already exists and is not an earlier emulator certificate") {
		t.Fatalf("exit %d, stderr %q", code, te.Stderr)
	}
	if got, _ := os.ReadFile(userCert); string(got) != string(certgen.EncodeCertificatePEM(der)) {
		t.Errorf("the user's certificate was changed")
	}
	// A certificate from an earlier emulator run is fine to replace.
	prev, err := sftest.NewTLSCertificate()
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "tls.pem")
	os.WriteFile(old, certgen.EncodeCertificatePEM(prev.Certificate[0]), 0o644)
	if err := checkTLSOut(old); err != nil {
		t.Errorf("earlier emulator certificate refused: %v", err)
	}
	if err := checkTLSOut(filepath.Join(dir, "new.pem")); err != nil {
		t.Errorf("new path refused: %v", err)
	}
}
