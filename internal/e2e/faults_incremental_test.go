package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestFaultIncrementalResumesAcrossFaults reads LoginHistory the way a SIEM connector does:
// an incremental reader whose cursor is persisted as JSON between runs. Records share their
// LoginTime seven at a time, so page boundaries fall inside groups of ties. The first run ends
// on a 500, the second survives a cut page and a revocation; together they deliver every
// record exactly once, and a third run finds nothing new. Not parallel (noLeak).
func TestFaultIncrementalResumesAcrossFaults(t *testing.T) {
	noLeak(t, func() {
		o := startOrg(t, sftest.Config{}, orgOptions{})
		defer o.close()
		uid, err := o.srv.UserID(sftest.DefaultUsername)
		if err != nil {
			t.Fatal(err)
		}
		var recs []sftest.Record
		start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		for g := range 150 { // 150 groups of 7 ties: 1,050 records
			recs = append(recs, sftest.LoginHistoryRecords(7, uid, start.Add(time.Duration(g)*time.Minute), 0)...)
		}
		ids, err := o.srv.AddRecords("LoginHistory", recs...)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, id := range ids {
			want[id] = true
		}
		o.warm(t)
		q := sfclient.IncrementalQuery{Object: "LoginHistory", TimeField: "LoginTime", Fields: []string{"Id", "LoginTime"}, BatchSize: 200}
		seen := map[string]bool{}
		run := func(cursor []byte, during func(n int)) ([]byte, error) {
			t.Helper()
			var from sfclient.Cursor
			if err := json.Unmarshal(cursor, &from); err != nil {
				t.Fatalf("cursor %s: %v", cursor, err)
			}
			r, err := o.client.NewIncremental(q, from)
			if err != nil {
				t.Fatal(err)
			}
			got, err := drain(t, r.Records(t.Context()), during)
			for id := range got {
				if seen[id] {
					t.Errorf("record %s delivered by two runs", id)
				}
				seen[id] = true
			}
			next, merr := json.Marshal(r.Cursor())
			if merr != nil {
				t.Fatal(merr)
			}
			return next, err
		}

		o.srv.FailNext(sftest.Fault{Count: 1, PathPrefix: pagePath, Status: http.StatusInternalServerError})
		cursor, err := run([]byte(`{}`), nil)
		if err == nil || len(seen) != 200 {
			t.Fatalf("run 1: %d records, err %v; want the 200 of page 1, then the 500", len(seen), err)
		}
		o.srv.CutAfter(1, pagePath, 2000)
		cursor, err = run(cursor, func(n int) {
			if n == 300 {
				o.srv.RevokeAllTokens()
			}
		})
		if err != nil {
			t.Fatalf("run 2: %v", err)
		}
		sameSet(t, "runs 1 and 2", seen, want)
		if _, err := run(cursor, func(int) { t.Errorf("run 3 delivered a record again") }); err != nil {
			t.Fatalf("run 3: %v", err)
		}
	})
}
