// Package interop helps tests that run real external tools (openssl, keytool): it finds the
// tool, skips the test with a message when it is absent, and fails instead when the
// environment variable SFJWT_REQUIRE_INTEROP=1 says the tools must be there (as .ci/run does).
package interop

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RequireEnv is the environment variable that turns a missing tool into a test failure.
const RequireEnv = "SFJWT_REQUIRE_INTEROP"

// Tool returns the path of the named program, or skips (or fails) t when it is missing.
func Tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s not found on PATH and %s=1: install it (e.g. apt-get install openssl default-jdk-headless)", name, RequireEnv)
	}
	t.Skipf("%s not found on PATH; skipping interop test (set %s=1 to make this a failure)", name, RequireEnv)
	return ""
}

// Run runs the program with args in dir and returns its standard output. A failure fails t
// with the program's standard error.
func Run(t testing.TB, dir, prog string, args ...string) string {
	t.Helper()
	out, err := Try(dir, nil, prog, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
	return out
}

// Try runs the program with args in dir, feeding stdin, and returns its combined output and
// error, for tests that expect a failure.
func Try(dir string, stdin []byte, prog string, args ...string) (string, error) {
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	return buf.String(), err
}
