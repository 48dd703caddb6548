package e2e

import (
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// interruptGrace bounds how long sfjwt may take to exit after SIGINT: a process start-up and
// shutdown, far below the server's stall.
const interruptGrace = 2 * time.Second

// stallOn makes the emulator stall requests whose path starts with prefix until the client
// goes away, after writing head (when not empty) as the start of a 200 answer. The returned
// channel is closed when the first such request arrives.
func stallOn(prefix, head string) (func(*sftest.Server, http.Handler) http.Handler, <-chan struct{}) {
	arrived := make(chan struct{})
	var once sync.Once
	return func(_ *sftest.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, prefix) {
				next.ServeHTTP(w, r)
				return
			}
			if head != "" {
				w.Header().Set("Content-Type", "application/octetstream")
				w.WriteHeader(http.StatusOK)
				io.WriteString(w, head)
				w.(http.Flusher).Flush()
			}
			once.Do(func() { close(arrived) })
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
		})
	}, arrived
}

// interrupted reports whether sfjwt's error says it was stopped: the signal context's cause,
// or (when the stop was noticed from a cancelled body read) context.Canceled.
func interrupted(stderr string) bool {
	return strings.Contains(stderr, ": interrupt signal received") || strings.HasSuffix(stderr, ": context canceled\n")
}

func cliQueryInterrupted(t *testing.T, bin string) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT cannot be sent to a process on Windows")
	}
	wrap, arrived := stallOn(queryPath, "")
	o := startOrg(t, sftest.Config{}, orgOptions{wrap: wrap})
	o.addAccounts(t, 10)
	c := newCLI(t, bin, o)
	out := filepath.Join(c.dir, "out")
	mkdir(t, out)
	res := c.runInterrupted(t, arrived, "query", "--output", filepath.Join(out, "accounts.ndjson"), "SELECT Id FROM Account")
	if res.code != 1 || !interrupted(res.stderr) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and the cancellation", res.code, res.stderr)
	}
	if res.afterInterrupt > interruptGrace {
		t.Errorf("sfjwt took %v to exit after SIGINT, want under %v", res.afterInterrupt, interruptGrace)
	}
	if names := dirNames(t, out); len(names) != 0 {
		t.Errorf("the output folder holds %v after an interrupted query, want nothing", names)
	}
}

func cliLogsInterrupted(t *testing.T, bin string) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT cannot be sent to a process on Windows")
	}
	wrap, arrived := stallOn(logFilePath, "\"EVENT_TYPE\",\"NAME\"\n"+strings.Repeat("\"API\",\"x\"\n", 2000))
	o := startOrg(t, sftest.Config{}, orgOptions{wrap: wrap})
	if _, err := o.srv.AddEventLogFiles(2, 100); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, bin, o)
	out := filepath.Join(c.dir, "logs")
	res := c.runInterrupted(t, arrived, "logs", "download", "--out", out)
	if res.code != 1 || !interrupted(res.stderr) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and the cancellation", res.code, res.stderr)
	}
	if res.afterInterrupt > interruptGrace {
		t.Errorf("sfjwt took %v to exit after SIGINT, want under %v", res.afterInterrupt, interruptGrace)
	}
	if names := dirNames(t, out); len(names) != 0 {
		t.Errorf("the output folder holds %v after an interrupted download, want no partial CSV", names)
	}
}
