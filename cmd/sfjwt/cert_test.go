package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
)

var subjectFlags = []string{"--country", "US", "--state", "CA", "--locality", "San Francisco", "--org", "Acme"}

func certArgs(out string, extra ...string) []string {
	return append(append([]string{"cert", "--out", out}, subjectFlags...), extra...)
}

func writePasswordFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCertPasswordSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(te *testEnv) []string
		wantPwd string
	}{
		{"password file first line, CRLF", func(te *testEnv) []string {
			return []string{"--password-file", writePasswordFile(t, "from-file-pw\r\nsecond line\n")}
		}, "from-file-pw"},
		{"environment variable", func(te *testEnv) []string {
			te.Vars["SFJWT_KEY_PASSWORD"] = "from-env-pw"
			return nil
		}, "from-env-pw"},
		{"file wins over environment", func(te *testEnv) []string {
			te.Vars["SFJWT_KEY_PASSWORD"] = "from-env-pw"
			return []string{"--password-file", writePasswordFile(t, "file-wins-pw\n")}
		}, "file-wins-pw"},
		{"terminal prompt asked twice", func(te *testEnv) []string {
			te.withTerminal("typed-pw", "typed-pw")
			return nil
		}, "typed-pw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			te := newTestEnv(t)
			out := filepath.Join(t.TempDir(), "jwt")
			extra := tt.setup(te)
			if code := te.run(t, certArgs(out, extra...)...); code != 0 {
				t.Fatalf("exit %d: %s", code, te.Stderr)
			}
			if _, err := certgen.ReadPrivateKeyFile(filepath.Join(out, "server.pass.key"), []byte(tt.wantPwd)); err != nil {
				t.Errorf("server.pass.key with %q: %v", tt.wantPwd, err)
			}
			stdout := te.Stdout.String()
			for _, want := range []string{"server.pass.key", "server.key", "server.csr", "server.crt", "server.pem", "step 9", "SHA-256 fingerprint"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, stdout)
				}
			}
			if strings.Contains(stdout+te.Stderr.String(), tt.wantPwd) {
				t.Errorf("the password appears in the output")
			}
		})
	}
}

func TestCertBadInput(t *testing.T) {
	t.Parallel()
	aFile := filepath.Join(t.TempDir(), "file")
	os.WriteFile(aFile, []byte("x"), 0o600)
	existing := t.TempDir()
	os.WriteFile(filepath.Join(existing, "server.key"), []byte("old key"), 0o600)
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		terminal []string // non-nil: a terminal with these answers
		out      string   // folder that must stay as it was
		wantCode int
		wantErr  string
	}{
		{"bits 1024", certArgs("OUT", "--bits", "1024"), nil, nil, "", 2, "must be 2048, 3072 or 4096"},
		{"days 0", certArgs("OUT", "--days", "0"), nil, nil, "", 2, "between 1 and 36500"},
		{"country USA", []string{"cert", "--out", "OUT", "--country", "USA", "--state", "CA", "--locality", "SF", "--org", "A"}, nil, nil, "", 2, "exactly 2 letters"},
		{"missing subject", []string{"cert", "--out", "OUT"}, nil, nil, "", 2, "missing --country, --state, --locality, --org"},
		{"missing --out", append([]string{"cert"}, subjectFlags...), nil, nil, "", 2, "--out is required"},
		{"stray argument", certArgs("OUT", "extra"), nil, nil, "", 2, `unexpected argument "extra"`},
		{"password as a flag value", certArgs("OUT", "--password", "x"), nil, nil, "", 2, "flag provided but not defined: -password"},
		{"no password and no terminal", certArgs("OUT"), nil, nil, "", 1, "no password given"},
		{"prompt answers differ", certArgs("OUT"), nil, []string{"one-pass", "two-pass"}, "", 1, "do not match"},
		{"empty prompt answer", certArgs("OUT"), nil, []string{""}, "", 1, "is empty"},
		{"missing password file", certArgs("OUT", "--password-file", "/nonexistent/pw"), nil, nil, "", 1, "--password-file: read password file"},
		{"empty password file", certArgs("OUT", "--password-file", "EMPTYPW"), nil, nil, "", 1, "is empty"},
		{"existing bundle without --force", certArgs(existing), map[string]string{"SFJWT_KEY_PASSWORD": "pw123456"}, nil, existing, 1, "already exists; nothing was written"},
		{"output is a file", certArgs(aFile), map[string]string{"SFJWT_KEY_PASSWORD": "pw123456"}, nil, "", 1, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			te := newTestEnv(t)
			for k, v := range tt.env {
				te.Vars[k] = v
			}
			if tt.terminal != nil {
				te.withTerminal(tt.terminal...)
			}
			out := filepath.Join(t.TempDir(), "jwt")
			emptyPW := writePasswordFile(t, "")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.NewReplacer("OUT", out, "EMPTYPW", emptyPW).Replace(a)
			}
			var before map[string]string
			if tt.out != "" {
				before = dirSnapshot(t, tt.out)
			}
			code := te.run(t, args...)
			if code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr: %s", code, tt.wantCode, te.Stderr)
			}
			if !strings.Contains(te.Stderr.String(), tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", te.Stderr, tt.wantErr)
			}
			if strings.Contains(te.Stderr.String(), "goroutine ") {
				t.Errorf("stack trace shown")
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output folder created on error")
			}
			if tt.out != "" {
				if after := dirSnapshot(t, tt.out); !equalSnapshots(before, after) {
					t.Errorf("existing folder changed: %v -> %v", before, after)
				}
			}
		})
	}
}

func TestCertForceReplacesBundle(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	te := newTestEnv(t)
	te.Vars["SFJWT_KEY_PASSWORD"] = "first-pass"
	if code := te.run(t, certArgs(out)...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, te.Stderr)
	}
	first := dirSnapshot(t, out)
	te2 := newTestEnv(t)
	te2.Vars["SFJWT_KEY_PASSWORD"] = "second-pass"
	if code := te2.run(t, certArgs(out, "--force", "--bits", "3072", "--days", "30")...); code != 0 {
		t.Fatalf("--force run: exit %d: %s", code, te2.Stderr)
	}
	second := dirSnapshot(t, out)
	for name := range first {
		if first[name] == second[name] {
			t.Errorf("%s not replaced", name)
		}
	}
	k, err := certgen.ReadPrivateKeyFile(filepath.Join(out, "server.pass.key"), []byte("second-pass"))
	if err != nil {
		t.Fatal(err)
	}
	if err := certgen.CheckRSAKey(k.Public()); err != nil || !strings.Contains(te2.Stdout.String(), "RSA 3072") {
		t.Errorf("want a 3072-bit key: %v\n%s", err, te2.Stdout)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(filepath.Join(out, "server.pem"))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("server.pem mode %v", st.Mode().Perm())
		}
	}
}

func dirSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		m[e.Name()] = string(b)
	}
	return m
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
