package sfclient_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

type loginRow struct {
	ID        string `json:"Id"`
	LoginTime string `json:"LoginTime"`
}

// readRun reads LoginHistory from cur, stopping after limit records (0: all), and returns the
// IDs read and the cursor after a JSON round trip, as a connector would persist it.
func readRun(t *testing.T, c *sfclient.Client, cur sfclient.Cursor, limit int) ([]string, sfclient.Cursor) {
	t.Helper()
	r, err := c.NewIncremental(sfclient.IncrementalQuery{Object: "LoginHistory", TimeField: "LoginTime", Fields: []string{"Status"}, BatchSize: 200}, cur)
	if err != nil {
		t.Fatalf("NewIncremental: %v", err)
	}
	var ids []string
	for l, err := range sfclient.Decode[loginRow](r.Records(t.Context())) {
		if err != nil {
			t.Fatalf("Records: %v", err)
		}
		ids = append(ids, l.ID)
		if limit > 0 && len(ids) == limit {
			break
		}
	}
	b, err := json.Marshal(r.Cursor())
	if err != nil {
		t.Fatal(err)
	}
	var next sfclient.Cursor
	if err := json.Unmarshal(b, &next); err != nil {
		t.Fatal(err)
	}
	return ids, next
}

func TestE2EIncrementalTiesAcrossRuns(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	uid, err := srv.UserID(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	add := func(n int, at time.Time) []string {
		ids, err := srv.AddRecords("LoginHistory", sftest.LoginHistoryRecords(n, uid, at, 0)...)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	var want []string
	want = append(want, add(5, base.Add(250*time.Millisecond))...)
	want = append(want, add(300, base.Add(750*time.Millisecond))...) // same second, a tie spanning pages
	want = append(want, add(3, base.Add(2*time.Second))...)

	got, cur := readRun(t, c, sfclient.Cursor{}, 100) // stops inside the tie
	if !cur.Time.Equal(base.Add(750*time.Millisecond)) || len(cur.IDs) != 95 {
		t.Errorf("cursor after run 1 = %v with %d IDs, want the tie's time with 95 IDs", cur.Time, len(cur.IDs))
	}
	want = append(want, add(4, base.Add(750*time.Millisecond))...) // late rows sharing the cursor's time
	more, cur := readRun(t, c, cur, 0)
	got = append(got, more...)
	want = append(want, add(2, base.Add(2*time.Second))...) // late rows sharing the new cursor's time
	want = append(want, add(2, base.Add(time.Hour))...)
	more, cur = readRun(t, c, cur, 0)
	got = append(got, more...)
	last, _ := readRun(t, c, cur, 0)

	if len(last) != 0 {
		t.Errorf("a run with nothing new returned %d records, want 0", len(last))
	}
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("record %s delivered %d times, want once", id, seen[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("delivered %d records, want %d", len(got), len(want))
	}
}

func TestE2EIncrementalResumesAfterFailure(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	uid, _ := srv.UserID(sftest.DefaultUsername)
	ids, err := srv.AddRecords("LoginHistory", sftest.LoginHistoryRecords(1000, uid, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), 0)...)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.NewIncremental(sfclient.IncrementalQuery{Object: "LoginHistory", TimeField: "LoginTime", BatchSize: 200}, sfclient.Cursor{})
	var got []string
	var gotErr error
	for l, err := range sfclient.Decode[loginRow](r.Records(t.Context())) {
		if err != nil {
			gotErr = err
			break
		}
		got = append(got, l.ID)
		if len(got) == 300 {
			srv.FailNext(sftest.Fault{Count: 100, PathPrefix: queryPath, Status: 500})
		}
	}
	if gotErr == nil || len(got) != 400 {
		t.Fatalf("first run: %d records, err %v; want 400 then the 500", len(got), gotErr)
	}
	srv.ClearFaults()
	more, _ := readRun(t, c, r.Cursor(), 0)
	got = append(got, more...)
	if len(got) != len(ids) {
		t.Errorf("delivered %d records over both runs, want %d", len(got), len(ids))
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("record %s delivered twice", id)
		}
		seen[id] = true
	}
}

func TestE2EIncrementalRefusesBadNames(t *testing.T) {
	t.Parallel()
	_, c, _ := newOrg(t, sftest.Config{})
	for _, q := range []sfclient.IncrementalQuery{
		{Object: "", TimeField: "CreatedDate"},
		{Object: "Account WHERE", TimeField: "CreatedDate"},
		{Object: "Account", TimeField: "CreatedDate; DELETE"},
		{Object: "Account", TimeField: "CreatedDate", Fields: []string{"Name,(SELECT Id FROM Contacts)"}},
	} {
		if _, err := c.NewIncremental(q, sfclient.Cursor{}); !errors.Is(err, sfclient.ErrInvalidArgument) {
			t.Errorf("NewIncremental(%+v): err = %v, want ErrInvalidArgument", q, err)
		}
	}
}

func TestE2EEventLogFiles(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	body := "\"EVENT_TYPE\",\"USER_ID\"\n\"Login\",\"005000000000001\"\n"
	loginID, err := srv.AddEventLogFile(sftest.EventLogFile{EventType: "Login", LogDate: day,
		Body: func(w io.Writer) error { _, err := io.WriteString(w, body); return err }})
	if err != nil {
		t.Fatal(err)
	}
	for i, typ := range []string{"API", "Login", "API"} {
		if _, err := srv.AddEventLogFile(sftest.EventLogFile{EventType: typ, LogDate: day.AddDate(0, 0, i+1), Rows: 5}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for f, err := range c.EventLogFiles(t.Context(), sfclient.EventLogFilter{EventType: "Login", Since: day, Until: day.AddDate(0, 0, 2)}) {
		if err != nil {
			t.Fatalf("EventLogFiles: %v", err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %d", f.ID, f.EventType, f.LogDate.Format(time.DateOnly), f.LogFileLength))
	}
	want := fmt.Sprintf("%s Login 2026-11-20 %d", loginID, len(body))
	if len(got) != 1 || got[0] != want {
		t.Errorf("EventLogFiles = %q, want [%q]", got, want)
	}

	var buf bytes.Buffer
	n, err := c.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: loginID}, &buf, nil)
	if err != nil || n != int64(len(body)) || buf.String() != body {
		t.Errorf("Download = %d %q, %v; want the body", n, buf.String(), err)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if !strings.HasSuffix(last.Path, "/sobjects/EventLogFile/"+loginID+"/LogFile") {
		t.Errorf("download path = %s", last.Path)
	}
}

func TestE2EEventLogFileCut(t *testing.T) {
	t.Parallel()
	srv, c, _ := newOrg(t, sftest.Config{})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	f := sfclient.EventLogFile{ID: id, LogFileLength: 4 << 20}
	const full = 4 << 20

	srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 0) // before any byte: retried
	n, err := c.DownloadEventLogFile(t.Context(), f, io.Discard, nil)
	if err != nil || n != full {
		t.Errorf("cut before the first byte: %d, %v; want the whole file after a retry", n, err)
	}
	srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 64<<10) // mid-body: returned
	n, err = c.DownloadEventLogFile(t.Context(), f, io.Discard, nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) || n == 0 || n >= full {
		t.Errorf("cut mid-body: %d bytes, err %v; want a partial count and io.ErrUnexpectedEOF", n, err)
	}
}

func TestE2EEventLogFile1GiBFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB download: skipped with -short")
	}
	srv, c, _ := newOrg(t, sftest.Config{})
	size := int64(1 << 30)
	if raceEnabled {
		size = 32 << 20 // the race detector makes 1 GiB take many minutes; memory must stay flat all the same
	}
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: size})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseline := ms.HeapInuse
	w := &peakWriter{every: 16 << 20}
	start := time.Now()
	n, err := c.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, w, nil)
	if err != nil || n != size {
		t.Fatalf("Download = %d, %v; want %d bytes", n, err, size)
	}
	growth := int64(w.peak) - int64(baseline)
	t.Logf("%d MiB in %v (%.0f MB/s), peak heap growth %d KiB", size>>20, time.Since(start), float64(n)/1e6/time.Since(start).Seconds(), growth>>10)
	if limit := min(32<<20, size/4); growth > limit {
		t.Errorf("heap grew by %d KiB while streaming %d MiB, want under %d KiB", growth>>10, size>>20, limit>>10)
	}
}

// peakWriter discards bytes and samples the heap every so many bytes.
type peakWriter struct {
	every, next, n int64
	peak           uint64
}

func (p *peakWriter) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if p.n >= p.next {
		p.next += p.every
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.peak = max(p.peak, ms.HeapInuse)
	}
	return len(b), nil
}
