package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// testEnv is an in-process environment for running sfjwt commands in tests.
type testEnv struct {
	*env
	Stdout, Stderr *bytes.Buffer
	Vars           map[string]string
	// Passwords are returned, one per prompt, when Terminal is true.
	Passwords []string
}

// newTestEnv returns an env with captured output, an empty environment and no terminal.
// Set vars in Vars, and set terminal to true (and Passwords) to simulate a person typing.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	te := &testEnv{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Vars: map[string]string{}}
	te.env = &env{
		stdin:            strings.NewReader(""),
		stdout:           te.Stdout,
		stderr:           te.Stderr,
		getenv:           func(k string) string { return te.Vars[k] },
		stdinIsTerminal:  func() bool { return false },
		stderrIsTerminal: func() bool { return false },
		readPassword: func() ([]byte, error) {
			if len(te.Passwords) == 0 {
				return nil, io.EOF
			}
			p := te.Passwords[0]
			te.Passwords = te.Passwords[1:]
			return []byte(p), nil
		},
		now: time.Now,
	}
	return te
}

// withTerminal makes the env behave as if a person sits at a terminal typing passwords.
func (te *testEnv) withTerminal(passwords ...string) *testEnv {
	te.stdinIsTerminal = func() bool { return true }
	te.Passwords = passwords
	return te
}

// run runs sfjwt with args in te and returns the exit status.
func (te *testEnv) run(t testing.TB, args ...string) int {
	t.Helper()
	ctx := context.Background()
	if tc, ok := t.(interface{ Context() context.Context }); ok {
		ctx = tc.Context()
	}
	return run(ctx, te.env, args)
}

func TestRunTopLevel(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no args prints usage", nil, 2, "", "Usage:"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"--help", []string{"--help"}, 0, "Commands:", ""},
		{"help for a command", []string{"help", "cert"}, 0, "sfjwt cert --out DIR", ""},
		{"help for unknown command", []string{"help", "nope"}, 2, "", `unknown command "nope"`},
		{"version", []string{"version"}, 0, "sfjwt ", ""},
		{"version with argument", []string{"version", "x"}, 2, "", "version takes no arguments"},
		{"unknown flag", []string{"cert", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{"command -h", []string{"cert", "-h"}, 0, "Flags:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			if got := te.run(t, tt.args...); got != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr:\n%s", got, tt.wantCode, te.Stderr)
			}
			if !strings.Contains(te.Stdout.String(), tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", te.Stdout, tt.wantStdout)
			}
			if !strings.Contains(te.Stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", te.Stderr, tt.wantStderr)
			}
		})
	}
}

func TestRunRecoversPanic(t *testing.T) {
	te := newTestEnv(t)
	te.getenv = func(string) string { panic("boom") }
	// cert reads SFJWT_KEY_PASSWORD through getenv once its flags are valid.
	code := te.run(t, "cert", "--out", t.TempDir(), "--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme")
	if code != 1 {
		t.Fatalf("exit = %d, want 1", code)
	}
	if got := te.Stderr.String(); !strings.Contains(got, "internal error: boom") || strings.Contains(got, "goroutine") {
		t.Errorf("stderr = %q, want a one-line internal error without a stack trace", got)
	}
}

func TestExitCodeUsageError(t *testing.T) {
	te := newTestEnv(t)
	if got := exitCode(te.env, "x", &usageError{msg: "bad"}); got != 2 {
		t.Errorf("exitCode(usageError) = %d, want 2", got)
	}
	if got := exitCode(te.env, "x", errors.New("failed")); got != 1 {
		t.Errorf("exitCode(error) = %d, want 1", got)
	}
	if !strings.Contains(te.Stderr.String(), "sfjwt x: failed") {
		t.Errorf("stderr = %q, want the error prefixed with the command", te.Stderr)
	}
}
