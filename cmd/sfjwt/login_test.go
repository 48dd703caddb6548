package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// loginFixture is an emulated org with the package's test key uploaded, and the files a user
// would have: the key (plain and encrypted) and the emulator's CA certificate.
type loginFixture struct {
	srv                     *sftest.Server
	keyFile, encKey, caFile string
}

func newLoginFixture(t *testing.T, cfg sftest.Config) *loginFixture {
	t.Helper()
	key := doctorKeys()[0] // the package's shared test key (doctor_test.go)
	srv := sftest.NewServer(t, cfg)
	der, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := certgen.ParseCertificatePEM(der)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddCertificate(cert)
	dir := t.TempDir()
	f := &loginFixture{srv: srv, keyFile: filepath.Join(dir, "server.pem"), encKey: filepath.Join(dir, "server.pass.key"), caFile: filepath.Join(dir, "ca.pem")}
	plain, _ := certgen.EncodePKCS8PEM(key)
	enc, _ := certgen.EncodeEncryptedPKCS8PEM(key, []byte("key-pass-123"), &certgen.EncryptOptions{Iterations: 1000})
	for path, data := range map[string][]byte{f.keyFile: plain, f.encKey: enc, f.caFile: certgen.EncodeCertificatePEM(srv.Certificate().Raw)} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// args returns "login" and the connection flags for the fixture, then extra.
func (f *loginFixture) args(extra ...string) []string {
	return append([]string{"login", "--instance-url", f.srv.URL, "--client-id", sftest.DefaultClientID,
		"--username", sftest.DefaultUsername, "--key", f.keyFile, "--ca-file", f.caFile}, extra...)
}

func TestLoginText(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	te := newTestEnv(t)
	if code := te.run(t, f.args()...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	uid, _ := f.srv.UserID(sftest.DefaultUsername)
	out := te.Stdout.String()
	for _, want := range []string{
		"Logged in to Salesforce as " + sftest.DefaultUsername,
		"org ID:        " + f.srv.OrgID(),
		"user ID:       " + uid,
		"instance URL:  " + f.srv.URL,
		"scopes:        api refresh_token offline_access",
		"API version:   " + sftest.DefaultAPIVersion + " (newest offered)",
		"audience:      " + f.srv.URL,
		"took:          ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "access token") || strings.Contains(out, f.srv.OrgID()[:15]+"!") {
		t.Errorf("the access token is printed without --show-token:\n%s", out)
	}
	// The one authenticated REST call reached the version's resource map.
	var sawResources bool
	for _, r := range f.srv.Requests() {
		if r.Path == "/services/data/v"+sftest.DefaultAPIVersion+"/" && r.Status == 200 {
			sawResources = true
		}
	}
	if !sawResources {
		t.Errorf("no authenticated GET /services/data/v%s/ was made", sftest.DefaultAPIVersion)
	}
}

func TestLoginJSONAndShowToken(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{APIVersions: []string{"64.0", "65.0", "66.0"}})
	te := newTestEnv(t)
	if code := te.run(t, f.args("--json", "--show-token", "--api-version", "v65.0")...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	var got loginResult
	if err := json.Unmarshal(te.Stdout.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, te.Stdout)
	}
	if got.OrgID != f.srv.OrgID() || got.InstanceURL != f.srv.URL || got.APIVersion != "65.0" || got.NewestVersion != "66.0" {
		t.Errorf("result = %+v", got)
	}
	if !strings.HasPrefix(got.AccessToken, f.srv.OrgID()[:15]+"!") {
		t.Errorf("accessToken = %q, want the token with --show-token", got.AccessToken)
	}
}

func TestLoginFromEnvironment(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	te := newTestEnv(t)
	te.Vars = map[string]string{
		"SFJWT_INSTANCE_URL": f.srv.URL, "SFJWT_CLIENT_ID": sftest.DefaultClientID, "SFJWT_USERNAME": sftest.DefaultUsername,
		"SFJWT_KEY_FILE": f.encKey, "SFJWT_KEY_PASSWORD": "key-pass-123", "SFJWT_CA_FILE": f.caFile,
		"SFJWT_API_VERSION": "66", "SFJWT_AUDIENCE": "https://login.salesforce.com",
	}
	if code := te.run(t, "login", "--json"); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	var got loginResult
	if err := json.Unmarshal(te.Stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Audience != "https://login.salesforce.com" || got.APIVersion != "66.0" || got.AccessToken != "" {
		t.Errorf("result = %+v, want audience from SFJWT_AUDIENCE, version 66.0, no token", got)
	}
}

func TestLoginPromptsForKeyPassword(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	te := newTestEnv(t).withTerminal("key-pass-123")
	args := f.args()
	args[8] = f.encKey // --key
	if code := te.run(t, args...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	if !strings.Contains(te.Stderr.String(), "Enter key password") {
		t.Errorf("no prompt on stderr: %q", te.Stderr)
	}
}

func TestLoginKeyPasswordFile(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	pwFile := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(pwFile, []byte("key-pass-123\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	te.Vars["SFJWT_KEY_PASSWORD"] = "wrong-one" // the file wins over the environment
	if code := te.run(t, append(f.args(), "--key", f.encKey, "--key-password-file", pwFile)...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	te = newTestEnv(t)
	te.Vars["SFJWT_KEY_PASSWORD"] = "wrong-one"
	if code := te.run(t, append(f.args(), "--key", f.encKey)...); code != 1 || !strings.Contains(te.Stderr.String(), "wrong password") {
		t.Fatalf("wrong SFJWT_KEY_PASSWORD: exit %d, stderr:\n%s", code, te.Stderr)
	}
	if strings.Contains(te.Stderr.String(), "wrong-one") {
		t.Errorf("the password is printed:\n%s", te.Stderr)
	}
}

func TestLoginFailures(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     []string
	}{
		{"missing everything", []string{"login"}, nil, 2,
			[]string{"missing --instance-url or SFJWT_INSTANCE_URL", "--client-id or SFJWT_CLIENT_ID", "--username or SFJWT_USERNAME", "--key or SFJWT_KEY_FILE"}},
		{"bad API version", f.args("--api-version", "sixty"), nil, 2, []string{`API version "sixty"`}},
		{"extra argument", f.args("now"), nil, 2, []string{`unexpected argument "now"`}},
		{"wrong client ID", append(f.args(), "--client-id", "3MVG9Wrong"), nil, 1,
			[]string{"login refused: HTTP 400 invalid_client_id: client identifier invalid", "token URL: " + f.srv.URL, "hint:", "How to Find Client ID"}},
		{"sandbox audience on production", f.args("--audience", "https://test.salesforce.com"), nil, 1,
			[]string{"audience is invalid", "audience:  https://test.salesforce.com"}},
		{"API version not offered", f.args("--api-version", "99.0"), nil, 1, []string{"API version 99.0 is not offered"}},
		{"encrypted key without password", append(f.args(), "--key", f.encKey), nil, 1, []string{"needs a password", "--key-password-file FILE or SFJWT_KEY_PASSWORD"}},
		{"untrusted server", []string{"login", "--instance-url", f.srv.URL, "--client-id", "x", "--username", "u", "--key", f.keyFile}, nil, 1,
			[]string{"certificate", "--ca-file"}},
		{"http to a remote host", append(f.args(), "--login-url", "http://login.salesforce.com"), nil, 1, []string{"must use https"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			for k, v := range tt.env {
				te.Vars[k] = v
			}
			code := te.run(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, te.Stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(te.Stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, te.Stderr)
				}
			}
		})
	}
}

func TestLoginJSONRefusal(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	te := newTestEnv(t)
	if code := te.run(t, append(f.args("--json"), "--client-id", "3MVG9Wrong")...); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var got map[string]any
	if err := json.Unmarshal(te.Stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, te.Stdout)
	}
	if got["code"] != "invalid_client_id" || got["status"] != float64(400) || !strings.Contains(got["hint"].(string), "How to Find Client ID") {
		t.Errorf("JSON refusal = %v", got)
	}
}

func TestLoginVerboseLogsNoSecrets(t *testing.T) {
	f := newLoginFixture(t, sftest.Config{})
	te := newTestEnv(t)
	if code := te.run(t, f.args("--verbose", "--json", "--show-token")...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	var got loginResult
	if err := json.Unmarshal(te.Stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	logs := te.Stderr.String()
	if !strings.Contains(logs, "jwtauth: token response") {
		t.Errorf("--verbose logged no token request:\n%s", logs)
	}
	if got.AccessToken == "" || strings.Contains(logs, got.AccessToken) || strings.Contains(logs, "eyJ") {
		t.Errorf("the debug log holds the token or an assertion:\n%s", logs)
	}
}
