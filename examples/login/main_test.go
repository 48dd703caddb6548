package main

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

type testKey struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

// newTestKey is the package's one test key (generated once) and its certificate.
var newTestKey = sync.OnceValues(func() (testKey, error) {
	key, err := certgen.GenerateKey(2048)
	if err != nil {
		return testKey{}, err
	}
	der, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Test"}, certgen.CertOptions{})
	if err != nil {
		return testKey{}, err
	}
	cert, err := x509.ParseCertificate(der)
	return testKey{key, cert}, err
})

// realOrg starts an emulated org owned by the test and returns the environment that names
// it, as a user would for a real org (with SFJWT_CA_FILE to trust its certificate).
func realOrg(t *testing.T, cfg sftest.Config, upload bool) (*sftest.Server, map[string]string) {
	t.Helper()
	tk, err := newTestKey()
	if err != nil {
		t.Fatal(err)
	}
	srv := sftest.NewServer(t, cfg)
	if upload {
		srv.AddCertificate(tk.cert)
	}
	dir := t.TempDir()
	pemKey, err := certgen.EncodePKCS8PEM(tk.key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, caFile := filepath.Join(dir, "server.key"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(keyFile, pemKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(caFile, certgen.EncodeCertificatePEM(srv.Certificate().Raw), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, map[string]string{
		"SFJWT_INSTANCE_URL": srv.URL, "SFJWT_CLIENT_ID": sftest.DefaultClientID,
		"SFJWT_USERNAME": sftest.DefaultUsername, "SFJWT_KEY_FILE": keyFile, "SFJWT_CA_FILE": caFile,
	}
}

func getenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRunOffline(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out, nil, getenv(nil)); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, want := range []string{"offline: emulated org at https://127.0.0.1:", "org ID:           00D",
		"user ID:          005", "organization:     " + sftest.DefaultOrgName, " used of 100000\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunConfiguredOrg(t *testing.T) {
	srv, env := realOrg(t, sftest.Config{Org: sftest.Org{Name: "Acme Test Org"}, DailyAPILimit: 5000}, true)
	uid, err := srv.UserID(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(t.Context(), &out, nil, getenv(env)); err != nil {
		t.Fatalf("run: %v", err)
	}
	want := "org ID:           " + srv.OrgID() + "\n" +
		"user ID:          " + uid + "\n" +
		"instance URL:     " + srv.URL + "\n" +
		"organization:     Acme Test Org\n" +
		"DailyApiRequests: 2 used of 5000\n"
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestRunEncryptedKey(t *testing.T) {
	_, env := realOrg(t, sftest.Config{}, true)
	tk, _ := newTestKey()
	enc, err := certgen.EncodeEncryptedPKCS8PEM(tk.key, []byte("secret-pw"), &certgen.EncryptOptions{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	env["SFJWT_KEY_FILE"] = filepath.Join(t.TempDir(), "server.pass.key")
	if err := os.WriteFile(env["SFJWT_KEY_FILE"], enc, 0o600); err != nil {
		t.Fatal(err)
	}
	env["SFJWT_KEY_PASSWORD"] = "secret-pw"
	if err := run(t.Context(), new(bytes.Buffer), nil, getenv(env)); err != nil {
		t.Fatalf("run with the right password: %v", err)
	}
	env["SFJWT_KEY_PASSWORD"] = "wrong-pw"
	err = run(t.Context(), new(bytes.Buffer), nil, getenv(env))
	if !errors.Is(err, certgen.ErrWrongPassword) {
		t.Errorf("wrong password: got %v, want %v", err, certgen.ErrWrongPassword)
	}
	if strings.Contains(err.Error(), "wrong-pw") {
		t.Error("the error shows the password")
	}
}

func TestRunBadSettings(t *testing.T) {
	tests := []struct {
		name     string
		upload   bool
		edit     func(env map[string]string)
		args     []string
		wantErr  error
		wantCode string // the OAuth error of a *jwtauth.TokenError
		wantText string
	}{
		{name: "argument given", upload: true, args: []string{"x"}, wantText: "usage: login"},
		{name: "no client ID", upload: true, edit: func(e map[string]string) { delete(e, "SFJWT_CLIENT_ID") }, wantErr: jwtauth.ErrConfig},
		{name: "no key file", upload: true, edit: func(e map[string]string) { delete(e, "SFJWT_KEY_FILE") }, wantErr: jwtauth.ErrConfig},
		{name: "plain http", upload: true, edit: func(e map[string]string) { e["SFJWT_INSTANCE_URL"] = "http://acme.my.salesforce.com" }, wantErr: jwtauth.ErrInsecureURL},
		{name: "CA file missing", upload: true, edit: func(e map[string]string) { e["SFJWT_CA_FILE"] += ".none" }, wantErr: os.ErrNotExist},
		{name: "CA file not a certificate", upload: true, edit: func(e map[string]string) { e["SFJWT_CA_FILE"] = e["SFJWT_KEY_FILE"] }, wantText: "no PEM certificate in it"},
		{name: "wrong client ID", upload: true, edit: func(e map[string]string) { e["SFJWT_CLIENT_ID"] = "3MVG9wrong" }, wantCode: "invalid_client_id"},
		{name: "certificate not uploaded", upload: false, wantCode: "invalid_grant"},
		{name: "unknown user", upload: true, edit: func(e map[string]string) { e["SFJWT_USERNAME"] = "nobody@example.com" }, wantCode: "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, env := realOrg(t, sftest.Config{}, tt.upload)
			if tt.edit != nil {
				tt.edit(env)
			}
			err := run(t.Context(), new(bytes.Buffer), tt.args, getenv(env))
			var te *jwtauth.TokenError
			switch {
			case err == nil:
				t.Fatal("run succeeded, want an error")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("got %v, want an error matching %v", err, tt.wantErr)
			case tt.wantCode != "" && (!errors.As(err, &te) || te.Code != tt.wantCode):
				t.Errorf("got %v, want a *jwtauth.TokenError with code %q", err, tt.wantCode)
			case tt.wantText != "" && !strings.Contains(err.Error(), tt.wantText):
				t.Errorf("got %q, want it to contain %q", err, tt.wantText)
			}
		})
	}
}

// TestMainExit runs main in a child process: an error goes to stderr with exit status 1.
func TestMainExit(t *testing.T) {
	if os.Getenv("SFJWT_EXAMPLE_RUN_MAIN") == "1" {
		os.Args = []string{"login", "extra"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainExit$")
	cmd.Env = append(os.Environ(), "SFJWT_EXAMPLE_RUN_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("got %v, want exit status 1", err)
	}
	if got, want := stderr.String(), "login: usage: login (it takes no arguments; set SFJWT_* environment variables for a real org)\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
