package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// binDir holds the sfjwt binary the CLI tests build; TestMain creates and removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sfjwt-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildCLI builds cmd/sfjwt once per test run, on first use.
var buildCLI = sync.OnceValues(func() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go tool is needed to build sfjwt for the CLI tests: %w", err)
	}
	bin := filepath.Join(binDir, "sfjwt")
	if out, err := exec.Command(goTool, "build", "-o", bin, "github.com/cytechint/sfjwt/cmd/sfjwt").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/sfjwt: %w\n%s", err, out)
	}
	return bin, nil
})

// cliBinary returns the path of the sfjwt binary, building it on first use.
func cliBinary(t *testing.T) string {
	t.Helper()
	bin, err := buildCLI()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
