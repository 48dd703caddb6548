package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

const (
	testSecret  = "test-consumer-secret-0123456789"
	testRunAsID = "005000000000042AAA"
	testRunAs   = "svc@acme.example.com"
)

// realOrg starts an emulated org owned by the test, whose app runs the client credentials
// flow as testRunAs when on, and returns the environment that names it, as a user would for
// a real org (with SFJWT_CA_FILE to trust its certificate).
func realOrg(t *testing.T, flowOn bool) (*sftest.Server, map[string]string) {
	t.Helper()
	app := sftest.DefaultApp()
	app.ClientCredentials, app.ConsumerSecret, app.RunAsUsername = flowOn, testSecret, testRunAs
	srv := sftest.NewServer(t, sftest.Config{
		Users: []sftest.User{{Username: sftest.DefaultUsername}, {ID: testRunAsID, Username: testRunAs}},
		Apps:  []sftest.App{app},
	})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, certgen.EncodeCertificatePEM(srv.Certificate().Raw), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, map[string]string{
		"SFJWT_INSTANCE_URL": srv.URL, "SFJWT_CLIENT_ID": app.ConsumerKey,
		"SFJWT_CLIENT_SECRET": testSecret, "SFJWT_CA_FILE": caFile,
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
	for _, want := range []string{"offline: emulated org at https://127.0.0.1:", "org ID:     00D",
		"running as: " + sftest.DefaultUsername + " (005"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunConfiguredOrg(t *testing.T) {
	srv, env := realOrg(t, true)
	var out bytes.Buffer
	if err := run(t.Context(), &out, nil, getenv(env)); err != nil {
		t.Fatalf("run: %v", err)
	}
	want := "org ID:     " + srv.OrgID() + "\nrunning as: " + testRunAs + " (" + testRunAsID + ")\n"
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestRunBadSettings(t *testing.T) {
	tests := []struct {
		name     string
		flowOff  bool
		edit     func(env map[string]string)
		args     []string
		wantErr  error
		wantCode string // the OAuth error of a *jwtauth.TokenError
		wantText string
	}{
		{name: "argument given", args: []string{"x"}, wantText: "usage: clientcredentials"},
		{name: "no secret", edit: func(e map[string]string) { delete(e, "SFJWT_CLIENT_SECRET") }, wantErr: jwtauth.ErrConfig},
		{name: "generic login host", edit: func(e map[string]string) { e["SFJWT_INSTANCE_URL"] = "https://login.salesforce.com" }, wantErr: jwtauth.ErrMyDomainRequired},
		{name: "CA file missing", edit: func(e map[string]string) { e["SFJWT_CA_FILE"] += ".none" }, wantErr: os.ErrNotExist},
		{name: "wrong secret", edit: func(e map[string]string) { e["SFJWT_CLIENT_SECRET"] = "wrong-secret-value" }, wantCode: "invalid_client"},
		{name: "flow off", flowOff: true, wantCode: "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, env := realOrg(t, !tt.flowOff)
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
			if s := env["SFJWT_CLIENT_SECRET"]; s != "" && strings.Contains(err.Error(), s) {
				t.Error("the error shows the client secret")
			}
		})
	}
}

// TestMainExit runs main in a child process: an error goes to stderr with exit status 1.
func TestMainExit(t *testing.T) {
	if os.Getenv("SFJWT_EXAMPLE_RUN_MAIN") == "1" {
		os.Args = []string{"clientcredentials", "extra"}
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
	if got, want := stderr.String(), "clientcredentials: usage: clientcredentials (it takes no arguments; set SFJWT_* environment variables for a real org)\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
