package main

import (
	"bufio"
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
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

// realOrg starts an emulated org without sample rows, owned by the test, and returns the
// environment that names it as a user would name a real org (SFJWT_CA_FILE trusts it).
func realOrg(t *testing.T, upload bool) (*sftest.Server, map[string]string) {
	t.Helper()
	tk, err := newTestKey()
	if err != nil {
		t.Fatal(err)
	}
	srv := sftest.NewServer(t, sftest.Config{NoSampleData: true})
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

// addLogins adds n logins at the given time (all sharing it) and returns their IDs.
func addLogins(t *testing.T, srv *sftest.Server, n int, at time.Time) []string {
	t.Helper()
	uid, err := srv.UserID(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.AddRecords("LoginHistory", sftest.LoginHistoryRecords(n, uid, at, 0)...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// readIDs returns the Id of each NDJSON line of path, failing on a duplicate.
func readIDs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct{ Id string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.Id == "" {
			t.Fatalf("line %d: %q is not a record (%v)", len(ids)+1, sc.Text(), err)
		}
		if seen[rec.Id] {
			t.Errorf("record %s written twice", rec.Id)
		}
		seen[rec.Id] = true
		ids = append(ids, rec.Id)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// sameSet reports whether a and b hold the same IDs (readIDs already rejects duplicates).
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func paths(t *testing.T) (out, state string, args []string) {
	t.Helper()
	dir := t.TempDir()
	out, state = filepath.Join(dir, "logins.ndjson"), filepath.Join(dir, "cursor.json")
	return out, state, []string{"-out", out, "-state", state}
}

func TestRunOfflineTwice(t *testing.T) {
	out, state, args := paths(t)
	for i := range 2 {
		var stdout bytes.Buffer
		if err := run(t.Context(), &stdout, args, getenv(nil)); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
		if !strings.HasPrefix(stdout.String(), "offline: emulated org at https://127.0.0.1:") {
			t.Errorf("run %d output:\n%s", i+1, stdout.String())
		}
	}
	// The second run adds only logins of a minute that began since the first (usually none).
	if ids := readIDs(t, out); len(ids) < 60 || len(ids) > 61 {
		t.Errorf("got %d records after two runs, want 60 (61 if a minute began in between)", len(ids))
	}
	for _, p := range []string{out, state} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 0600", p, err)
		}
	}
	cur, err := loadCursor(state)
	if err != nil || cur.Time.IsZero() || len(cur.IDs) != 1 {
		t.Errorf("saved cursor %+v, %v: want the newest login's time and ID", cur, err)
	}
}

func TestRunPicksUpNewRecords(t *testing.T) {
	srv, env := realOrg(t, true)
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	var want []string
	for i := range 5 {
		want = append(want, addLogins(t, srv, 2, base.Add(time.Duration(i)*time.Minute))...)
	}
	out, state, args := paths(t)
	var stdout bytes.Buffer
	if err := run(t.Context(), &stdout, args, getenv(env)); err != nil {
		t.Fatalf("run 1: %v", err)
	}
	if got, wantLine := stdout.String(), "10 new records appended to "+out+"\n"; !strings.HasPrefix(got, wantLine) {
		t.Errorf("run 1 output %q, want it to start with %q", got, wantLine)
	}
	// Between runs: one login at the cursor's own time (a tie) and three later ones.
	want = append(want, addLogins(t, srv, 1, base.Add(4*time.Minute))...)
	want = append(want, addLogins(t, srv, 3, base.Add(time.Hour))...)
	stdout.Reset()
	if err := run(t.Context(), &stdout, args, getenv(env)); err != nil {
		t.Fatalf("run 2: %v", err)
	}
	wantOut := "4 new records appended to " + out + "\ncursor saved to " + state + ": 2026-11-01T09:00:00Z, 3 record(s) at that time\n"
	if stdout.String() != wantOut {
		t.Errorf("run 2 output:\n%s\nwant:\n%s", stdout.String(), wantOut)
	}
	if got := readIDs(t, out); !sameSet(got, want) {
		t.Errorf("records in the file:\n%v\nwant:\n%v", got, want)
	}
	stdout.Reset()
	if err := run(t.Context(), &stdout, args, getenv(env)); err != nil || !strings.HasPrefix(stdout.String(), "0 new records") {
		t.Errorf("run 3: %v, output %q; want 0 new records", err, stdout.String())
	}
	// The state was replaced by renames: no temporary file is left behind.
	if entries, _ := os.ReadDir(filepath.Dir(state)); len(entries) != 2 {
		t.Errorf("folder holds %d entries, want the output and the state file only", len(entries))
	}
}

func TestRunOutputNotWritable(t *testing.T) {
	srv, env := realOrg(t, true)
	addLogins(t, srv, 3, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
	_, state, _ := paths(t)
	dir := t.TempDir()
	err := run(t.Context(), new(bytes.Buffer), []string{"-out", dir, "-state", state}, getenv(env))
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || pe.Path != dir {
		t.Errorf("output is a folder: got %v, want an *fs.PathError opening %s", err, dir)
	}
	if _, err := os.Stat(state); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("state file: got %v, want none written", err)
	}
}

func TestRunResumesAfterFailure(t *testing.T) {
	srv, env := realOrg(t, true)
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	// 2,500 logins sharing two timestamps, so the failure falls inside a tie: the first page
	// (2,000 records) ends 500 records into the second timestamp.
	want := append(addLogins(t, srv, 1500, base), addLogins(t, srv, 1000, base.Add(time.Second))...)
	srv.FailNext(sftest.Fault{Status: 500, PathPrefix: "/services/data/v" + sftest.DefaultAPIVersion + "/query/"})
	out, state, args := paths(t)
	err := run(t.Context(), new(bytes.Buffer), args, getenv(env))
	var apiErr *sfclient.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("run 1: got %v, want the second page's *sfclient.APIError with status 500", err)
	}
	if got := readIDs(t, out); len(got) != 2000 {
		t.Fatalf("run 1 wrote %d records, want the first page's 2000", len(got))
	}
	if cur, _ := loadCursor(state); !cur.Time.Equal(base.Add(time.Second)) || len(cur.IDs) != 500 {
		t.Errorf("cursor after the failure: %s with %d IDs, want %s with 500", cur.Time, len(cur.IDs), base.Add(time.Second))
	}
	if err := run(t.Context(), new(bytes.Buffer), args, getenv(env)); err != nil {
		t.Fatalf("run 2: %v", err)
	}
	if got := readIDs(t, out); !sameSet(got, want) {
		t.Errorf("after the second run the file holds %d records, want exactly the org's %d", len(got), len(want))
	}
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name     string
		upload   bool
		args     []string
		state    string // content of the state file before the run
		wantCode string // the OAuth error of a *jwtauth.TokenError
		wantText string
	}{
		{name: "unknown flag", upload: true, args: []string{"-since", "1h"}, wantText: "usage: eventlogs [-out FILE] [-state FILE]"},
		{name: "extra argument", upload: true, args: []string{"more"}, wantText: "usage: eventlogs [-out FILE] [-state FILE]"},
		{name: "corrupt state file", upload: true, state: `{"time": "yesterday"}`, wantText: "state file "},
		{name: "certificate not uploaded", upload: false, wantCode: "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, env := realOrg(t, tt.upload)
			addLogins(t, srv, 3, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
			out, state, args := paths(t)
			if tt.state != "" {
				os.WriteFile(state, []byte(tt.state), 0o600)
			}
			err := run(t.Context(), new(bytes.Buffer), append(args, tt.args...), getenv(env))
			var te *jwtauth.TokenError
			switch {
			case err == nil:
				t.Fatal("run succeeded, want an error")
			case tt.wantCode != "" && (!errors.As(err, &te) || te.Code != tt.wantCode):
				t.Errorf("got %v, want a *jwtauth.TokenError with code %q", err, tt.wantCode)
			case tt.wantText != "" && !strings.Contains(err.Error(), tt.wantText):
				t.Errorf("got %q, want it to contain %q", err, tt.wantText)
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("output file: got %v, want none written", err)
			}
			if data, _ := os.ReadFile(state); string(data) != tt.state {
				t.Errorf("state file changed to %q", data)
			}
		})
	}
}

// TestMainExit runs main in a child process: an error goes to stderr with exit status 1.
func TestMainExit(t *testing.T) {
	if os.Getenv("SFJWT_EXAMPLE_RUN_MAIN") == "1" {
		os.Args = []string{"eventlogs", "-bogus"}
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
	if got, want := stderr.String(), "eventlogs: usage: eventlogs [-out FILE] [-state FILE]\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
