package sfclient_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
	"golang.org/x/oauth2"
)

// benchPages renders a query result of rows records in pages of 2,000, as Salesforce sends it.
func benchPages(rows int) map[string][]byte {
	pages := map[string][]byte{}
	for start, p := 0, 0; start < rows || p == 0; p++ {
		end := min(start+2000, rows)
		var b bytes.Buffer
		path := "/services/data/v66.0/query"
		if p > 0 {
			path = fmt.Sprintf("/services/data/v66.0/query/01gBENCH-%d", start)
		}
		next := ""
		if end < rows {
			next = fmt.Sprintf(`,"nextRecordsUrl":"/services/data/v66.0/query/01gBENCH-%d"`, end)
		}
		fmt.Fprintf(&b, `{"totalSize":%d,"done":%t%s,"records":[`, rows, end == rows, next)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001Bm00000%08dAAA"},"Id":"001Bm00000%08dAAA","Name":"Account %06d","Industry":"Technology","NumberOfEmployees":%d,"CreatedDate":"2026-11-20T10:00:00.000+0000"}`, i, i, i, i)
		}
		b.WriteString("]}")
		pages[path] = b.Bytes()
		start = end
		if rows == 0 {
			break
		}
	}
	return pages
}

func benchClient(b testing.TB, h http.Handler) *sfclient.Client {
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	c, err := sfclient.New(sfclient.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench"}),
		InstanceURL: srv.URL, APIVersion: "66.0", HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkQueryDecode100k decodes a 100,000-row query into a struct type, from pre-rendered
// pages served on loopback, and reports records/s, allocations per record and the peak heap
// live heap while iterating (sampled after a forced collection every 20,000 records, timer
// stopped).
func BenchmarkQueryDecode100k(b *testing.B) {
	const rows = 100000
	pages := benchPages(rows)
	c := benchClient(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(pages[r.URL.Path])
	}))
	type account struct {
		ID                string `json:"Id"`
		Name              string `json:"Name"`
		Industry          string `json:"Industry"`
		NumberOfEmployees int    `json:"NumberOfEmployees"`
		CreatedDate       string `json:"CreatedDate"`
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	var mallocs uint64
	for b.Loop() {
		n := 0
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		for _, err := range sfclient.Decode[account](c.Query(b.Context(), "SELECT Id FROM Account", nil)) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%20000 == 0 {
				b.StopTimer()
				runtime.ReadMemStats(&ms)
				mallocs += ms.Mallocs - before
				peak = max(peak, liveHeap())
				runtime.ReadMemStats(&ms)
				before = ms.Mallocs
				b.StartTimer()
			}
		}
		if n != rows {
			b.Fatalf("records = %d, want %d", n, rows)
		}
	}
	records := float64(rows) * float64(b.N)
	b.ReportMetric(records/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(mallocs)/records, "allocs/record")
	b.ReportMetric(float64(int64(peak)-int64(base))/(1<<20), "peak-live-heap-MiB")
}

// liveHeap returns the heap in use by live objects, after a collection.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkQueryAgainstSftest is the same 100,000-row query served by the emulator over TLS
// (its SOQL evaluation and JSON rendering included).
func BenchmarkQueryAgainstSftest(b *testing.B) {
	srv, c, _ := newOrg(b, sftest.Config{})
	if _, err := srv.AddAccounts(100000); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		for _, err := range c.Query(b.Context(), "SELECT Id, Name, Industry FROM Account", nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100000 {
			b.Fatalf("records = %d", n)
		}
	}
	b.ReportMetric(100000*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkEventLogFileDownload streams 256 MiB of gzip-encoded CSV (a pre-compressed 4 MiB
// member repeated) through DownloadEventLogFile into io.Discard: the client's decompress and
// copy rate.
func BenchmarkEventLogFileDownload(b *testing.B) {
	var chunk bytes.Buffer
	row := `"API","20261120100000.000","TID000000000000001","00D000000000001","005000000000001","000123","000456","/services/data/v66.0/query","10.0.0.1","2026-11-20T10:00:00.000Z"` + "\n"
	zw := gzip.NewWriter(&chunk)
	plain := strings.Repeat(row, (4<<20)/len(row))
	io.WriteString(zw, plain)
	zw.Close()
	const repeats = 64
	c := benchClient(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		for range repeats {
			w.Write(chunk.Bytes())
		}
	}))
	b.SetBytes(int64(len(plain)) * repeats)
	for b.Loop() {
		n, err := c.DownloadEventLogFile(b.Context(), sfclient.EventLogFile{ID: "0AT000000000001AAA"}, io.Discard, nil)
		if err != nil || n != int64(len(plain))*repeats {
			b.Fatalf("Download = %d, %v", n, err)
		}
	}
}

// BenchmarkEventLogFileFromSftest downloads a generated 64 MiB file from the emulator (TLS,
// gzip compression and CSV generation on the server side included).
func BenchmarkEventLogFileFromSftest(b *testing.B) {
	srv, c, _ := newOrg(b, sftest.Config{})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(64 << 20)
	for b.Loop() {
		if _, err := c.DownloadEventLogFile(b.Context(), sfclient.EventLogFile{ID: id}, io.Discard, nil); err != nil {
			b.Fatal(err)
		}
	}
}
