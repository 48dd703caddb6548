package sftest_test

// The official Salesforce CLI against a real `sfjwt serve` process: see sfcli_test.go for how
// the CLI is found and installed.

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveInfo is the part of `sfjwt serve --json`'s output the test uses.
type serveInfo struct {
	InstanceURL string `json:"instance_url"`
	ClientID    string `json:"client_id"`
	Username    string `json:"username"`
	OrgID       string `json:"org_id"`
}

// TestSFCLIWithServe builds cmd/sfjwt and runs `sfjwt serve` as a user would, then logs in with
// the real CLI through https://localhost:PORT (serve's --tls-cert-out certificate must name
// localhost) and queries the seeded records; SIGINT must stop serve with exit 0.
func TestSFCLIWithServe(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds cmd/sfjwt and starts Node.js")
	}
	bin := findSFCLI(t)
	dir := t.TempDir()
	sfjwt := filepath.Join(dir, "sfjwt")
	if out, err := exec.Command("go", "build", "-o", sfjwt, "github.com/cytechint/sfjwt/cmd/sfjwt").CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/sfjwt: %v\n%s", err, out)
	}
	certFile, tlsFile := filepath.Join(dir, "server.crt"), filepath.Join(dir, "tls.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: testCert().Raw}), 0o644); err != nil {
		t.Fatalf("write certificate: %v", err)
	}
	info := startServe(t, sfjwt, "--addr", "127.0.0.1:0", "--cert", certFile, "--tls-cert-out", tlsFile, "--records", "3", "--json")
	tlsPEM, err := os.ReadFile(tlsFile)
	block, _ := pem.Decode(tlsPEM)
	if err != nil || block == nil {
		t.Fatalf("--tls-cert-out %s: %v, PEM block %v", tlsFile, err, block != nil)
	}
	sf := newSFCLI(t, bin, block.Bytes)
	url := strings.Replace(info.InstanceURL, "https://127.0.0.1:", "https://localhost:", 1)
	var login sfLoginResult
	sf.runJSON(t, &login, "org", "login", "jwt", "--username", info.Username, "--jwt-key-file", writeInteropKey(t),
		"--client-id", info.ClientID, "--instance-url", url, "--alias", "serve")
	if login.OrgID != info.OrgID || login.InstanceURL != url {
		t.Errorf("login: orgId %s, instanceUrl %s; want %s, %s", login.OrgID, login.InstanceURL, info.OrgID, url)
	}
	var got struct {
		Records []struct{ Name string } `json:"records"`
	}
	// serve adds --records Accounts to its samples: at least 3 rows, no two named alike.
	sf.runJSON(t, &got, "data", "query", "--query", "SELECT Name FROM Account ORDER BY Name", "-o", "serve")
	seen := map[string]bool{}
	for _, r := range got.Records {
		if seen[r.Name] || !strings.HasPrefix(r.Name, "Account ") {
			t.Errorf("query records %+v: duplicate or unexpected name %q", got.Records, r.Name)
		}
		seen[r.Name] = true
	}
	if len(got.Records) < 3 {
		t.Errorf("query returned %d Accounts, want at least the 3 of --records", len(got.Records))
	}
}

// startServe starts `sfjwt serve args…`, returns what it prints with --json, and on cleanup
// stops it with SIGINT and checks it exits 0.
func startServe(t *testing.T, sfjwt string, args ...string) serveInfo {
	t.Helper()
	cmd := exec.Command(sfjwt, append([]string{"serve"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sfjwt serve: %v", err)
	}
	done := make(chan error, 1)
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("sfjwt serve after SIGINT: %v (want exit 0)\nstderr: %s", err, stderr.Bytes())
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("sfjwt serve did not stop within 10 s of SIGINT")
		}
	})
	infoc := make(chan serveInfo, 1)
	go func() {
		var info serveInfo
		_ = json.NewDecoder(stdout).Decode(&info)
		infoc <- info
		_, _ = io.Copy(io.Discard, stdout)
		done <- cmd.Wait()
	}()
	select {
	case info := <-infoc:
		if info.InstanceURL == "" {
			t.Fatalf("sfjwt serve printed no instance_url; stderr: %s", stderr.Bytes())
		}
		return info
	case <-time.After(30 * time.Second):
		t.Fatalf("sfjwt serve printed nothing within 30 s; stderr: %s", stderr.Bytes())
	}
	return serveInfo{}
}
