package sfclient_test

import (
	"net/http"
	"testing"
)

// TestQueryMemoryBoundedByPage iterates 100,000 rows and checks that the live heap never grows
// by more than a few pages, whatever the number of rows.
func TestQueryMemoryBoundedByPage(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows: skipped with -short")
	}
	rows := 100000
	if raceEnabled {
		rows = 20000 // ten pages: enough to see growth, bounded under the race detector
	}
	pages := benchPages(rows)
	pageSize := len(pages["/services/data/v66.0/query"])
	c := benchClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(pages[r.URL.Path])
	}))
	base := liveHeap()
	var peak uint64
	n := 0
	for _, err := range c.Query(t.Context(), "SELECT Id FROM Account", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n%(rows/10) == 1000 {
			peak = max(peak, liveHeap())
		}
	}
	growth := int64(peak) - int64(base)
	t.Logf("page %d KiB, peak live heap growth %d KiB over %d rows", pageSize>>10, growth>>10, n)
	if n != rows || growth > int64(4*pageSize) {
		t.Errorf("rows %d, live heap grew by %d bytes; want %d rows and at most 4 pages (%d bytes)", n, growth, rows, 4*pageSize)
	}
}
