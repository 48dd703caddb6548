package sfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// Cursor records how far an incremental read got: the newest timestamp delivered and the IDs
// of the records delivered at exactly that timestamp. It is a small JSON value a connector
// persists between runs; its zero value means "from the beginning".
type Cursor struct {
	// Time is the timestamp of the newest record delivered.
	Time time.Time `json:"time"`
	// IDs are the records delivered whose timestamp equals Time.
	IDs []string `json:"ids,omitempty"`
}

// IncrementalQuery names what an incremental reader reads.
type IncrementalQuery struct {
	// Object is the sObject, e.g. "LoginHistory", "SetupAuditTrail", "EventLogFile". Required.
	Object string
	// TimeField is the dateTime field records are ordered by, e.g. "LoginTime",
	// "CreatedDate", "LogDate". Required.
	TimeField string
	// Fields are the fields to read; Id and TimeField are added when missing.
	Fields []string
	// Where is an optional SOQL condition ANDed with the cursor's, e.g.
	// "EventType = 'Login'". Quote values with QuoteString.
	Where string
	// BatchSize is the page size, as in QueryOptions. Zero means Salesforce's default.
	BatchSize int
}

// Incremental reads the records of an object newer than a cursor, and advances the cursor as
// it yields them. Records sharing the cursor's timestamp are neither lost nor repeated: the
// query asks for TimeField >= the cursor's time (ordered by TimeField, then Id) and skips the
// IDs the cursor already holds. It is safe for concurrent use, but one Records iteration at a
// time makes sense.
type Incremental struct {
	c      *Client
	q      IncrementalQuery
	fields string

	mu  sync.Mutex
	cur Cursor
}

// NewIncremental returns a reader of q starting after from.
func (c *Client) NewIncremental(q IncrementalQuery, from Cursor) (*Incremental, error) {
	if !isFieldName(q.Object) || strings.Contains(q.Object, ".") {
		return nil, fmt.Errorf("%w: IncrementalQuery.Object %q", ErrInvalidArgument, q.Object)
	}
	if !isFieldName(q.TimeField) {
		return nil, fmt.Errorf("%w: IncrementalQuery.TimeField %q", ErrInvalidArgument, q.TimeField)
	}
	fields := []string{"Id", q.TimeField}
	for _, f := range q.Fields {
		if !isFieldName(f) {
			return nil, fmt.Errorf("%w: IncrementalQuery.Fields: %q", ErrInvalidArgument, f)
		}
		if !slices.ContainsFunc(fields, func(g string) bool { return strings.EqualFold(f, g) }) {
			fields = append(fields, f)
		}
	}
	from.Time = from.Time.UTC()
	from.IDs = slices.Clone(from.IDs)
	return &Incremental{c: c, q: q, fields: strings.Join(fields, ", "), cur: from}, nil
}

// isFieldName accepts SOQL field paths: letters, digits, underscores and dots.
func isFieldName(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// Cursor returns the cursor after the last record yielded so far: persist it once those
// records are safely processed.
func (r *Incremental) Cursor() Cursor {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Cursor{Time: r.cur.Time, IDs: slices.Clone(r.cur.IDs)}
}

// SOQL returns the query the next Records call sends.
func (r *Incremental) SOQL() string {
	return r.soql(r.Cursor())
}

func (r *Incremental) soql(cur Cursor) string {
	// Records without a timestamp cannot be placed after a cursor: leave them out.
	where := []string{r.q.TimeField + " != null"}
	if !cur.Time.IsZero() {
		// Truncated to the second: records earlier than cur.Time in that second are skipped.
		where[0] = r.q.TimeField + " >= " + DateTimeLiteral(cur.Time)
	}
	if strings.TrimSpace(r.q.Where) != "" {
		where = append(where, "("+r.q.Where+")")
	}
	return "SELECT " + r.fields + " FROM " + r.q.Object + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + r.q.TimeField + " ASC, Id ASC"
}

// Records yields the records newer than the cursor, oldest first, advancing the cursor before
// each yield (so Cursor, called in the loop body, already covers the current record). A
// failure ends the iteration with one (nil, err) pair; the cursor then covers exactly the
// records yielded, so the next run resumes without loss or duplicate.
func (r *Incremental) Records(ctx context.Context) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		start := r.Cursor()
		seen := make(map[string]struct{}, len(start.IDs))
		for _, id := range start.IDs {
			seen[id] = struct{}{}
		}
		var opts *QueryOptions
		if r.q.BatchSize > 0 {
			opts = &QueryOptions{BatchSize: r.q.BatchSize}
		}
		for rec, err := range r.c.Query(ctx, r.soql(start), opts) {
			if err != nil {
				yield(nil, err)
				return
			}
			id, ts, err := recordKey(rec, r.q.TimeField)
			if err != nil {
				yield(nil, err)
				return
			}
			if ts.Before(start.Time) {
				continue
			}
			if _, dup := seen[id]; dup && ts.Equal(start.Time) {
				continue
			}
			r.advance(id, ts)
			if !yield(rec, nil) {
				return
			}
		}
	}
}

func (r *Incremental) advance(id string, ts time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case ts.After(r.cur.Time):
		r.cur = Cursor{Time: ts, IDs: []string{id}}
	case ts.Equal(r.cur.Time):
		r.cur.IDs = append(r.cur.IDs, id)
	}
}

// recordKey reads a record's Id and its timeField value.
func recordKey(rec json.RawMessage, timeField string) (string, time.Time, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(rec, &m); err != nil {
		return "", time.Time{}, fmt.Errorf("sfclient: incremental: decode record: %w", err)
	}
	var id, ts string
	_ = json.Unmarshal(lookupFold(m, "Id"), &id)
	_ = json.Unmarshal(lookupFold(m, timeField), &ts)
	if id == "" || ts == "" {
		return "", time.Time{}, fmt.Errorf("%w: incremental: record without Id or %s", ErrBadResponse, timeField)
	}
	t, err := ParseTime(ts)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%w: incremental: %w", ErrBadResponse, err)
	}
	return id, t.UTC(), nil
}

// lookupFold finds key in m, exactly or else case-insensitively (Salesforce answers with the
// field's API name, whatever case the query used).
func lookupFold(m map[string]json.RawMessage, key string) json.RawMessage {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}
