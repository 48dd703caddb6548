package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCLIPasswordFileWithoutLineEnd gives every password-file flag a file with no line end
// (/dev/zero) under a 2 GB address-space limit: sfjwt must refuse it with a message, not read
// it until the runtime dies with a stack trace.
func TestCLIPasswordFileWithoutLineEnd(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /dev/zero and bash's ulimit")
	}
	bin := cliBinary(t)
	dir := t.TempDir()
	subject := []string{"--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"}
	for _, args := range [][]string{
		append([]string{"cert", "--out", filepath.Join(dir, "jwt"), "--password-file", "/dev/zero"}, subject...),
		{"serve", "--addr", "127.0.0.1:0", "--client-secret-file", "/dev/zero"},
		{"keystore", "rename", "--jks", "/dev/null", "--from", "a", "--to", "b", "--password-file", "/dev/zero"},
		{"login", "--instance-url", "https://127.0.0.1:1", "--client-id", "x", "--username", "u", "--key", "/dev/null", "--key-password-file", "/dev/zero"},
	} {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", append([]string{"-c", `ulimit -v 2000000; exec "$0" "$@"`, bin}, args...)...)
			cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin"}
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 1 && code != 2 {
				t.Errorf("exit %d, want 1 or 2", code)
			}
			if s := string(out); strings.Contains(s, "goroutine ") || strings.Contains(s, "fatal error") || !strings.Contains(s, "/dev/zero") {
				t.Errorf("output:\n%.500s\nwant a message naming /dev/zero, without a crash", s)
			}
		})
	}
}
