package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
	"golang.org/x/oauth2"
)

// cmdArgs returns the connection flags of the fixture after name and its arguments.
func (f *loginFixture) cmdArgs(name ...string) []string {
	conn := f.args()[1:]
	return append(append([]string{}, name...), conn...)
}

func newQueryFixture(t *testing.T) *loginFixture {
	t.Helper()
	f := newLoginFixture(t, sftest.Config{NoSampleData: true})
	for _, name := range []string{"Acme, Inc.", `Quote "Q"`, "Zeta"} {
		if _, err := f.srv.AddRecords("Account", sftest.Record{"Name": name, "NumberOfEmployees": 10}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestQueryFormats(t *testing.T) {
	f := newQueryFixture(t)
	soql := "SELECT Name, NumberOfEmployees FROM Account ORDER BY Name"
	tests := []struct {
		format, want string
	}{
		{"ndjson", `{"Name":"Acme, Inc.","NumberOfEmployees":10}` + "\n" + `{"Name":"Quote \"Q\"","NumberOfEmployees":10}` + "\n" +
			`{"Name":"Zeta","NumberOfEmployees":10}` + "\n"},
		{"json", "[\n" + `{"Name":"Acme, Inc.","NumberOfEmployees":10}` + ",\n" + `{"Name":"Quote \"Q\"","NumberOfEmployees":10}` + ",\n" +
			`{"Name":"Zeta","NumberOfEmployees":10}` + "\n]\n"},
		{"csv", "Name,NumberOfEmployees\n\"Acme, Inc.\",10\n\"Quote \"\"Q\"\"\",10\nZeta,10\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			te := newTestEnv(t)
			// Flags after the SOQL work too.
			args := append(f.cmdArgs("query", soql), "--format", tt.format)
			if code := te.run(t, args...); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
			}
			if got := te.Stdout.String(); got != tt.want {
				t.Errorf("stdout =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestQueryEmptyResult(t *testing.T) {
	f := newQueryFixture(t)
	for format, want := range map[string]string{"ndjson": "", "json": "[\n]\n", "csv": ""} {
		t.Run(format, func(t *testing.T) {
			te := newTestEnv(t)
			if code := te.run(t, f.cmdArgs("query", "--format", format, "SELECT Id FROM Account WHERE Name = 'none'")...); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
			}
			if got := te.Stdout.String(); got != want {
				t.Errorf("stdout = %q, want %q", got, want)
			}
		})
	}
}

func TestQueryAllAndOutputFile(t *testing.T) {
	f := newQueryFixture(t)
	ids, _ := f.srv.AddRecords("Account", sftest.Record{"Name": "Gone"})
	tok, _ := f.srv.IssueToken(sftest.DefaultUsername)
	c, _ := sfclient.New(sfclient.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok}),
		InstanceURL: f.srv.URL, HTTPClient: f.srv.Client()})
	if err := c.Delete(t.Context(), "Account", ids[0]); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	if code := te.run(t, f.cmdArgs("query", "SELECT Id FROM Account")...); code != 0 || strings.Count(te.Stdout.String(), "\n") != 3 {
		t.Fatalf("without --all: exit %d, %d lines, want 3; stderr %s", code, strings.Count(te.Stdout.String(), "\n"), te.Stderr)
	}
	out := filepath.Join(t.TempDir(), "accounts.ndjson")
	te = newTestEnv(t)
	if code := te.run(t, f.cmdArgs("query", "--all", "--output", out, "SELECT Id, Name FROM Account")...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if te.Stdout.Len() != 0 || strings.Count(string(data), "\n") != 4 {
		t.Errorf("stdout %q, file %q; want 4 records in the file only", te.Stdout, data)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["attributes"] != nil || m["Id"] == nil {
			t.Errorf("line %q: want a JSON record with Id and without attributes", line)
		}
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o600 {
		t.Errorf("output mode %v, want 0600", info.Mode().Perm())
	}
}

func TestQueryFailures(t *testing.T) {
	f := newQueryFixture(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no SOQL", f.cmdArgs("query"), 2, `sfjwt query: give exactly one SOQL query, quoted`},
		{"two SOQL", f.cmdArgs("query", "SELECT Id FROM Account", "extra"), 2, `sfjwt query: give exactly one SOQL query`},
		{"bad format", f.cmdArgs("query", "--format", "xml", "SELECT Id FROM Account"), 2, `sfjwt query: --format "xml": want ndjson, json or csv`},
		{"bad batch", f.cmdArgs("query", "--batch-size", "50", "SELECT Id FROM Account"), 2, `sfjwt query: --batch-size 50: Salesforce accepts 200 to 2000`},
		{"no connection", []string{"query", "SELECT Id FROM Account"}, 2, `sfjwt query: missing --instance-url or SFJWT_INSTANCE_URL`},
		{"malformed", f.cmdArgs("query", "--output", out, "SELECT FROM Account"), 1,
			`sfjwt query: --output ` + out + `: after 0 records: sfclient: GET /services/data/v66.0/query: 400 MALFORMED_QUERY`},
		{"unknown object", f.cmdArgs("query", "SELECT Id FROM Nope__c"), 1, `400 INVALID_TYPE`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			code := te.run(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(te.Stderr.String(), tt.wantErr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, te.Stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after failed queries: %v", entries)
	}
}

func TestFlattenAndStrip(t *testing.T) {
	rec := []byte(`{"attributes":{"type":"Contact"},"Id":"003","Account":{"attributes":{"type":"Account"},"Name":"Acme","Owner":{"Name":"Ann"}},"Manager":null,"Active":true,"Score":1.50,"Cases":{"totalSize":0,"done":true,"records":[]}}`)
	got, err := stripAttributes(rec)
	want := `{"Id":"003","Account":{"Name":"Acme","Owner":{"Name":"Ann"}},"Manager":null,"Active":true,"Score":1.50,"Cases":{"totalSize":0,"done":true,"records":[]}}`
	if err != nil || string(got) != want {
		t.Errorf("stripAttributes =\n%s, %v\nwant\n%s", got, err, want)
	}
	var cols []string
	err = flattenRecord(rec, "", func(k, v string) { cols = append(cols, k+"="+v) })
	wantCols := "Id=003|Account.Name=Acme|Account.Owner.Name=Ann|Manager=|Active=true|Score=1.50|Cases.totalSize=0|Cases.done=true|Cases.records=[]"
	if err != nil || strings.Join(cols, "|") != wantCols {
		t.Errorf("flattenRecord = %s, %v\nwant %s", strings.Join(cols, "|"), err, wantCols)
	}
	if _, err := stripAttributes([]byte(`[1]`)); err == nil || err.Error() != "record is not a JSON object" {
		t.Errorf("stripAttributes([1]): err = %v", err)
	}
}

func TestQueryCountAndCSVColumns(t *testing.T) {
	f := newQueryFixture(t)
	tests := []struct {
		name       string
		args       []string
		want, warn string
	}{
		{"count ndjson", []string{"SELECT COUNT() FROM Account"}, `{"totalSize":3}` + "\n", ""},
		{"count csv", []string{"--format", "csv", "select count() from Account"}, "totalSize\n3\n", ""},
		{"count json", []string{"--format", "json", "SELECT COUNT() FROM Account WHERE Name = 'Zeta'"}, "[\n{\"totalSize\":1}\n]\n", ""},
		{"columns from SOQL", []string{"--format", "csv", "SELECT name, Id FROM Account WHERE Name = 'Zeta'"}, "name,Id\nZeta,", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			if code := te.run(t, f.cmdArgs(append([]string{"query"}, tt.args...)...)...); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, te.Stderr)
			}
			if got := te.Stdout.String(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("stdout = %q, want it to start with %q", got, tt.want)
			}
			if te.Stderr.String() != tt.warn {
				t.Errorf("stderr = %q, want %q", te.Stderr, tt.warn)
			}
		})
	}
}

func TestSelectFields(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT Id, Name FROM Account", "Id|Name"},
		{"select Id,Owner.Name from Account where Name = 'a, b'", "Id|Owner.Name"},
		{"SELECT Id,\n Name\nFROM Account", "Id|Name"},
		{"SELECT COUNT(Id) FROM Account", ""},
		{"SELECT Id, (SELECT Id FROM Contacts) FROM Account", ""},
		{"SELECT FIELDS(STANDARD) FROM Account", ""},
		{"SELECT TYPEOF What WHEN Account THEN Name END FROM Event", ""},
		{"Id FROM Account", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(selectFields(tt.in), "|"); got != tt.want {
				t.Errorf("selectFields = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCSVWarnsOnIrregularRecords(t *testing.T) {
	var out, warn strings.Builder
	w := newRecordWriter("csv", &out, "SELECT Id, COUNT(Name) FROM Account GROUP BY Id", &warn)
	for _, rec := range []string{`{"Id":"1","Owner":null}`, `{"Id":"2","Owner":{"Name":"Ann"}}`, `{"Id":"3","Owner":{"Name":"Bob"}}`} {
		if err := w.write(json.RawMessage(rec)); err != nil {
			t.Fatal(err)
		}
	}
	w.close()
	if out.String() != "Id,Owner\n1,\n2,\n3,\n" {
		t.Errorf("csv = %q", out.String())
	}
	if warn.String() != "sfjwt query: warning: field Owner.Name is not a CSV column (columns come from the first record); use --format ndjson for such results\n" {
		t.Errorf("warning = %q, want one warning", warn.String())
	}
}

// --output never replaces an existing file without --force, and a folder is refused before
// any request.
func TestQueryOutputRefusesExistingFile(t *testing.T) {
	f := newQueryFixture(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "server.key")
	os.WriteFile(existing, []byte("precious"), 0o600)
	before := len(f.srv.Requests())
	for _, tt := range []struct{ path, want string }{
		{existing, "already exists; nothing was written (give another path, or --force to replace it)"},
		{dir, "is a folder; give a file path"},
	} {
		te := newTestEnv(t)
		if code := te.run(t, f.cmdArgs("query", "--output", tt.path, "SELECT Id FROM Account")...); code != 1 || !strings.Contains(te.Stderr.String(), tt.want) {
			t.Errorf("--output %s: exit %d, stderr %q, want %q", tt.path, code, te.Stderr, tt.want)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "precious" {
		t.Errorf("existing file changed to %q", b)
	}
	if n := len(f.srv.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent for a refused destination", n)
	}
	te := newTestEnv(t)
	if code := te.run(t, f.cmdArgs("query", "--force", "--output", existing, "SELECT Id FROM Account")...); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, te.Stderr)
	}
	if b, _ := os.ReadFile(existing); !strings.Contains(string(b), `"Id"`) {
		t.Errorf("--force did not replace the file: %q", b)
	}
}
