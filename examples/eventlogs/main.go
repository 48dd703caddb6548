// Command eventlogs is an incremental collector, the core of a SIEM connector: each run
// appends the LoginHistory records that are new since the last run to an NDJSON file (one
// JSON record per line) and saves how far it got (an sfclient.Cursor) in a state file. Run it
// as often as you like: no record is written twice, none is skipped, also when records share
// a timestamp or a run fails half-way.
//
// Usage:
//
//	go run ./examples/eventlogs [-out FILE] [-state FILE]
//
// The files default to loginhistory.ndjson and loginhistory.cursor.json in a folder
// "sfjwt-eventlogs" under the system's temporary folder, so a run from a source checkout
// leaves the checkout clean; a real collector keeps them somewhere durable.
//
// The first run reads all the LoginHistory the org keeps. With no org configured it runs
// offline against an emulated org (sfclient/sftest) whose LoginHistory gains one login a
// minute, with a freshly generated key uploaded to its app. For a real org set:
//
//	SFJWT_INSTANCE_URL  the org's My Domain URL, e.g. https://acme.my.salesforce.com
//	SFJWT_CLIENT_ID     the External Client App's Consumer Key
//	SFJWT_USERNAME      the pre-authorized integration user's username
//	SFJWT_KEY_FILE      the private key whose certificate the app holds (server.key)
//	SFJWT_KEY_PASSWORD  the key's password, for an encrypted key (server.pass.key)
//	SFJWT_CA_FILE       optional: extra trusted CA certificates (PEM), e.g. for sfjwt serve
//
// The records reach the disk before the cursor that covers them, so a crash between the two
// writes makes the next run repeat some records (deduplicate on "Id" if that matters) but
// never lose one.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Args[1:], os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eventlogs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("eventlogs", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := filepath.Join(os.TempDir(), "sfjwt-eventlogs")
	out := fs.String("out", filepath.Join(dir, "loginhistory.ndjson"), "")
	state := fs.String("state", filepath.Join(dir, "loginhistory.cursor.json"), "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New("usage: eventlogs [-out FILE] [-state FILE]")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil { // the default folder; a given one must exist
		return err
	}
	client, stop, err := connect(ctx, stdout, getenv)
	if err != nil {
		return err
	}
	defer stop()

	n, cursor, err := collect(ctx, client, *out, *state)
	fmt.Fprintf(stdout, "%d new records appended to %s\n", n, *out)
	if err == nil && !cursor.Time.IsZero() {
		fmt.Fprintf(stdout, "cursor saved to %s: %s, %d record(s) at that time\n",
			*state, cursor.Time.Format(time.RFC3339Nano), len(cursor.IDs))
	}
	return err
}

// collect appends the records newer than the cursor saved in statePath to outPath, then
// saves the cursor that covers them. After a failed read it still saves the cursor of the
// records written, so the next run continues from there.
func collect(ctx context.Context, client *sfclient.Client, outPath, statePath string) (int, sfclient.Cursor, error) {
	cursor, err := loadCursor(statePath)
	if err != nil {
		return 0, cursor, err
	}
	inc, err := client.NewIncremental(sfclient.IncrementalQuery{
		Object:    "LoginHistory",
		TimeField: "LoginTime", // records are read in LoginTime order, the cursor follows it
		Fields:    []string{"UserId", "LoginType", "SourceIp", "Status", "Application", "Browser", "Platform"},
	}, cursor)
	if err != nil {
		return 0, cursor, err
	}
	f, err := os.OpenFile(outPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, cursor, err
	}
	w := bufio.NewWriter(f)
	n, readErr, writeErr := writeRecords(ctx, inc, w)
	// Records first, on disk, then the cursor: if they did not all make it, keep the old
	// cursor and the next run reads them again.
	if err := errors.Join(writeErr, w.Flush(), f.Sync(), f.Close()); err != nil {
		return n, cursor, err
	}
	cursor = inc.Cursor()
	if err := saveCursor(statePath, cursor); err != nil {
		return n, cursor, err
	}
	return n, cursor, readErr
}

// writeRecords writes each record as one line of compact JSON, until the records end or
// reading (readErr) or writing (writeErr) fails.
func writeRecords(ctx context.Context, inc *sfclient.Incremental, w *bufio.Writer) (n int, readErr, writeErr error) {
	var line bytes.Buffer
	for rec, err := range inc.Records(ctx) {
		if err != nil {
			return n, err, nil
		}
		line.Reset()
		if err := json.Compact(&line, rec); err != nil {
			return n, nil, err
		}
		line.WriteByte('\n')
		if _, err := w.Write(line.Bytes()); err != nil {
			return n, nil, err
		}
		n++
	}
	return n, nil, nil
}
