package sfclient

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// EventLogFile is one row of the EventLogFile object: a day's (or hour's) Event Monitoring log
// of one event type, whose CSV body DownloadEventLogFile streams.
type EventLogFile struct {
	ID        string    // record ID, 0AT…
	EventType string    // "Login", "API", "ReportExport", …
	LogDate   time.Time // start of the period the file covers
	Interval  string    // "Daily" or "Hourly"; empty before API v37.0
	Sequence  int       // hourly files: the file's number in the day
	// LogFileLength is the CSV size in bytes, as Salesforce reports it.
	LogFileLength int64
	// LogFile is the REST path of the CSV body.
	LogFile     string
	CreatedDate time.Time
}

// UnmarshalJSON reads an EventLogFile record as query results give it.
func (f *EventLogFile) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID            string  `json:"Id"`
		EventType     string  `json:"EventType"`
		LogDate       string  `json:"LogDate"`
		Interval      string  `json:"Interval"`
		Sequence      float64 `json:"Sequence"`
		LogFileLength float64 `json:"LogFileLength"`
		LogFile       string  `json:"LogFile"`
		CreatedDate   string  `json:"CreatedDate"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*f = EventLogFile{ID: raw.ID, EventType: raw.EventType, Interval: raw.Interval,
		Sequence: int(raw.Sequence), LogFileLength: int64(raw.LogFileLength), LogFile: raw.LogFile}
	var err error
	if raw.LogDate != "" {
		if f.LogDate, err = ParseTime(raw.LogDate); err != nil {
			return err
		}
	}
	if raw.CreatedDate != "" {
		if f.CreatedDate, err = ParseTime(raw.CreatedDate); err != nil {
			return err
		}
	}
	return nil
}

// EventLogFilter selects event log files. The zero value selects all of them.
type EventLogFilter struct {
	// EventType keeps only files of this event type ("Login", "API", …). Empty means all.
	EventType string
	// Since keeps files whose LogDate is at or after it. Zero means no lower bound.
	Since time.Time
	// Until keeps files whose LogDate is before it. Zero means no upper bound.
	Until time.Time
	// Interval keeps only "Daily" or "Hourly" files. Empty means both.
	Interval string
}

// eventLogFields are the EventLogFile fields the client reads.
const eventLogFields = "Id, EventType, LogDate, Interval, Sequence, LogFileLength, LogFile, CreatedDate"

// SOQL returns the query EventLogFiles sends for f.
func (f EventLogFilter) SOQL() string {
	var where []string
	if f.EventType != "" {
		where = append(where, "EventType = "+QuoteString(f.EventType))
	}
	if f.Interval != "" {
		where = append(where, "Interval = "+QuoteString(f.Interval))
	}
	if !f.Since.IsZero() {
		where = append(where, "LogDate >= "+DateTimeLiteral(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "LogDate < "+DateTimeLiteral(f.Until))
	}
	q := "SELECT " + eventLogFields + " FROM EventLogFile"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY LogDate ASC, EventType ASC, Id ASC"
}

// EventLogFiles lists the event log files f selects, oldest first, following pages lazily like
// Query. It reads Interval and Sequence, which need API version 37.0 or later, and the user
// needs the "View Event Log Files" permission.
func (c *Client) EventLogFiles(ctx context.Context, f EventLogFilter) iter.Seq2[EventLogFile, error] {
	return Decode[EventLogFile](c.Query(ctx, f.SOQL(), nil))
}

// Progress is called while a download runs with the bytes written so far and the expected
// total (-1 when unknown).
type Progress func(written, total int64)

// DownloadEventLogFile streams the CSV body of f (only f.ID is required; f.LogFile and
// f.LogFileLength are used when set) into w and returns the number of bytes written. The body
// is asked for gzip-compressed and decompressed while streaming; it is never held in memory.
// progress, when not nil, is called after each chunk written.
//
// Failures before the first byte is written are retried like any GET; after that the error is
// returned (w holds a partial file: write to a temporary file and rename it when complete).
// A body cut short ends with an error (io.ErrUnexpectedEOF over HTTP/1.1, a stream reset over
// HTTP/2; HTTP framing and the gzip trailer detect it); f.LogFileLength is used for progress
// only, as servers differ in how exactly they report it.
func (c *Client) DownloadEventLogFile(ctx context.Context, f EventLogFile, w io.Writer, progress Progress) (int64, error) {
	r, err := c.logFileRequest(ctx, f)
	if err != nil {
		return 0, err
	}
	var written int64
	_, err = c.do(ctx, r, func(resp *http.Response) error {
		var werr error
		written, werr = copyLogFile(resp, w, f.LogFileLength, progress)
		if werr != nil && written == 0 && !isWriteError(werr) {
			return &retryableError{werr}
		}
		return werr
	})
	if err == nil {
		// A cancelled download is never reported complete: the body may have ended cleanly
		// only because the server stopped when the client went away.
		err = ctx.Err()
	}
	if err != nil {
		return written, fmt.Errorf("sfclient: download EventLogFile %s after %d bytes: %w", f.ID, written, err)
	}
	return written, nil
}

func (c *Client) logFileRequest(ctx context.Context, f EventLogFile) (*request, error) {
	if err := checkNames(f.ID); err != nil {
		return nil, err
	}
	h := http.Header{"Accept-Encoding": {"gzip"}, "Accept": {"text/csv, */*"}}
	if f.LogFile != "" {
		p, q, err := c.serverPath(f.LogFile)
		if err != nil {
			return nil, fmt.Errorf("sfclient: EventLogFile %s LogFile: %w", f.ID, err)
		}
		return &request{method: http.MethodGet, path: p, query: q, header: h}, nil
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return nil, err
	}
	p := apiPath(v, "sobjects", "EventLogFile", url.PathEscape(f.ID), "LogFile")
	return &request{method: http.MethodGet, path: p, header: h}, nil
}

// writeError marks a failure of the destination writer (never retried).
type writeError struct{ err error }

func (e *writeError) Error() string { return "write: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

func isWriteError(err error) bool {
	_, ok := err.(*writeError)
	return ok
}

// copyLogFile copies the (possibly gzip-encoded) body into w.
func copyLogFile(resp *http.Response, w io.Writer, expected int64, progress Progress) (int64, error) {
	var body io.Reader = resp.Body
	total := expected
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return 0, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = zr
	} else if total <= 0 && resp.ContentLength > 0 {
		total = resp.ContentLength
	}
	if total <= 0 {
		total = -1
	}
	buf := make([]byte, 256<<10)
	var written int64
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			if werr == nil && m < n {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return written, &writeError{werr}
			}
			if progress != nil {
				progress(written, total)
			}
		}
		if rerr == io.EOF {
			return written, nil
		}
		if rerr != nil {
			return written, rerr
		}
	}
}
