package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
)

const querySynopsis = `sfjwt query "SOQL" [--all] [--format ndjson|json|csv] [--output FILE] [--batch-size N] [connection flags]`

const queryDescription = `Run a SOQL query and stream its records, page by page, so a million rows never sit in
memory. Records are written without Salesforce's "attributes"; nested objects of relationship
fields are kept as objects (ndjson, json) or flattened to "Parent.Field" columns (csv, whose
columns come from the first record).

--all uses queryAll: deleted and archived records are included.
SELECT COUNT() FROM … prints {"totalSize":N} (csv: a totalSize column).
--output writes to FILE, which appears only when the query has completed; an existing FILE is
replaced only with --force.
A failure stops the output and exits with status 1; records already written stay written
(on standard output).

` + connFlagsDescription

func runQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("query", querySynopsis, queryDescription)
	cf := addConnFlags(fs)
	all := fs.Bool("all", false, "use queryAll: include deleted and archived records")
	format := fs.String("format", "ndjson", "output `format`: ndjson (one JSON record per line), json (one array) or csv")
	output := fs.String("output", "", "write to `FILE` instead of standard output (only once complete)")
	batch := fs.Int("batch-size", 0, "records per page, 200 to 2000 (default: Salesforce's, 2000)")
	force := fs.Bool("force", false, "replace an existing --output file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.TrimSpace(pos[0]) == "" {
		return usageErr(fs, "give exactly one SOQL query, quoted, e.g. sfjwt query \"SELECT Id, Name FROM Account\"")
	}
	if *format != "ndjson" && *format != "json" && *format != "csv" {
		return usageErr(fs, "--format %q: want ndjson, json or csv", *format)
	}
	if *batch != 0 && (*batch < 200 || *batch > 2000) {
		return usageErr(fs, "--batch-size %d: Salesforce accepts 200 to 2000", *batch)
	}
	if *output != "" {
		// Refuse a bad destination before asking Salesforce for anything.
		if err := checkOutputFile(*output, *force); err != nil {
			return err
		}
	}
	c, err := cf.resolve(e, fs)
	if err != nil {
		return err
	}
	client, err := newSFClient(e, c)
	if err != nil {
		return err
	}
	var opts *sfclient.QueryOptions
	if *batch > 0 {
		opts = &sfclient.QueryOptions{BatchSize: *batch}
	}
	if isCountQuery(pos[0]) && !*all {
		return writeOutput(e, *output, func(w io.Writer) error {
			n, err := client.Count(ctx, pos[0])
			if err != nil {
				return err
			}
			return writeCount(w, *format, n)
		})
	}
	seq := client.Query(ctx, pos[0], opts)
	if *all {
		seq = client.QueryAll(ctx, pos[0], opts)
	}
	return writeOutput(e, *output, func(w io.Writer) error {
		n, err := streamRecords(seq, newRecordWriter(*format, w, pos[0], e.stderr))
		if err != nil {
			return fmt.Errorf("after %d records: %w", n, err)
		}
		return nil
	})
}

// checkOutputFile refuses an --output path that is a folder, lies in a folder that does not
// exist, or names an existing file (unless force).
func checkOutputFile(path string, force bool) error {
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("--output %s is a folder; give a file path, e.g. %s", path, filepath.Join(path, "records.ndjson"))
		}
		if !force {
			return fmt.Errorf("--output %s already exists; nothing was written (give another path, or --force to replace it)", path)
		}
		return nil
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("--output %s: the folder %s does not exist; create it first", path, dir)
	}
	return nil
}

// isCountQuery reports "SELECT COUNT() FROM …", whose answer is a total and no records.
func isCountQuery(soql string) bool {
	f := strings.Fields(strings.ToUpper(soql))
	return len(f) >= 3 && f[0] == "SELECT" && strings.ReplaceAll(f[1], " ", "") == "COUNT()" && f[2] == "FROM"
}

// writeCount prints the total of a COUNT() query in format.
func writeCount(w io.Writer, format string, n int) error {
	var err error
	switch format {
	case "csv":
		_, err = fmt.Fprintf(w, "totalSize\n%d\n", n)
	case "json":
		_, err = fmt.Fprintf(w, "[\n{\"totalSize\":%d}\n]\n", n)
	default:
		_, err = fmt.Fprintf(w, "{\"totalSize\":%d}\n", n)
	}
	return err
}

// parseInterspersed parses flags placed before and after positional arguments and returns the
// positional ones. "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newSFClient builds the REST client of a command from the connection settings: the JWT
// bearer token source, the HTTP client with --ca-file, the API version, --verbose logging.
// The instance URL comes from the token, as Salesforce says where the org lives.
func newSFClient(e *env, c *conn) (*sfclient.Client, error) {
	cl, _, err := newSFClientSource(e, c)
	return cl, err
}

// newSFClientSource is newSFClient that also returns the token source, for callers that
// need the token itself (its org and user IDs).
func newSFClientSource(e *env, c *conn) (*sfclient.Client, *jwtauth.TokenSource, error) {
	hc, err := c.httpClient()
	if err != nil {
		return nil, nil, err
	}
	ts, err := c.tokenSource(e, hc)
	if err != nil {
		return nil, nil, err
	}
	cl, err := sfclient.New(sfclient.Config{
		TokenSource: ts, APIVersion: c.APIVersion, HTTPClient: hc,
		UserAgent: "sfjwt/" + buildVersion(), Logger: c.logger(e),
	})
	return cl, ts, err
}

// recordWriter writes records in one output format.
type recordWriter interface {
	write(rec json.RawMessage) error
	close() error // ends the output (closing bracket, flush); called once, also after zero records
}

// newRecordWriter returns the writer of format ("ndjson", "json" or "csv"). CSV columns come
// from the query's field list when it is a plain one, else from the first record; warnings
// about records that do not fit go to warn.
func newRecordWriter(format string, w io.Writer, soql string, warn io.Writer) recordWriter {
	switch format {
	case "json":
		return &jsonArrayWriter{w: bufio.NewWriter(w)}
	case "csv":
		return &csvWriter{w: csv.NewWriter(w), header: selectFields(soql), warn: warn}
	}
	return &ndjsonWriter{w: bufio.NewWriter(w)}
}

// streamRecords writes every record of seq and returns how many were written.
func streamRecords(seq func(func(json.RawMessage, error) bool), rw recordWriter) (int, error) {
	n := 0
	for rec, err := range seq {
		if err == nil {
			err = rw.write(rec)
		}
		if err != nil {
			rw.close()
			return n, err
		}
		n++
	}
	return n, rw.close()
}

type ndjsonWriter struct{ w *bufio.Writer }

func (n *ndjsonWriter) write(rec json.RawMessage) error {
	clean, err := stripAttributes(rec)
	if err != nil {
		return err
	}
	n.w.Write(clean)
	return n.w.WriteByte('\n')
}

func (n *ndjsonWriter) close() error { return n.w.Flush() }

type jsonArrayWriter struct {
	w *bufio.Writer
	n int
}

func (j *jsonArrayWriter) write(rec json.RawMessage) error {
	clean, err := stripAttributes(rec)
	if err != nil {
		return err
	}
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	j.w.WriteString(sep)
	_, err = j.w.Write(clean)
	return err
}

func (j *jsonArrayWriter) close() error {
	if j.n == 0 {
		j.w.WriteString("[")
	}
	j.w.WriteString("\n]\n")
	return j.w.Flush()
}

type csvWriter struct {
	w      *csv.Writer
	header []string       // nil until known
	index  map[string]int // lower-case column → position
	row    []string
	warn   io.Writer
	warned bool
}

func (c *csvWriter) write(rec json.RawMessage) error {
	var cols, vals []string
	if err := flattenRecord(rec, "", func(k, v string) { cols, vals = append(cols, k), append(vals, v) }); err != nil {
		return err
	}
	if c.index == nil {
		if c.header == nil {
			c.header = cols
		}
		c.index = make(map[string]int, len(c.header))
		for i, k := range c.header {
			c.index[strings.ToLower(k)] = i
		}
		c.row = make([]string, len(c.header))
		if err := c.w.Write(c.header); err != nil {
			return err
		}
	}
	clear(c.row)
	for i, k := range cols {
		j, ok := c.index[strings.ToLower(k)]
		if !ok {
			if !c.warned && vals[i] != "" {
				c.warned = true
				fmt.Fprintf(c.warn, "sfjwt query: warning: field %s is not a CSV column (columns come from the first record); use --format ndjson for such results\n", k)
			}
			continue
		}
		c.row[j] = vals[i]
	}
	return c.w.Write(c.row)
}

// selectFields returns the field list of a plain "SELECT a, b.c FROM …" query, or nil when the
// list holds anything else (functions, sub-queries, TYPEOF, FIELDS()).
func selectFields(soql string) []string {
	s := strings.TrimSpace(soql)
	if len(s) < 7 || !strings.EqualFold(s[:7], "SELECT ") {
		return nil
	}
	s = s[7:]
	end := -1
	for i := 0; i+6 <= len(s); i++ {
		if strings.EqualFold(s[i:i+6], " FROM ") || (strings.EqualFold(s[i:i+6], "\nFROM ")) {
			end = i
			break
		}
	}
	if end < 0 {
		return nil
	}
	var fields []string
	for _, f := range strings.Split(s[:end], ",") {
		f = strings.TrimSpace(f)
		if f == "" || strings.ContainsAny(f, "() \t\n'") {
			return nil
		}
		fields = append(fields, f)
	}
	return fields
}

func (c *csvWriter) close() error {
	c.w.Flush()
	return c.w.Error()
}

// stripAttributes re-encodes a record compactly, in its field order, without the
// "attributes" member of it and of its nested relationship objects.
func stripAttributes(rec json.RawMessage) ([]byte, error) {
	var b bytes.Buffer
	if err := stripInto(&b, rec); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func stripInto(b *bytes.Buffer, raw json.RawMessage) error {
	return walkObject(raw, func(i int, key string, val json.RawMessage) error {
		if key == "attributes" {
			return nil
		}
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(key)
		b.Write(kb)
		b.WriteByte(':')
		if len(val) > 0 && val[0] == '{' {
			return stripInto(b, val)
		}
		return json.Compact(b, val)
	}, func(n int) { endObject(b, n) })
}

// endObject closes an object written by stripInto; n is the number of members kept.
func endObject(b *bytes.Buffer, n int) {
	if n == 0 {
		b.WriteByte('{')
	}
	b.WriteByte('}')
}

// walkObject calls member for each member of the JSON object raw, in order, with the index
// among kept members, then end with the number of members not named "attributes".
func walkObject(raw json.RawMessage, member func(i int, key string, val json.RawMessage) error, end func(n int)) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("record is not a JSON object")
	}
	kept := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("decode record: %w", err)
		}
		key, _ := t.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("decode record: %w", err)
		}
		if err := member(kept, key, val); err != nil {
			return err
		}
		if key != "attributes" {
			kept++
		}
	}
	end(kept)
	return nil
}

// flattenRecord calls fn with each field of the record as a CSV column and value: nested
// objects become "Parent.Field" columns, null an empty value, arrays (sub-query results) their
// JSON text.
func flattenRecord(raw json.RawMessage, prefix string, fn func(col, val string)) error {
	return walkObject(raw, func(_ int, key string, val json.RawMessage) error {
		if key == "attributes" {
			return nil
		}
		col := prefix + key
		switch {
		case len(val) == 0 || string(val) == "null":
			fn(col, "")
		case val[0] == '{':
			return flattenRecord(val, col+".", fn)
		case val[0] == '"':
			var s string
			if err := json.Unmarshal(val, &s); err != nil {
				return errors.New("decode record: bad string")
			}
			fn(col, s)
		default:
			var b bytes.Buffer
			json.Compact(&b, val)
			fn(col, b.String())
		}
		return nil
	}, func(int) {})
}
