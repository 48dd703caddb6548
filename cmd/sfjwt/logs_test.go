package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

type logsFixture struct {
	*loginFixture
	ids    map[string]string // name → ID
	bodies map[string]string // ID → CSV
}

// newLogsFixture adds Login files for Nov 20 and 21, an API file for Nov 21 and an hourly
// Login file on Nov 22 at 13:00.
func newLogsFixture(t *testing.T) *logsFixture {
	t.Helper()
	f := &logsFixture{loginFixture: newLoginFixture(t, sftest.Config{NoSampleData: true}), ids: map[string]string{}, bodies: map[string]string{}}
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, l := range []struct {
		name, typ, interval string
		at                  time.Time
	}{
		{"login20", "Login", "", day},
		{"login21", "Login", "", day.AddDate(0, 0, 1)},
		{"api21", "API", "", day.AddDate(0, 0, 1)},
		{"hourly22", "Login", "Hourly", day.AddDate(0, 0, 2).Add(13 * time.Hour)},
	} {
		body := fmt.Sprintf("\"EVENT_TYPE\",\"NAME\"\n%q,%q\n", l.typ, l.name) + strings.Repeat("\"x\",\"y\"\n", 5000)
		id, err := f.srv.AddEventLogFile(sftest.EventLogFile{EventType: l.typ, LogDate: l.at, Interval: l.interval,
			Body: func(w io.Writer) error { _, err := io.WriteString(w, body); return err }})
		if err != nil {
			t.Fatal(err)
		}
		f.ids[l.name], f.bodies[id] = id, body
	}
	return f
}

func TestLogsList(t *testing.T) {
	f := newLogsFixture(t)
	te := newTestEnv(t)
	if code := te.run(t, f.cmdArgs("logs", "list", "--type", "Login", "--since", "2026-11-20", "--until", "2026-11-22")...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	lines := strings.Split(strings.TrimSpace(te.Stdout.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID ") ||
		!strings.Contains(lines[1], f.ids["login20"]+"  Login  2026-11-20T00:00:00Z  Daily") ||
		!strings.Contains(lines[2], f.ids["login21"]) {
		t.Errorf("stdout:\n%s\nwant a header and the two daily Login files", te.Stdout)
	}
	if te.Stderr.String() != "2 event log files\n" {
		t.Errorf("stderr = %q, want the count", te.Stderr)
	}

	te = newTestEnv(t)
	if code := te.run(t, f.cmdArgs("logs", "list", "--json", "--interval", "hourly")...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	var got struct {
		ID, EventType, LogDate, Interval string
		LogFileLength                    int64
	}
	if err := json.Unmarshal(te.Stdout.Bytes(), &got); err != nil || got.ID != f.ids["hourly22"] || got.LogDate != "2026-11-22T13:00:00Z" ||
		got.Interval != "Hourly" || got.LogFileLength != int64(len(f.bodies[got.ID])) {
		t.Errorf("--json output %q (%v), want the hourly file", te.Stdout, err)
	}
}

func TestLogsDownloadSkipsWholeFiles(t *testing.T) {
	f := newLogsFixture(t)
	dir := filepath.Join(t.TempDir(), "logs")
	te := newTestEnv(t)
	if code := te.run(t, f.cmdArgs("logs", "download", "--out", dir)...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	want := map[string]string{
		"Login_2026-11-20_" + f.ids["login20"] + ".csv":     f.ids["login20"],
		"Login_2026-11-21_" + f.ids["login21"] + ".csv":     f.ids["login21"],
		"API_2026-11-21_" + f.ids["api21"] + ".csv":         f.ids["api21"],
		"Login_2026-11-22-13_" + f.ids["hourly22"] + ".csv": f.ids["hourly22"],
	}
	checkDir(t, dir, want, f.bodies)
	if te.Stderr.String() != "4 downloaded, 0 skipped, 0 failed\n" {
		t.Errorf("stderr = %q: a progress bar or noise when stderr is not a terminal", te.Stderr)
	}

	before := len(f.srv.Requests())
	te = newTestEnv(t)
	if code := te.run(t, f.cmdArgs("logs", "download", "--out", dir)...); code != 0 {
		t.Fatalf("second run: exit %d, stderr:\n%s", code, te.Stderr)
	}
	for _, r := range f.srv.Requests()[before:] {
		if strings.HasSuffix(r.Path, "/LogFile") {
			t.Errorf("second run downloaded %s again", r.Path)
		}
	}
	if !strings.Contains(te.Stderr.String(), "0 downloaded, 4 skipped, 0 failed") {
		t.Errorf("second run stderr = %q", te.Stderr)
	}
}

func TestLogsDownloadCutThenResume(t *testing.T) {
	f := newLogsFixture(t)
	dir := t.TempDir()
	f.srv.CutAfter(10, "/services/data/v66.0/sobjects/EventLogFile/"+f.ids["login21"], 60)
	te := newTestEnv(t)
	code := te.run(t, f.cmdArgs("logs", "download", "--type", "Login", "--out", dir)...)
	if code != 1 || !strings.Contains(te.Stderr.String(), "2 downloaded, 0 skipped, 1 failed") ||
		!strings.Contains(te.Stderr.String(), "sfjwt logs: 1 of 3 files failed; run again to retry them") {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 with one failed file", code, te.Stderr)
	}
	checkDir(t, dir, map[string]string{
		"Login_2026-11-20_" + f.ids["login20"] + ".csv":     f.ids["login20"],
		"Login_2026-11-22-13_" + f.ids["hourly22"] + ".csv": f.ids["hourly22"],
	}, f.bodies)

	f.srv.ClearFaults()
	te = newTestEnv(t)
	te.stderrIsTerminal = func() bool { return true }
	if code := te.run(t, f.cmdArgs("logs", "download", "--type", "Login", "--out", dir)...); code != 0 {
		t.Fatalf("resume: exit %d, stderr:\n%s", code, te.Stderr)
	}
	if !strings.Contains(te.Stderr.String(), "] 100% ") || !strings.Contains(te.Stderr.String(), "1 downloaded, 2 skipped, 0 failed") {
		t.Errorf("resume stderr = %q, want a progress bar reaching 100%% and the summary", te.Stderr)
	}
	checkDir(t, dir, map[string]string{
		"Login_2026-11-20_" + f.ids["login20"] + ".csv":     f.ids["login20"],
		"Login_2026-11-21_" + f.ids["login21"] + ".csv":     f.ids["login21"],
		"Login_2026-11-22-13_" + f.ids["hourly22"] + ".csv": f.ids["hourly22"],
	}, f.bodies)
}

// checkDir asserts that dir holds exactly the files of want (name → ID) with their bodies,
// mode 0600, and no temporary file.
func checkDir(t *testing.T, dir string, want map[string]string, bodies map[string]string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names, wantNames []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for n := range want {
		wantNames = append(wantNames, n)
	}
	sort.Strings(names)
	sort.Strings(wantNames)
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	}
	for n, id := range want {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil || string(data) != bodies[id] {
			t.Errorf("%s: %d bytes, %v; want the %d-byte body", n, len(data), err, len(bodies[id]))
		}
		if info, _ := os.Stat(filepath.Join(dir, n)); info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", n, info.Mode().Perm())
		}
	}
}

func TestLogsUsageErrors(t *testing.T) {
	f := newLogsFixture(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no sub-command", []string{"logs"}, "sfjwt logs: logs needs a sub-command: list or download"},
		{"unknown sub-command", []string{"logs", "fetch"}, `sfjwt logs: unknown logs sub-command "fetch": want list or download`},
		{"no out", f.cmdArgs("logs", "download"), "sfjwt logs: --out DIR is required"},
		{"bad since", f.cmdArgs("logs", "list", "--since", "yesterday"), `sfjwt logs: --since: "yesterday" is not a date like 2026-11-20 or 2026-11-20T15:00:00Z`},
		{"until before since", f.cmdArgs("logs", "list", "--since", "2026-11-21", "--until", "2026-11-20"), "sfjwt logs: --until 2026-11-20 is not after --since 2026-11-21"},
		{"bad interval", f.cmdArgs("logs", "list", "--interval", "weekly"), `sfjwt logs: --interval "weekly": want Daily or Hourly`},
		{"extra argument", f.cmdArgs("logs", "list", "now"), `sfjwt logs: unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			if code := te.run(t, tt.args...); code != 2 || !strings.HasPrefix(te.Stderr.String(), tt.want+"\n") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and %q", code, te.Stderr, tt.want)
			}
		})
	}
}

// A file present under its final name but shorter than Salesforce's LogFileLength (damaged,
// or left by another tool) is downloaded again, not skipped as whole.
func TestLogsDownloadReplacesTruncatedFile(t *testing.T) {
	f := newLogsFixture(t)
	dir := filepath.Join(t.TempDir(), "logs")
	if code := newTestEnv(t).run(t, f.cmdArgs("logs", "download", "--out", dir)...); code != 0 {
		t.Fatal("first download failed")
	}
	name := filepath.Join(dir, "API_2026-11-21_"+f.ids["api21"]+".csv")
	if err := os.Truncate(name, 10); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	if code := te.run(t, f.cmdArgs("logs", "download", "--out", dir)...); code != 0 {
		t.Fatalf("exit %d: %s", code, te.Stderr)
	}
	if got, _ := os.ReadFile(name); string(got) != f.bodies[f.ids["api21"]] {
		t.Errorf("truncated file not replaced: %d bytes", len(got))
	}
	if !strings.Contains(te.Stderr.String(), "has 10 bytes") || !strings.Contains(te.Stderr.String(), "1 downloaded, 3 skipped, 0 failed") {
		t.Errorf("stderr = %q", te.Stderr)
	}
}
