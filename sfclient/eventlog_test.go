package sfclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const csvBody = "\"EVENT_TYPE\",\"TIMESTAMP\"\n\"Login\",\"20261122100000.000\"\n"

func TestDownloadEventLogFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		gzipped bool
		length  int64
		body    string
		want    error
	}{
		{"gzip", true, int64(len(csvBody)), csvBody, nil},
		{"plain", false, 0, csvBody, nil},
		{"length reported wrong", false, int64(len(csvBody)) + 10, csvBody, nil},
		{"cut gzip", true, 0, "", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var accept string
			c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/services/data/v62.0/sobjects/EventLogFile/0AT000000000001AAA/LogFile" {
					sfError(w, 404, "NOT_FOUND", r.URL.Path)
					return
				}
				accept = r.Header.Get("Accept-Encoding")
				w.Header().Set("Content-Type", "application/octetstream")
				if tt.gzipped && tt.body == "" {
					w.Header().Set("Content-Encoding", "gzip")
					var z bytes.Buffer
					zw := gzip.NewWriter(&z)
					io.WriteString(zw, strings.Repeat(csvBody, 100))
					zw.Close()
					w.Write(z.Bytes()[:z.Len()-6]) // trailer missing
					return
				}
				if tt.gzipped {
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					io.WriteString(zw, tt.body)
					zw.Close()
					return
				}
				io.WriteString(w, tt.body)
			})
			var buf bytes.Buffer
			var calls int
			var last [2]int64
			n, err := c.DownloadEventLogFile(t.Context(), EventLogFile{ID: "0AT000000000001AAA", LogFileLength: tt.length}, &buf,
				func(w, total int64) { calls++; last = [2]int64{w, total} })
			if accept != "gzip" {
				t.Errorf("Accept-Encoding = %q, want gzip", accept)
			}
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil || n != int64(len(csvBody)) || buf.String() != csvBody {
				t.Errorf("got %d bytes %q, %v; want the CSV", n, buf.String(), err)
			}
			if calls == 0 || last[0] != n {
				t.Errorf("progress calls = %d, last = %v; want a last call with %d", calls, last, n)
			}
		})
	}
}

type failWriter struct{ n atomic.Int32 }

func (f *failWriter) Write(p []byte) (int, error) {
	f.n.Add(1)
	return 0, errors.New("disk full")
}

func TestDownloadWriteErrorNotRetried(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		io.WriteString(w, csvBody)
	})
	_, err := c.DownloadEventLogFile(t.Context(), EventLogFile{ID: "0AT000000000001AAA"}, &failWriter{}, nil)
	if err == nil || !strings.Contains(err.Error(), "write: disk full") || requests.Load() != 1 {
		t.Errorf("err = %v after %d requests, want the write error after 1", err, requests.Load())
	}
}

func TestEventLogFilterSOQL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f    EventLogFilter
		want string
	}{
		{EventLogFilter{}, "SELECT " + eventLogFields + " FROM EventLogFile ORDER BY LogDate ASC, EventType ASC, Id ASC"},
		{EventLogFilter{EventType: "Login", Interval: "Daily",
			Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
			"SELECT " + eventLogFields + " FROM EventLogFile WHERE EventType = 'Login' AND Interval = 'Daily' AND LogDate >= 2026-11-01T00:00:00Z AND LogDate < 2026-11-02T00:00:00Z ORDER BY LogDate ASC, EventType ASC, Id ASC"},
		{EventLogFilter{EventType: "x' OR Id != '"}, "SELECT " + eventLogFields + ` FROM EventLogFile WHERE EventType = 'x\' OR Id != \'' ORDER BY LogDate ASC, EventType ASC, Id ASC`},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := tt.f.SOQL(); got != tt.want {
				t.Errorf("SOQL() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// cleanEOFTransport answers every request with a 200 whose body ends cleanly (io.EOF) after
// a few bytes, as a server that stops when its client goes away can make it look.
type cleanEOFTransport struct{}

func (cleanEOFTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/octetstream"}},
		Body: io.NopCloser(strings.NewReader("\"EVENT_TYPE\"\n\"API\"\n")), Request: r, ContentLength: -1,
	}, nil
}

// A download whose context is cancelled while it runs is never reported complete, even when
// the body then ends cleanly: the caller would keep a truncated file as whole.
func TestDownloadCancelledNeverSucceeds(t *testing.T) {
	t.Parallel()
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0",
		HTTPClient: &http.Client{Transport: cleanEOFTransport{}}, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var buf strings.Builder
	n, err := c.DownloadEventLogFile(ctx, EventLogFile{ID: "0AT000000000001AAA"}, &buf, func(written, total int64) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v after %d bytes, want context.Canceled", err, n)
	}
}

// cancelOnReadTransport answers with a 200 whose JSON body stops half-way, and cancels the
// request's context as the body is read: what a deadline hitting mid-body looks like.
type cancelOnReadTransport struct{ cancel context.CancelFunc }

func (tr cancelOnReadTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body := io.MultiReader(strings.NewReader(`{"totalSize":1,"done":true,"records":[`), cancelReader(tr))
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(body), Request: r, ContentLength: -1}, nil
}

type cancelReader struct{ cancel context.CancelFunc }

func (c cancelReader) Read([]byte) (int, error) { c.cancel(); return 0, io.EOF }

// A query page cut short because the context ended reports the context's error, not a
// malformed answer from Salesforce.
func TestQueryPageCutByContextReportsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0",
		HTTPClient: &http.Client{Transport: cancelOnReadTransport{cancel}}, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range c.Query(ctx, "SELECT Id FROM Account", nil) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		break
	}
}
