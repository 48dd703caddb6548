package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// limitText is how the CLI reports a used-up daily allocation, after the request line.
const limitText = ": 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.\n"

// cli runs the sfjwt binary against one emulated org, with the connection settings in its
// environment (never on the command line) and nothing else from the test's environment.
type cli struct {
	bin, dir string
	o        *org
}

func newCLI(t *testing.T, bin string, o *org) *cli {
	t.Helper()
	key, _ := testKey()
	dir := t.TempDir()
	keyPEM, err := certgen.EncodePKCS8PEM(key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: o.srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "server.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return &cli{bin: bin, dir: dir, o: o}
}

type cliResult struct {
	code           int
	stdout, stderr string
	// afterInterrupt is how long the process took to exit after it was sent SIGINT.
	afterInterrupt time.Duration
}

func (c *cli) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	return c.runInterrupted(t, nil, args...)
}

// runInterrupted runs sfjwt; when interrupt is not nil, it sends the process SIGINT (as
// Ctrl-C does) once interrupt is closed.
func (c *cli) runInterrupted(t *testing.T, interrupt <-chan struct{}, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = []string{
		"HOME=" + c.dir,
		"SFJWT_INSTANCE_URL=" + c.o.srv.URL,
		"SFJWT_CLIENT_ID=" + sftest.DefaultClientID,
		"SFJWT_USERNAME=" + sftest.DefaultUsername,
		"SFJWT_KEY_FILE=" + filepath.Join(c.dir, "server.pem"),
		"SFJWT_CA_FILE=" + filepath.Join(c.dir, "ca.pem"),
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sfjwt: %v", err)
	}
	var sent time.Time
	if interrupt != nil {
		select {
		case <-interrupt:
		case <-ctx.Done():
		}
		sent = time.Now()
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Errorf("send SIGINT: %v", err)
		}
	}
	err := cmd.Wait()
	res := cliResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	if !sent.IsZero() {
		res.afterInterrupt = time.Since(sent)
	}
	if err != nil && res.code <= 0 {
		t.Fatalf("sfjwt %s: %v", strings.Join(args, " "), err)
	}
	if strings.Contains(res.stderr, "panic:") || strings.Contains(res.stderr, "goroutine ") {
		t.Errorf("sfjwt %s printed a Go panic or stack trace:\n%s", strings.Join(args, " "), res.stderr)
	}
	return res
}

// ndjsonIDs reads the Ids of NDJSON records, reporting duplicates as test errors.
func ndjsonIDs(t *testing.T, r io.Reader) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var rec idRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		if seen[rec.ID] {
			t.Errorf("record %s written twice", rec.ID)
		}
		seen[rec.ID] = true
	}
	return seen
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// beforePage2 calls do once, just before the emulator serves the first request for a
// query page after the first.
func beforePage2(do func(srv *sftest.Server)) func(*sftest.Server, http.Handler) http.Handler {
	var done atomic.Bool
	return func(srv *sftest.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, pagePath) && done.CompareAndSwap(false, true) {
				do(srv)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// beforeEachPage calls do just before the emulator first serves each query page after the
// first (not again when the client resends the page).
func beforeEachPage(do func(srv *sftest.Server)) func(*sftest.Server, http.Handler) http.Handler {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(srv *sftest.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			first := strings.HasPrefix(r.URL.Path, pagePath) && !seen[r.URL.Path]
			seen[r.URL.Path] = true
			mu.Unlock()
			if first {
				do(srv)
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestCLIFaults(t *testing.T) {
	bin := cliBinary(t)
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, bin string)
	}{
		{"query survives a cut page", cliQueryCutPage},
		{"query survives tokens revoked between pages", cliQueryTokensRevoked},
		{"query survives sessions timing out", cliQuerySessionsTimingOut},
		{"query --output leaves nothing when the limit runs out mid-run", cliQueryLimitMidRun},
		{"query with the daily limit used up sends one query", cliQueryLimitUsedUp},
		{"logs download leaves no partial CSV after a cut", cliLogsCutDownload},
		{"logs download survives tokens revoked mid-download", cliLogsTokensRevoked},
		{"query interrupted on a slow server leaves nothing", cliQueryInterrupted},
		{"logs download interrupted mid-file leaves no partial CSV", cliLogsInterrupted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, bin)
		})
	}
}

func cliQueryCutPage(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{})
	want := o.addAccounts(t, 4500)
	o.srv.CutAfter(1, pagePath, 3000)
	res := newCLI(t, bin, o).run(t, "query", "SELECT Id FROM Account")
	if res.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
	sameSet(t, "query with a cut page", ndjsonIDs(t, strings.NewReader(res.stdout)), want)
}

func cliQueryTokensRevoked(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{wrap: beforePage2(func(srv *sftest.Server) { srv.RevokeAllTokens() })})
	want := o.addAccounts(t, 4500)
	c := newCLI(t, bin, o)
	out := filepath.Join(c.dir, "out", "accounts.ndjson")
	os.Mkdir(filepath.Dir(out), 0o700)
	res := c.run(t, "query", "--output", out, "SELECT Id FROM Account")
	if res.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sameSet(t, "query with tokens revoked", ndjsonIDs(t, f), want)
	if n := o.srv.TokenRequests(); n != 2 {
		t.Errorf("logins = %d, want 2 (the first and one after the revocation)", n)
	}
}

func cliQuerySessionsTimingOut(t *testing.T, bin string) {
	// The org's clock starts 15 minutes behind and jumps 3 minutes before every page after
	// the first, past the app's 2-minute session timeout.
	clock := &fakeClock{}
	clock.advance(-15 * time.Minute)
	app := sftest.DefaultApp()
	app.SessionTimeout = 2 * time.Minute
	o := startOrg(t, sftest.Config{Clock: clock.now, Apps: []sftest.App{app}}, orgOptions{wrap: beforeEachPage(func(*sftest.Server) {
		clock.advance(3 * time.Minute)
	})})
	want := o.addAccounts(t, 1000)
	res := newCLI(t, bin, o).run(t, "query", "--batch-size", "200", "SELECT Id FROM Account")
	if res.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
	sameSet(t, "query with sessions timing out", ndjsonIDs(t, strings.NewReader(res.stdout)), want)
	if n := o.srv.TokenRequests(); n != 5 {
		t.Errorf("logins = %d, want 5 (the first and one per later page)", n)
	}
}

func cliQueryLimitMidRun(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{wrap: beforePage2(func(srv *sftest.Server) { srv.ExhaustDailyLimit() })})
	o.addAccounts(t, 2500)
	c := newCLI(t, bin, o)
	outDir := filepath.Join(c.dir, "out")
	os.Mkdir(outDir, 0o700)
	res := c.run(t, "query", "--output", filepath.Join(outDir, "accounts.ndjson"), "SELECT Id FROM Account")
	want := "sfjwt query: --output " + filepath.Join(outDir, "accounts.ndjson") + ": after 2000 records: "
	if res.code != 1 || !strings.HasPrefix(res.stderr, want) || !strings.Contains(res.stderr, limitText) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1, %q… REQUEST_LIMIT_EXCEEDED", res.code, res.stderr, want)
	}
	if names := dirNames(t, outDir); len(names) != 0 {
		t.Errorf("the output folder holds %v after a failed query, want nothing", names)
	}
	if n := o.requests(0, pagePath); n != 1 {
		t.Errorf("page-2 requests = %d, want exactly 1 (403 is never retried)", n)
	}
}

func cliQueryLimitUsedUp(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{})
	o.addAccounts(t, 10)
	o.srv.ExhaustDailyLimit()
	res := newCLI(t, bin, o).run(t, "query", "SELECT Id FROM Account")
	if res.code != 1 || !strings.HasPrefix(res.stderr, "sfjwt query: after 0 records: ") || !strings.Contains(res.stderr, limitText) || res.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and REQUEST_LIMIT_EXCEEDED", res.code, res.stdout, res.stderr)
	}
	if n := o.requests(0, queryPath); n != 1 {
		t.Errorf("query requests = %d, want exactly 1", n)
	}
}

func cliLogsCutDownload(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{})
	ids, err := o.srv.AddEventLogFiles(3, 20000)
	if err != nil {
		t.Fatal(err)
	}
	o.srv.CutAfter(1, logFilePath+ids[1], 20000)
	c := newCLI(t, bin, o)
	outDir := filepath.Join(c.dir, "logs")
	res := c.run(t, "logs", "download", "--out", outDir)
	if res.code != 1 || !strings.Contains(res.stderr, "2 downloaded, 0 skipped, 1 failed") ||
		!strings.Contains(res.stderr, "sfjwt logs: 1 of 3 files failed; run again to retry them") {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and one failed file", res.code, res.stderr)
	}
	names := dirNames(t, outDir)
	if len(names) != 2 || strings.Contains(strings.Join(names, " "), ids[1]) {
		t.Errorf("files after the cut: %v; want the two whole files only, no partial or temporary file", names)
	}
	res = c.run(t, "logs", "download", "--out", outDir)
	if res.code != 0 || !strings.Contains(res.stderr, "1 downloaded, 2 skipped, 0 failed") {
		t.Fatalf("second run: exit %d, stderr:\n%s", res.code, res.stderr)
	}
	checkLogFiles(t, o, outDir, ids)
}

func cliLogsTokensRevoked(t *testing.T, bin string) {
	o := startOrg(t, sftest.Config{}, orgOptions{})
	var served atomic.Int32
	var ids []string
	for i := range 3 {
		body := eventLogBody(fmt.Sprintf("file%d", i))
		id, err := o.srv.AddEventLogFile(sftest.EventLogFile{LogDate: time.Date(2026, 11, 10+i, 0, 0, 0, 0, time.UTC), Size: int64(len(body)),
			Body: func(w io.Writer) error {
				if _, err := io.WriteString(w, body[:len(body)/2]); err != nil {
					return err
				}
				if served.Add(1) == 1 {
					o.srv.RevokeAllTokens()
				}
				_, err := io.WriteString(w, body[len(body)/2:])
				return err
			}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	c := newCLI(t, bin, o)
	outDir := filepath.Join(c.dir, "logs")
	res := c.run(t, "logs", "download", "--out", outDir)
	if res.code != 0 || !strings.Contains(res.stderr, "3 downloaded, 0 skipped, 0 failed") {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
	logins := o.srv.TokenRequests() // before checkLogFiles logs in itself
	checkLogFiles(t, o, outDir, ids)
	if n := logins; n != 2 {
		t.Errorf("logins = %d, want 2 (the first and one after the revocation)", n)
	}
}

// checkLogFiles asserts that outDir holds exactly one CSV per ID, each the whole body the
// emulator serves for it.
func checkLogFiles(t *testing.T, o *org, outDir string, ids []string) {
	t.Helper()
	names := dirNames(t, outDir)
	if len(names) != len(ids) {
		t.Fatalf("files: %v, want %d", names, len(ids))
	}
	for _, id := range ids {
		matches, _ := filepath.Glob(filepath.Join(outDir, "*_"+id+".csv"))
		if len(matches) != 1 {
			t.Errorf("no single CSV for %s in %v", id, names)
			continue
		}
		got, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		if _, err := o.client.DownloadEventLogFile(t.Context(), sfclientFile(id), &want, nil); err != nil {
			t.Fatalf("reference download of %s: %v", id, err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: %d bytes, want the whole %d-byte file", matches[0], len(got), want.Len())
		}
	}
}
