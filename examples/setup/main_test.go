package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// wantModes are the files run writes with a generated password, and their permissions.
var wantModes = map[string]fs.FileMode{
	"server.pass.key": 0o600, "server.key": 0o600, "server.pem": 0o600,
	"server.csr": 0o644, "server.crt": 0o644,
	"keystore.p12": 0o600, "servercert.jks": 0o600, "key-password.txt": 0o600,
}

func TestRunGeneratedPassword(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jwt")
	var out bytes.Buffer
	if err := run(t.Context(), &out, []string{dir}, env(nil)); err != nil {
		t.Fatalf("run: %v", err)
	}
	for name, want := range wantModes {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", name, got, want)
		}
		if !strings.Contains(out.String(), "wrote "+path+" ") {
			t.Errorf("output does not list %s:\n%s", path, out.String())
		}
	}
	pw, err := os.ReadFile(filepath.Join(dir, "key-password.txt"))
	if err != nil {
		t.Fatal(err)
	}
	password := bytes.TrimSuffix(pw, []byte("\n"))
	if strings.Contains(out.String(), string(password)) {
		t.Error("output shows the password")
	}
	if _, err := certgen.ReadPrivateKeyFile(filepath.Join(dir, "server.pass.key"), password); err != nil {
		t.Errorf("server.pass.key with the password file: %v", err)
	}
	checkJKS(t, filepath.Join(dir, "servercert.jks"), password)
	if _, err := keystore.ReadFile(filepath.Join(dir, "keystore.p12"), password, ""); err != nil {
		t.Errorf("keystore.p12: %v", err)
	}
}

func TestRunPasswordFromEnv(t *testing.T) {
	dir := t.TempDir()
	password := "env-password-123"
	var out bytes.Buffer
	if err := run(t.Context(), &out, []string{dir}, env(map[string]string{"SFJWT_KEY_PASSWORD": password})); err != nil {
		t.Fatalf("run: %v", err)
	}
	if strings.Contains(out.String(), password) {
		t.Error("output shows the password")
	}
	if _, err := os.Stat(filepath.Join(dir, "key-password.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("key-password.txt: got %v, want it absent when the password comes from the environment", err)
	}
	checkJKS(t, filepath.Join(dir, "servercert.jks"), []byte(password))

	// A second run into the same folder must refuse and change nothing.
	before, _ := os.ReadFile(filepath.Join(dir, "server.key"))
	err := run(t.Context(), &out, []string{dir}, env(map[string]string{"SFJWT_KEY_PASSWORD": password}))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second run: got %v, want an error matching fs.ErrExist", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "server.key"))
	if !bytes.Equal(before, after) {
		t.Error("second run changed server.key")
	}
}

func checkJKS(t *testing.T, path string, password []byte) {
	t.Helper()
	list, err := keystore.ListFile(path, password)
	if err != nil {
		t.Fatalf("list %s: %v", path, err)
	}
	if len(list.Entries) != 1 || list.Entries[0].Alias != "sfjwt_example" || list.Entries[0].Type != keystore.PrivateKeyEntry {
		t.Errorf("%s lists %+v, want one PrivateKeyEntry \"sfjwt_example\"", path, list.Entries)
	}
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name     string
		args     func(dir string) []string
		password string
		wantErr  error
		wantText string
	}{
		{name: "short password", password: "abc", wantErr: keystore.ErrShortPassword},
		{name: "non-ASCII password", password: "pässwörd", wantErr: keystore.ErrPasswordNotASCII},
		{name: "two arguments", args: func(dir string) []string { return []string{dir, "extra"} }, wantText: "usage: setup [DIR]"},
		{name: "keystore exists", wantErr: fs.ErrExist, args: func(dir string) []string {
			os.WriteFile(filepath.Join(dir, "servercert.jks"), []byte("old"), 0o600)
			return []string{dir}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{dir}
			if tt.args != nil {
				args = tt.args(dir)
			}
			before, _ := os.ReadDir(dir)
			var out bytes.Buffer
			err := run(t.Context(), &out, args, env(map[string]string{"SFJWT_KEY_PASSWORD": tt.password}))
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			case tt.wantText != "" && (err == nil || err.Error() != tt.wantText):
				t.Errorf("got error %v, want %q", err, tt.wantText)
			}
			after, _ := os.ReadDir(dir)
			if len(after) != len(before) {
				t.Errorf("folder has %d entries after the failed run, want %d", len(after), len(before))
			}
		})
	}
}

func TestRunDefaultFolder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.MkdirTemp("", …) creates the default folder here
	var out bytes.Buffer
	if err := run(t.Context(), &out, nil, env(nil)); err != nil {
		t.Fatalf("run: %v", err)
	}
	keys, _ := filepath.Glob(filepath.Join(tmp, "sfjwt-setup-*", "server.key"))
	if len(keys) != 1 {
		t.Fatalf("got %d server.key files under %s, want 1", len(keys), tmp)
	}
	if !strings.Contains(out.String(), "wrote "+keys[0]+" (0600,") {
		t.Errorf("output does not list %s with mode 0600:\n%s", keys[0], out.String())
	}
}

// TestMainExit runs main in a child process: an error goes to stderr with exit status 1.
func TestMainExit(t *testing.T) {
	if os.Getenv("SFJWT_EXAMPLE_RUN_MAIN") == "1" {
		os.Args = []string{"setup", "a", "b"}
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
	if got, want := stderr.String(), "setup: usage: setup [DIR]\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
