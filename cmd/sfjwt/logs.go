package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
)

const logsSynopsis = `sfjwt logs list [--type T] [--since DATE] [--until DATE] [--interval Daily|Hourly] [--json] [connection flags]
  sfjwt logs download [--type T] [--since DATE] [--until DATE] [--interval Daily|Hourly] --out DIR [connection flags]`

const logsDescription = `List and download Event Monitoring log files (EventLogFile), what a SIEM collects.

list prints one line per file: ID, event type, log date, interval, size.
download writes one CSV per file into DIR, named TYPE_DATE_ID.csv (hourly files:
TYPE_DATE-HH_ID.csv). Each file is streamed to a temporary file and renamed when complete,
so a file present in DIR is whole; such files are skipped on the next run. A progress bar
is drawn on standard error when it is a terminal.

DATE is 2026-11-20 (UTC midnight) or an RFC 3339 time. --since keeps files whose LogDate is
at or after it, --until those before it. Run "sfjwt logs list -h" or "sfjwt logs download -h"
for every flag.

` + connFlagsDescription

// logsFlags are the flags shared by "logs list" and "logs download".
type logsFlags struct {
	conn                              *connFlags
	eventType, since, until, interval string
}

func addLogsFlags(fs *flag.FlagSet) *logsFlags {
	l := &logsFlags{conn: addConnFlags(fs)}
	fs.StringVar(&l.eventType, "type", "", "keep only this event `type`, e.g. Login, API, ReportExport")
	fs.StringVar(&l.since, "since", "", "keep files whose LogDate is at or after `DATE`")
	fs.StringVar(&l.until, "until", "", "keep files whose LogDate is before `DATE`")
	fs.StringVar(&l.interval, "interval", "", "keep only Daily or Hourly files")
	return l
}

// filter turns the flags into an EventLogFilter.
func (l *logsFlags) filter(fs *flag.FlagSet) (sfclient.EventLogFilter, error) {
	f := sfclient.EventLogFilter{EventType: l.eventType}
	var err error
	if f.Since, err = parseDateFlag(l.since); err != nil {
		return f, usageErr(fs, "--since: %v", err)
	}
	if f.Until, err = parseDateFlag(l.until); err != nil {
		return f, usageErr(fs, "--until: %v", err)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return f, usageErr(fs, "--until %s is not after --since %s", l.until, l.since)
	}
	switch strings.ToLower(l.interval) {
	case "":
	case "daily":
		f.Interval = "Daily"
	case "hourly":
		f.Interval = "Hourly"
	default:
		return f, usageErr(fs, "--interval %q: want Daily or Hourly", l.interval)
	}
	return f, nil
}

// parseDateFlag reads 2026-11-20 (UTC) or an RFC 3339 time; empty gives the zero time.
func parseDateFlag(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date like 2026-11-20 or 2026-11-20T15:00:00Z", s)
}

func runLogs(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("logs", logsSynopsis, logsDescription)
	if len(args) == 0 {
		return usageErr(fs, "logs needs a sub-command: list or download")
	}
	switch args[0] {
	case "list":
		return runLogsList(ctx, e, args[1:])
	case "download":
		return runLogsDownload(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		return parseFlags(fs, []string{"-h"})
	}
	return usageErr(fs, "unknown logs sub-command %q: want list or download", args[0])
}

func runLogsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("logs list", logsSynopsis, logsDescription)
	lf := addLogsFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per file (NDJSON)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q", fs.Arg(0))
	}
	client, filter, err := lf.setup(e, fs)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "ID\tTYPE\tLOG DATE\tINTERVAL\tBYTES")
	}
	enc := json.NewEncoder(e.stdout)
	n := 0
	for f, err := range client.EventLogFiles(ctx, filter) {
		if err != nil {
			tw.Flush()
			return err
		}
		n++
		if *asJSON {
			enc.Encode(map[string]any{"id": f.ID, "eventType": f.EventType, "logDate": f.LogDate.UTC().Format(time.RFC3339),
				"interval": f.Interval, "sequence": f.Sequence, "logFileLength": f.LogFileLength})
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", f.ID, f.EventType, f.LogDate.UTC().Format(time.RFC3339), f.Interval, f.LogFileLength)
	}
	if !*asJSON {
		tw.Flush()
		fmt.Fprintf(e.stderr, "%d event log files\n", n)
	}
	return nil
}

func (l *logsFlags) setup(e *env, fs *flag.FlagSet) (*sfclient.Client, sfclient.EventLogFilter, error) {
	filter, err := l.filter(fs)
	if err != nil {
		return nil, filter, err
	}
	c, err := l.conn.resolve(e, fs)
	if err != nil {
		return nil, filter, err
	}
	client, err := newSFClient(e, c)
	return client, filter, err
}

func runLogsDownload(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("logs download", logsSynopsis, logsDescription)
	lf := addLogsFlags(fs)
	out := fs.String("out", "", "folder `DIR` to write the CSV files into (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usageErr(fs, "--out DIR is required")
	}
	if st, err := os.Stat(*out); err == nil && !st.IsDir() {
		return fmt.Errorf("--out %s is a file; give a folder for the CSV files (it is created if missing)", *out)
	}
	client, filter, err := lf.setup(e, fs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	var got, skipped, failed int
	for f, err := range client.EventLogFiles(ctx, filter) {
		if err != nil {
			return err
		}
		path := filepath.Join(*out, logFileName(f))
		if st, err := os.Stat(path); err == nil {
			if f.LogFileLength <= 0 || st.Size() == f.LogFileLength {
				skipped++
				fmt.Fprintf(e.stdout, "skipped %s (already downloaded)\n", path)
				continue
			}
			fmt.Fprintf(e.stderr, "sfjwt logs download: %s has %d bytes, Salesforce lists %d: downloading it again\n", path, st.Size(), f.LogFileLength)
		}
		n, err := downloadOne(ctx, e, client, f, path)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			failed++
			fmt.Fprintf(e.stderr, "sfjwt logs download: %s: %v\n", path, err)
			continue
		}
		got++
		fmt.Fprintf(e.stdout, "downloaded %s (%d bytes)\n", path, n)
	}
	fmt.Fprintf(e.stderr, "%d downloaded, %d skipped, %d failed\n", got, skipped, failed)
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed; run again to retry them", failed, got+skipped+failed)
	}
	return nil
}

// logFileName names a file by type, date (and hour) and ID, safe on every file system.
func logFileName(f sfclient.EventLogFile) string {
	date := f.LogDate.UTC().Format(time.DateOnly)
	if f.Interval == "Hourly" {
		date = f.LogDate.UTC().Format("2006-01-02-15")
	}
	return safeName(f.EventType) + "_" + date + "_" + safeName(f.ID) + ".csv"
}

func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, s)
	if s == "" {
		return "unknown"
	}
	return s
}

// downloadOne streams f into path through a temporary file renamed when complete.
func downloadOne(ctx context.Context, e *env, client *sfclient.Client, f sfclient.EventLogFile, path string) (int64, error) {
	var n int64
	err := writeFileStreamed(path, func(w io.Writer) error {
		bar := newProgressBar(e, filepath.Base(path))
		defer bar.done()
		var err error
		n, err = client.DownloadEventLogFile(ctx, f, w, bar.update)
		return err
	})
	return n, err
}

// writeOutput runs write on standard output, or on a file that appears only when write
// succeeds (path not empty).
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(e.stdout)
	}
	if err := writeFileStreamed(path, write); err != nil {
		return fmt.Errorf("--output %s: %w", path, err)
	}
	return nil
}

// writeFileStreamed streams into a temporary file beside path (mode 0600) and renames it to
// path once write succeeded and the data is synced; on failure nothing is left behind.
func writeFileStreamed(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// progressBar draws one line on standard error when it is a terminal; otherwise it is silent.
type progressBar struct {
	e     *env
	name  string
	on    bool
	last  time.Time
	drawn bool
}

func newProgressBar(e *env, name string) *progressBar {
	return &progressBar{e: e, name: name, on: e.stderrIsTerminal != nil && e.stderrIsTerminal()}
}

func (p *progressBar) update(written, total int64) {
	if !p.on {
		return
	}
	now := envNow(p.e)
	if p.drawn && now.Sub(p.last) < 100*time.Millisecond && written != total {
		return
	}
	p.last, p.drawn = now, true
	const width = 30
	if total > 0 {
		fill := int(min(written*width/total, width))
		fmt.Fprintf(p.e.stderr, "\r%s [%s%s] %3d%% %s", p.name, strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
			min(written*100/total, 100), humanBytes(written))
		return
	}
	fmt.Fprintf(p.e.stderr, "\r%s %s", p.name, humanBytes(written))
}

func (p *progressBar) done() {
	if p.on && p.drawn {
		fmt.Fprintln(p.e.stderr)
	}
}

func envNow(e *env) time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
