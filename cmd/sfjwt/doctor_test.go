package main

import (
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// doctorKeys are two test RSA keys generated once for the doctor tests.
var doctorKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := certgen.GenerateKey(2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

// doctorFixture is an emulated org plus the files a user would have.
type doctorFixture struct {
	srv              *sftest.Server
	dir              string
	keyFile, encKey  string
	certFile, caFile string
}

// newDoctorFixture starts an org with cfg whose app holds the certificate of key 0.
func newDoctorFixture(t *testing.T, cfg sftest.Config, certDays int, certNow time.Time) *doctorFixture {
	t.Helper()
	key := doctorKeys()[0]
	srv := sftest.NewServer(t, cfg)
	certDER, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{Days: certDays, Now: certNow})
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := certgen.ParseCertificatePEM(certDER)
	srv.AddCertificate(cert)
	dir := t.TempDir()
	f := &doctorFixture{srv: srv, dir: dir,
		keyFile: filepath.Join(dir, "server.pem"), encKey: filepath.Join(dir, "server.pass.key"),
		certFile: filepath.Join(dir, "server.crt"), caFile: filepath.Join(dir, "ca.pem")}
	plain, _ := certgen.EncodePKCS8PEM(key)
	enc, _ := certgen.EncodeEncryptedPKCS8PEM(key, []byte("key-pass-123"), &certgen.EncryptOptions{Iterations: 1000})
	for path, data := range map[string][]byte{
		f.keyFile: plain, f.encKey: enc, f.certFile: certgen.EncodeCertificatePEM(certDER),
		f.caFile: certgen.EncodeCertificatePEM(srv.Certificate().Raw),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// args returns doctor's arguments for the fixture, with overrides applied.
func (f *doctorFixture) args(over map[string]string) []string {
	vals := map[string]string{
		"--instance-url": f.srv.URL, "--client-id": sftest.DefaultClientID, "--username": sftest.DefaultUsername,
		"--key": f.keyFile, "--ca-file": f.caFile, "--cert": f.certFile,
	}
	for k, v := range over {
		vals[k] = v
	}
	args := []string{"doctor", "--json"}
	for k, v := range vals {
		if v != "" {
			args = append(args, k, v)
		}
	}
	return args
}

func runDoctorJSON(t *testing.T, te *testEnv, args []string) (int, report) {
	t.Helper()
	code := te.run(t, args...)
	var r report
	if err := json.Unmarshal(te.Stdout.Bytes(), &r); err != nil {
		t.Fatalf("doctor --json output is not JSON (exit %d): %v\n%s\n%s", code, err, te.Stdout, te.Stderr)
	}
	return code, r
}

func findCheck(r report, name string) (checkResult, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return checkResult{}, false
}

func TestDoctorAllPass(t *testing.T) {
	t.Parallel()
	f := newDoctorFixture(t, sftest.Config{}, 365, time.Time{})
	te := newTestEnv(t)
	code, r := runDoctorJSON(t, te, f.args(nil))
	if code != 0 {
		t.Fatalf("exit %d, report: %+v", code, r.Checks)
	}
	for _, c := range r.Checks {
		if c.Status != statusPass && c.Status != statusSkip {
			t.Errorf("check %q = %s: %s", c.Name, c.Status, c.Detail)
		}
	}
	for _, name := range []string{"key parses", "key matches certificate", "certificate expiry", "org reachable", "clock", "JWT login", "REST API", "limits", "event log files"} {
		if _, ok := findCheck(r, name); !ok {
			t.Errorf("no %q check in the report", name)
		}
	}
	if r.Fields.KeyPath != f.keyFile || r.Fields.ClientID != sftest.DefaultClientID || r.Fields.APIVersion == "" {
		t.Errorf("required fields = %+v", r.Fields)
	}
	// The audience the login used (derived: loopback logins use the server's own URL) is the
	// one reported, so the Elastic Agent configuration works as printed.
	if r.Fields.Audience != f.srv.URL {
		t.Errorf("required fields audience = %q, want the audience used, %q", r.Fields.Audience, f.srv.URL)
	}
}

func TestDoctorFindsProblems(t *testing.T) {
	t.Parallel()
	past := time.Now().AddDate(0, 0, -400)
	other, _ := certgen.EncodePKCS8PEM(doctorKeys()[1])
	tests := []struct {
		name      string
		cfg       sftest.Config
		certDays  int
		certNow   time.Time
		over      map[string]string
		setup     func(t *testing.T, f *doctorFixture, te *testEnv)
		check     string
		status    string
		wantText  string // in the detail or the fix
		wantExit1 bool
	}{
		{name: "key does not match the uploaded certificate", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {
			os.WriteFile(f.keyFile, other, 0o600)
		}, check: "JWT login", status: statusFail, wantText: "Step 9", wantExit1: true},
		{name: "key does not match --cert", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {
			os.WriteFile(f.keyFile, other, 0o600)
		}, check: "key matches certificate", status: statusFail, wantText: "step 9", wantExit1: true},
		{name: "expired certificate", certDays: 30, certNow: past, check: "certificate expiry", status: statusFail, wantText: "expired on", wantExit1: true},
		{name: "certificate expiring soon", certDays: 10, check: "certificate expiry", status: statusWarn, wantText: "sfjwt cert"},
		{name: "wrong client ID", over: map[string]string{"--client-id": "3MVG9WrongConsumerKeyWrongConsumerKeyWrongConsumerKey0000000000000000000000000000000"},
			check: "JWT login", status: statusFail, wantText: "How to Find Client ID", wantExit1: true},
		{name: "user not pre-authorized", cfg: sftest.Config{Apps: []sftest.App{unapprovedApp()}},
			check: "JWT login", status: statusFail, wantText: "Step 12", wantExit1: true},
		{name: "wrong audience", over: map[string]string{"--audience": "https://test.salesforce.com"},
			check: "JWT login", status: statusFail, wantText: "audience", wantExit1: true},
		{name: "inactive user", cfg: sftest.Config{Users: []sftest.User{{Username: sftest.DefaultUsername, Inactive: true}}},
			check: "JWT login", status: statusFail, wantText: "inactive user", wantExit1: true},
		{name: "event log files not readable", cfg: sftest.Config{Users: []sftest.User{{Username: sftest.DefaultUsername, NoEventLogFileAccess: true}}},
			check: "event log files", status: statusWarn, wantText: "View Event Log Files"},
		{name: "key readable by others", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {
			os.Chmod(f.keyFile, 0o644)
		}, check: "key permissions", status: statusWarn, wantText: "chmod 600"},
		{name: "relative key path", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {
			wd, _ := os.Getwd()
			rel, _ := filepath.Rel(wd, f.keyFile)
			te.Vars["SFJWT_KEY_FILE"] = rel
		}, over: map[string]string{"--key": ""}, check: "key path", status: statusWarn, wantText: "full path"},
		{name: "missing key file", over: map[string]string{"--key": "/nonexistent/server.pem"}, check: "key file", status: statusFail, wantText: "does not exist", wantExit1: true},
		{name: "encrypted key without password", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {}, over: map[string]string{"--key": "ENC"},
			check: "key parses", status: statusFail, wantText: "SFJWT_KEY_PASSWORD", wantExit1: true},
		{name: "username not an e-mail", over: map[string]string{"--username": "admin"}, check: "username", status: statusFail, wantText: "e-mail", wantExit1: true},
		{name: "client ID oddly shaped", over: map[string]string{"--client-id": "abc"}, check: "client ID", status: statusWarn, wantText: "Consumer Key", wantExit1: true},
		{name: "instance URL not HTTPS", over: map[string]string{"--instance-url": "http://acme.my.salesforce.com"}, check: "instance URL", status: statusFail, wantText: "HTTPS", wantExit1: true},
		{name: "Lightning URL", over: map[string]string{"--instance-url": "https://acme.lightning.force.com"}, check: "instance URL", status: statusFail, wantText: "My Domain", wantExit1: true},
		{name: "API version malformed", over: map[string]string{"--api-version": "sixty"}, check: "API version", status: statusFail, wantText: "NN.0", wantExit1: true},
		{name: "API version not offered", over: map[string]string{"--api-version": "99.0"}, check: "API version offered", status: statusFail, wantText: "does not offer 99.0", wantExit1: true},
		{name: "clock off by ten minutes", setup: func(t *testing.T, f *doctorFixture, te *testEnv) {
			te.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
		}, check: "clock", status: statusWarn, wantText: "NTP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			days := tt.certDays
			if days == 0 {
				days = 365
			}
			f := newDoctorFixture(t, tt.cfg, days, tt.certNow)
			te := newTestEnv(t)
			if tt.setup != nil {
				tt.setup(t, f, te)
			}
			over := map[string]string{}
			for k, v := range tt.over {
				if v == "ENC" {
					v = f.encKey
				}
				over[k] = v
			}
			code, r := runDoctorJSON(t, te, f.args(over))
			c, ok := findCheck(r, tt.check)
			if !ok {
				t.Fatalf("no %q check; report: %+v", tt.check, r.Checks)
			}
			if c.Status != tt.status || !strings.Contains(c.Detail+" "+c.Fix, tt.wantText) {
				t.Errorf("%q = %s %q (fix %q), want %s mentioning %q", tt.check, c.Status, c.Detail, c.Fix, tt.status, tt.wantText)
			}
			if gotFail := code == 1; gotFail != (tt.wantExit1 || r.Summary.Failed > 0) {
				t.Errorf("exit %d with %d failures", code, r.Summary.Failed)
			}
			if tt.wantExit1 && code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
		})
	}
}

func unapprovedApp() sftest.App {
	app := sftest.DefaultApp()
	app.Profiles = []string{"Some Other Profile"}
	app.PermissionSets = nil
	return app
}

func TestDoctorTextAndFormats(t *testing.T) {
	t.Parallel()
	f := newDoctorFixture(t, sftest.Config{}, 365, time.Time{})
	args := f.args(nil)[2:] // without "doctor --json"
	te := newTestEnv(t)
	if code := te.run(t, append([]string{"doctor"}, args...)...); code != 0 {
		t.Fatalf("exit %d: %s%s", code, te.Stdout, te.Stderr)
	}
	out := te.Stdout.String()
	for _, want := range []string{"PASS  JWT login", "0 failed", "Required fields for JWT Authentication Integration:", "JWT Authentication Client Key Path: " + f.keyFile, "Client ID (Consumer Key):           " + sftest.DefaultClientID} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	te = newTestEnv(t)
	te.run(t, append([]string{"doctor", "--format", "yaml"}, args...)...)
	for _, want := range []string{"- type: salesforce", "auth.oauth2.jwt_bearer_flow:", `client.key_path: "` + f.keyFile + `"`, `client.id: "` + sftest.DefaultClientID + `"`, "version: " + strings.TrimSuffix(sftest.DefaultAPIVersion, ".0")} {
		if !strings.Contains(te.Stdout.String(), want) {
			t.Errorf("yaml output lacks %q:\n%s", want, te.Stdout)
		}
	}
	te = newTestEnv(t)
	if code := te.run(t, "doctor", "--format", "xml"); code != 2 || !strings.Contains(te.Stderr.String(), "want text, json or yaml") {
		t.Errorf("--format xml: exit %d, stderr %q", code, te.Stderr)
	}
}

func TestDemoRuns(t *testing.T) {
	t.Parallel()
	keep := filepath.Join(t.TempDir(), "demo")
	te := newTestEnv(t)
	if code := te.run(t, "demo", "--keep", keep, "--accounts", "2100"); code != 0 {
		t.Fatalf("demo exit %d:\n%s\n%s", code, te.Stdout, te.Stderr)
	}
	out := te.Stdout.String()
	for _, want := range []string{"1. certificate bundle", "2. keystores", "alias \"sfjwt_demo\"", "0 failed", "2100 accounts in 3 pages", "streamed to disk", "Demo passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"server.pem", "server.crt", "keystore.p12", "servercert.jks"} {
		if _, err := os.Stat(filepath.Join(keep, name)); err != nil {
			t.Errorf("--keep: %v", err)
		}
	}
	csvs, _ := filepath.Glob(filepath.Join(keep, "*.csv"))
	if len(csvs) != 1 {
		t.Errorf("want one downloaded CSV, got %v", csvs)
	}
}

// demo --keep refuses a folder that already holds files instead of failing half-way.
func TestDemoKeepNeedsEmptyFolder(t *testing.T) {
	t.Parallel()
	keep := t.TempDir()
	os.WriteFile(filepath.Join(keep, "notes.txt"), []byte("mine"), 0o600)
	te := newTestEnv(t)
	if code := te.run(t, "demo", "--keep", keep); code != 1 || !strings.Contains(te.Stderr.String(), "is not empty; give a new or empty folder") {
		t.Errorf("exit %d, stderr %q", code, te.Stderr)
	}
	if entries, _ := os.ReadDir(keep); len(entries) != 1 {
		t.Errorf("demo wrote into a non-empty --keep folder: %d entries", len(entries))
	}
}
