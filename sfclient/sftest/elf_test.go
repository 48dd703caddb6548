package sftest_test

import (
	"bufio"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestEventLogFileQueryAndDownload(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	ids, err := srv.AddEventLogFiles(2, 25)
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	res := get(t, srv, tok, queryPath("SELECT Id, EventType, LogDate, Interval, Sequence, LogFileLength, LogFile FROM EventLogFile WHERE LogDate = LAST_N_DAYS:7 ORDER BY LogDate"))
	var p page
	decode(t, res.body, &p)
	if p.TotalSize != 2 {
		t.Fatalf("totalSize %d, want 2: %s", p.TotalSize, res.body)
	}
	rec := p.Records[0]
	wantURL := "/services/data/v66.0/sobjects/EventLogFile/" + ids[0] + "/LogFile"
	if rec["LogFile"] != wantURL || rec["EventType"] != "API" || rec["Interval"] != "Daily" || rec["Sequence"] != float64(1) {
		t.Errorf("record = %v", rec)
	}
	if !strings.HasPrefix(ids[0], "0AT") {
		t.Errorf("ID %s lacks the 0AT key prefix", ids[0])
	}
	body := get(t, srv, tok, wantURL)
	if got := body.header.Get("Content-Type"); got != "application/octetstream" {
		t.Errorf("Content-Type = %q, want application/octetstream", got)
	}
	if float64(len(body.body)) != rec["LogFileLength"] {
		t.Errorf("body is %d bytes, LogFileLength %v", len(body.body), rec["LogFileLength"])
	}
	rows, err := csv.NewReader(strings.NewReader(body.body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(rows) != 26 || rows[0][0] != "EVENT_TYPE" || rows[1][0] != "API" {
		t.Errorf("got %d CSV rows, header %v; want 26 with EVENT_TYPE first", len(rows), rows[0])
	}
	if res := get(t, srv, tok, "/services/data/v66.0/sobjects/EventLogFile/"+ids[0]+"/Bogus"); res.status != 404 {
		t.Errorf("unknown blob field: %d, want 404", res.status)
	}
}

func TestEventLogFileExactSizeAndCustomBody(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	tok := login(t, srv)
	for _, size := range []int64{1, 400, 1000, 65537, 1 << 20} {
		id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: size, EventType: "Login", Interval: "Hourly", Sequence: 3})
		if err != nil {
			t.Fatal(err)
		}
		res := get(t, srv, tok, "/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile")
		rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
		if err != nil {
			t.Fatalf("size %d: CSV: %v", size, err)
		}
		if int64(len(res.body)) != size && size > 1000 {
			t.Errorf("size %d: got %d bytes", size, len(res.body))
		}
		if len(rows) < 2 {
			t.Errorf("size %d: %d rows, want a header and at least one row", size, len(rows))
		}
	}
	custom := "\"A\",\"B\"\n\"1\",\"2\"\n"
	id, err := srv.AddEventLogFile(sftest.EventLogFile{FieldNames: []string{"A", "B"}, FieldTypes: []string{"String", "String"},
		Body: func(w io.Writer) error { _, err := io.WriteString(w, custom); return err }})
	if err != nil {
		t.Fatal(err)
	}
	if res := get(t, srv, tok, "/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile"); res.body != custom {
		t.Errorf("custom body = %q, want %q", res.body, custom)
	}
	res := get(t, srv, tok, "/services/data/v66.0/sobjects/EventLogFile/"+id+"?fields=LogFileLength,LogFileFieldNames")
	var rec map[string]any
	decode(t, res.body, &rec)
	if rec["LogFileLength"] != float64(len(custom)) || rec["LogFileFieldNames"] != "A,B" {
		t.Errorf("record = %s", res.body)
	}
}

// TestEventLogFileLarge streams a generated 128 MiB log file (1 GiB with SFTEST_1GIB=1);
// the server generates it on the fly and never holds it.
func TestEventLogFileLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large download skipped in -short mode")
	}
	size := int64(128 << 20)
	if os.Getenv("SFTEST_1GIB") == "1" {
		size = 1 << 30
	}
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: size})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Encoding", "identity") // measure streaming, not compression
	start := time.Now()
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	br := bufio.NewReaderSize(res.Body, 1<<20)
	header, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(header, `"EVENT_TYPE"`) {
		t.Fatalf("header %q, %v", header, err)
	}
	n, err := io.Copy(io.Discard, br)
	if err != nil {
		t.Fatal(err)
	}
	if got := n + int64(len(header)); got != size {
		t.Errorf("downloaded %d bytes, want %d", got, size)
	}
	t.Logf("%d MiB in %v", size>>20, time.Since(start))
}

// TestEventLogFileBodyError: a Body that fails mid-way breaks the connection, so the client
// cannot mistake the partial file for a whole one.
func TestEventLogFileBodyError(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 100, Body: func(w io.Writer) error {
		_, _ = io.WriteString(w, "\"A\"\n")
		return io.ErrClosedPipe
	}})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := srv.Client().Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Error("download of a failing body succeeded; want a transport error")
	}
}
