package sftest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// EventLogFile is one Event Monitoring log file: an EventLogFile row and the CSV body served by
// GET …/sobjects/EventLogFile/{Id}/LogFile.
type EventLogFile struct {
	// ID is the 18-character 0AT… ID. Empty means a fresh one.
	ID string
	// EventType is the event type, like "API", "Login", "URI". Empty means "API".
	EventType string
	// LogDate is the start of the period the file covers. Zero means the start of yesterday
	// (UTC) by the server's clock.
	LogDate time.Time
	// Interval is "Daily" (zero) or "Hourly".
	Interval string
	// Sequence orders hourly files of the same LogDate; daily files have 1. Zero means 1.
	Sequence int
	// FieldNames and FieldTypes are LogFileFieldNames and LogFileFieldTypes. Nil means the
	// columns of the generated body (when Body is nil) or empty.
	FieldNames, FieldTypes []string
	// Rows is the number of data rows of a generated body (Body nil, Size 0). Zero means 10.
	Rows int
	// Size, with Body nil, generates a body of exactly Size bytes (at least one row), on the
	// fly: a 1 GiB file is never held in memory. With Body set, Size is the LogFileLength
	// reported; zero means the length is measured by running Body once.
	Size int64
	// Body writes the CSV body (header row first). Nil means a generated body.
	Body func(w io.Writer) error
	// APIVersion is ApiVersion. Zero means the newest version served.
	APIVersion float64
	// CreatedDate is when the file was generated. Zero means LogDate plus one day (Daily) or
	// plus three hours (Hourly).
	CreatedDate time.Time
}

// generatedFields returns the columns of a generated log body.
func generatedFields() []string {
	return []string{"EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID",
		"RUN_TIME", "CPU_TIME", "URI", "CLIENT_IP", "TIMESTAMP_DERIVED"}
}

// generatedTypes returns the column types of a generated log body.
func generatedTypes() []string {
	return []string{"String", "String", "String", "Id", "Id", "Number", "Number", "String", "IP", "DateTime"}
}

// logGen writes a deterministic CSV body whose every row has the same length, so an exact
// size can be produced by padding the last row.
type logGen struct {
	eventType, orgID, userID string
	start                    time.Time
}

func (g logGen) header() string {
	return `"` + strings.Join(generatedFields(), `","`) + `"` + "\n"
}

// row returns data row i with pad extra characters in URI.
func (g logGen) row(i int64, pad int64) string {
	return string(g.appendRow(nil, i, pad))
}

// appendRow appends data row i to b. Every row has the same length for the same pad.
func (g logGen) appendRow(b []byte, i int64, pad int64) []byte {
	t := g.start.Add(time.Duration(i%86400) * time.Second).UTC()
	q := func(s string) { b = append(b, '"'); b = append(b, s...); b = append(b, '"', ',') }
	num := func(prefix string, n int64, width int) {
		b = append(b, '"')
		b = append(b, prefix...)
		start := len(b)
		b = strconv.AppendInt(b, n, 10)
		if d := width - (len(b) - start); d > 0 {
			b = append(b, zeros[:d]...)
			copy(b[start+d:], b[start:len(b)-d])
			copy(b[start:start+d], zeros[:d])
		}
		b = append(b, '"', ',')
	}
	q(g.eventType)
	b = append(b, '"')
	b = t.AppendFormat(b, "20060102150405.000")
	b = append(b, '"', ',')
	num("TID", i, 15)
	q(g.orgID[:15])
	q(g.userID[:15])
	num("", i%1000000, 6)
	num("", (i*7)%1000000, 6)
	b = append(b, `"/services/data/v66.0/query`...)
	for ; pad > 0; pad-- {
		b = append(b, 'x')
	}
	b = append(b, '"', ',', '"')
	b = append(b, "10.0."...)
	b = strconv.AppendInt(b, 100+(i/256)%100, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, 100+i%100, 10)
	b = append(b, '"', ',', '"')
	b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
	return append(b, '"', '\n')
}

const zeros = "000000000000000000000"

// plan returns the number of rows and the padding of the last row for a body of size bytes
// (size 0: rows rows), and the resulting exact length.
func (g logGen) plan(rows int, size int64) (n int64, pad int64, length int64) {
	h := int64(len(g.header()))
	l := int64(len(g.row(0, 0)))
	if size <= 0 {
		return int64(rows), 0, h + int64(rows)*l
	}
	if size < h+l {
		return 1, 0, h + l
	}
	n = (size - h) / l
	return n, (size - h) - n*l, size
}

// write streams the body, stopping early if ctx is done.
func (g logGen) write(ctx context.Context, w io.Writer, n, pad int64) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(g.header()); err != nil {
		return err
	}
	var buf []byte
	for i := int64(0); i < n; i++ {
		p := int64(0)
		if i == n-1 {
			p = pad
		}
		buf = g.appendRow(buf[:0], i, p)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return bw.Flush()
}

// countingWriter counts bytes written and discards them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// AddEventLogFile adds an EventLogFile row whose LogFile body is f.Body or a generated CSV,
// and returns its ID.
func (s *Server) AddEventLogFile(f EventLogFile) (string, error) {
	if f.Body != nil && f.Size <= 0 {
		var c countingWriter
		if err := f.Body(&c); err != nil {
			return "", fmt.Errorf("sftest: add event log file: measure body: %w", err)
		}
		f.Size = c.n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addELF(f)
}

// AddEventLogFiles adds n daily API log files, one per day for the n days before today
// (by the server's clock), each with rows generated rows, and returns their IDs.
func (s *Server) AddEventLogFiles(n, rows int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.now().UTC().Truncate(24 * time.Hour)
	ids := make([]string, 0, n)
	for i := n; i >= 1; i-- {
		id, err := s.addELF(EventLogFile{LogDate: today.AddDate(0, 0, -i), Rows: rows})
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// addELF stores an EventLogFile row. Caller holds mu.
func (s *Server) addELF(f EventLogFile) (string, error) {
	if f.EventType == "" {
		f.EventType = "API"
	}
	if f.Interval == "" {
		f.Interval = "Daily"
	}
	if f.Interval != "Daily" && f.Interval != "Hourly" {
		return "", fmt.Errorf("sftest: add event log file: %w: Interval %q", ErrInvalidRecord, f.Interval)
	}
	if f.LogDate.IsZero() {
		f.LogDate = s.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	}
	if f.Sequence == 0 {
		f.Sequence = 1
	}
	if f.Rows <= 0 {
		f.Rows = 10
	}
	if f.APIVersion == 0 {
		f.APIVersion, _ = strconv.ParseFloat(s.versions[len(s.versions)-1], 64)
	}
	if f.CreatedDate.IsZero() {
		f.CreatedDate = f.LogDate.Add(24 * time.Hour)
		if f.Interval == "Hourly" {
			f.CreatedDate = f.LogDate.Add(3 * time.Hour)
		}
	}
	if f.Body == nil {
		if f.FieldNames == nil {
			f.FieldNames, f.FieldTypes = generatedFields(), generatedTypes()
		}
		_, _, f.Size = s.logGen(f).plan(f.Rows, f.Size)
	}
	rec := Record{
		"EventType": f.EventType, "LogDate": f.LogDate, "LogFileLength": float64(f.Size),
		"LogFileContentType": "CSV", "ApiVersion": f.APIVersion, "Sequence": f.Sequence,
		"Interval": f.Interval, "LogFileFieldNames": strings.Join(f.FieldNames, ","),
		"LogFileFieldTypes": strings.Join(f.FieldTypes, ","), "CreatedDate": f.CreatedDate,
		"LastModifiedDate": f.CreatedDate, "SystemModstamp": f.CreatedDate,
	}
	if f.ID != "" {
		rec["Id"] = f.ID
	}
	r, err := s.insert(s.object("EventLogFile"), rec, true)
	if err != nil {
		return "", fmt.Errorf("sftest: add event log file: %w", err)
	}
	f.ID = r.id()
	r.elf = &f
	return f.ID, nil
}

// logGen returns the body generator of a generated file. Caller holds mu.
func (s *Server) logGen(f EventLogFile) logGen {
	uid := s.orgID
	if len(s.users) > 0 {
		uid = s.users[0].ID
	}
	return logGen{eventType: f.EventType, orgID: s.orgID, userID: uid, start: f.LogDate}
}
