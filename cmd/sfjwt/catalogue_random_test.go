package main

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogueRandomArgsNeverPanic runs 400 command lines drawn (with a fixed seed) from the
// commands, their flags and bad values, with an environment pointing at a closed loopback
// port: whatever the mix, sfjwt answers with a message and exit 1 or 2 (0 for help), never a
// panic or a stack trace (doctor's report, on standard output, is its message). No password
// is available, so no key is generated and no keystore written.
func TestCatalogueRandomArgsNeverPanic(t *testing.T) {
	f := newCatFiles(t)
	commands := [][]string{{"cert"}, {"keystore", "export"}, {"keystore", "convert"}, {"keystore", "rename"}, {"keystore", "list"},
		{"keystore"}, {"login"}, {"query"}, {"logs", "list"}, {"logs", "download"}, {"logs"}, {"doctor"}, {"help"}, {"version"}}
	flags := []string{"--out", "--bits", "--days", "--country", "--state", "--locality", "--org", "--email", "--password-file", "--force",
		"--key", "--cert", "--jks", "--p12", "--alias", "--legacy", "--key-password-file", "--p12-password-file", "--from", "--to",
		"--instance-url", "--client-id", "--username", "--login-url", "--audience", "--api-version", "--ca-file", "--json", "--show-token",
		"--all", "--format", "--output", "--batch-size", "--type", "--since", "--until", "--interval", "--offline", "-h", "--", "-"}
	values := []string{"", " ", "-", "--", "0", "-1", "2048", "99999999999999999999", "1e3", "US", "USA", "é", "\x00", "\n",
		strings.Repeat("x", 5000), "SELECT Id FROM Account", "SELECT", "2026-11-20", "2026-13-45", "yesterday", "Daily", "weekly",
		"ndjson", "xml", "1", "a__b", "my_app", "https://127.0.0.1:1", "http://127.0.0.1:1", "http://example.com", "://", "https://[::1]:1",
		"66.0", "v66", "sixty", f.key, f.cert, f.encKey, f.ecKey, f.smallKey, f.empty, f.garbage, f.utf16Key, f.csr, f.truncKey,
		f.legacyKey, f.jks, f.p12, f.notKeystore, f.truncJKS, f.aDir, f.pwEmpty, f.pwUTF16, f.pwDir, filepath.Join(f.out, "new"),
		filepath.Join(f.root, "missing", "x")}
	rng := rand.New(rand.NewPCG(8, 2026))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	for i := range 400 {
		args := append([]string(nil), commands[rng.IntN(len(commands))]...)
		for range rng.IntN(7) {
			switch rng.IntN(3) {
			case 0:
				args = append(args, pick(flags))
			case 1:
				args = append(args, pick(values))
			default:
				args = append(args, pick(flags), pick(values))
			}
		}
		te := newTestEnv(t)
		te.Vars = map[string]string{"SFJWT_INSTANCE_URL": noServer, "SFJWT_CLIENT_ID": "3MVG9x", "SFJWT_USERNAME": "u@example.com", "SFJWT_KEY_FILE": f.key}
		code := te.run(t, args...)
		out := te.Stdout.String() + te.Stderr.String()
		if strings.Contains(out, "internal error") || strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
			t.Errorf("run %d: sfjwt %q: a panic reached the user:\n%.800s", i, args, out)
		}
		if code != 0 && code != 1 && code != 2 {
			t.Errorf("run %d: sfjwt %q: exit %d", i, args, code)
		}
		if code != 0 && strings.TrimSpace(out) == "" {
			t.Errorf("run %d: sfjwt %q: exit %d without a message", i, args, code)
		}
	}
}
