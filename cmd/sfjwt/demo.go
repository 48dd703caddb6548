package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/fsutil"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/keystore"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

const demoSynopsis = "sfjwt demo [--keep DIR] [--accounts N]"

const demoDescription = `Run the whole setup guide and the SIEM's side of it offline, in one command: make the
certificate bundle, the PKCS#12 and JKS keystores with a valid alias, start an emulated
Salesforce org (sfclient/sftest) with the certificate uploaded to its External Client App, run
doctor against it, log in with the JWT bearer flow, run a paginated query and download an
EventLogFile. Each step is printed with its time. Nothing leaves this machine.

The files go to a temporary folder that is removed at the end, or to --keep DIR (created; it
must not hold the files already).`

// demoAlias is the keystore alias the demo uses: valid for Salesforce, unlike keytool's "1".
const demoAlias = "sfjwt_demo"

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("demo", demoSynopsis, demoDescription)
	keep := fs.String("keep", "", "keep the generated files in `DIR` instead of a temporary folder")
	accounts := fs.Int("accounts", 2500, "`number` of Account records in the emulated org (the query pages through them)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *accounts < 0 || *accounts > 200000 {
		return usageErr(fs, "--accounts %d: want 0 to 200000", *accounts)
	}
	dir, cleanup, err := demoDir(*keep)
	if err != nil {
		return err
	}
	defer cleanup()
	d := &demo{env: e, dir: dir, accounts: *accounts, start: time.Now()}
	err = d.run(ctx)
	if err != nil {
		return fmt.Errorf("step %q: %w", d.step, err)
	}
	fmt.Fprintf(e.stdout, "\nDemo passed in %s.", time.Since(d.start).Round(time.Millisecond))
	if *keep != "" {
		fmt.Fprintf(e.stdout, " Files kept in %s.\n", dir)
	} else {
		fmt.Fprintln(e.stdout, " Temporary files removed (use --keep DIR to keep them).")
	}
	fmt.Fprintln(e.stdout, "Next, for a real org: sfjwt cert, upload server.crt (guide step 9), then sfjwt doctor.")
	return nil
}

func demoDir(keep string) (string, func(), error) {
	if keep == "" {
		dir, err := os.MkdirTemp("", "sfjwt-demo-")
		if err != nil {
			return "", nil, err
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	abs, err := filepath.Abs(keep)
	if err != nil {
		return "", nil, err
	}
	if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
		return "", nil, fmt.Errorf("--keep %s is not empty; give a new or empty folder (the demo never replaces files)", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", nil, fmt.Errorf("--keep: %w", err)
	}
	return abs, func() {}, nil
}

// demo is one run of "sfjwt demo".
type demo struct {
	env      *env
	dir      string
	accounts int
	start    time.Time
	step     string

	password []byte
	bundle   certgen.Bundle
	srv      *sftest.Server
	caFile   string
}

func (d *demo) run(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(context.Context) (string, error)
	}{
		{"certificate bundle", d.makeBundle},
		{"keystores", d.makeKeystores},
		{"emulated org", d.startOrg},
		{"doctor", d.runDoctor},
		{"JWT login and query", d.loginAndQuery},
		{"event log file", d.downloadEventLog},
	}
	defer func() {
		if d.srv != nil {
			d.srv.Close()
		}
	}()
	fmt.Fprintf(d.env.stdout, "sfjwt demo: the setup guide end to end, offline, in %s\n\n", d.dir)
	for i, s := range steps {
		d.step = s.name
		t0 := time.Now()
		summary, err := s.fn(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.env.stdout, "%d. %-20s %7s  %s\n", i+1, s.name, time.Since(t0).Round(time.Millisecond), summary)
	}
	return nil
}

func (d *demo) makeBundle(context.Context) (string, error) {
	raw := make([]byte, 18)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	d.password = []byte(base64.RawURLEncoding.EncodeToString(raw))
	pwFile := filepath.Join(d.dir, "demo-password.txt")
	if err := fsutil.WriteFile(pwFile, append(d.password, '\n'), 0o600, false); err != nil {
		return "", err
	}
	b, err := certgen.WriteBundle(d.dir, certgen.BundleOptions{
		Subject:  certgen.Subject{Country: "US", State: "California", Locality: "San Francisco", Organization: "sfjwt demo", CommonName: "sfjwt demo"},
		Password: d.password,
	})
	if err != nil {
		return "", err
	}
	d.bundle = b
	return fmt.Sprintf("server.pass.key, server.key, server.csr, server.crt, server.pem (RSA %d, password in demo-password.txt)", b.Bits), nil
}

func (d *demo) makeKeystores(context.Context) (string, error) {
	key, err := certgen.ReadPrivateKeyFile(d.bundle.PEM, nil)
	if err != nil {
		return "", err
	}
	cert, err := certgen.ReadCertificateFile(d.bundle.Cert)
	if err != nil {
		return "", err
	}
	p12, jks := filepath.Join(d.dir, "keystore.p12"), filepath.Join(d.dir, "servercert.jks")
	if err := keystore.Export(keystore.ExportConfig{
		Key: key, Certificate: cert, Alias: demoAlias, Password: d.password, PKCS12Path: p12, JKSPath: jks,
	}); err != nil {
		return "", err
	}
	list, err := keystore.ListFile(jks, d.password)
	if err != nil {
		return "", err
	}
	if len(list.Entries) != 1 || list.Entries[0].Alias != demoAlias || list.Entries[0].Type != keystore.PrivateKeyEntry {
		return "", fmt.Errorf("servercert.jks lists %+v, want one PrivateKeyEntry %q", list.Entries, demoAlias)
	}
	return fmt.Sprintf("keystore.p12 and servercert.jks, alias %q (%s)", demoAlias, list.Entries[0].Type), nil
}

func (d *demo) startOrg(context.Context) (string, error) {
	cert, err := certgen.ReadCertificateFile(d.bundle.Cert)
	if err != nil {
		return "", err
	}
	srv, err := sftest.New(sftest.Config{NoSampleData: true})
	if err != nil {
		return "", err
	}
	srv.StartTLS()
	d.srv = srv
	srv.AddCertificate(cert) // guide step 9: upload server.crt to the External Client App
	if _, err := srv.AddAccounts(d.accounts); err != nil {
		return "", err
	}
	if _, err := srv.AddEventLogFiles(3, 200); err != nil {
		return "", err
	}
	d.caFile = filepath.Join(d.dir, "emulator-ca.pem")
	if err := fsutil.WriteFile(d.caFile, certgen.EncodeCertificatePEM(srv.Certificate().Raw), 0o644, false); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s with server.crt uploaded, %d accounts, 3 event log files", srv.URL, d.accounts), nil
}

// conn returns the connection settings a user would give, pointing at the emulator.
func (d *demo) conn() *conn {
	return &conn{
		InstanceURL: d.srv.URL, ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		KeyFile: d.bundle.PEM, CAFile: d.caFile,
	}
}

func (d *demo) runDoctor(ctx context.Context) (string, error) {
	c := d.conn()
	client, err := c.httpClient()
	if err != nil {
		return "", err
	}
	doc := &doctor{env: d.env, conn: c, certFile: d.bundle.Cert, client: client, now: d.env.now}
	r := doc.run(ctx)
	if !r.Summary.OK {
		var sb strings.Builder
		r.writeText(&sb)
		return "", fmt.Errorf("doctor found problems:\n%s", sb.String())
	}
	return fmt.Sprintf("%d passed, %d warnings, 0 failed", r.Summary.Passed, r.Summary.Warnings), nil
}

func (d *demo) client() (*sfclient.Client, *jwtauth.TokenSource, error) {
	return newSFClientSource(d.env, d.conn())
}

func (d *demo) loginAndQuery(ctx context.Context) (string, error) {
	cl, ts, err := d.client()
	if err != nil {
		return "", err
	}
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		return "", err
	}
	before := d.countRequests("/query")
	n := 0
	for rec, err := range cl.Query(ctx, "SELECT Id, Name FROM Account ORDER BY Name", &sfclient.QueryOptions{BatchSize: 1000}) {
		if err != nil {
			return "", err
		}
		var a struct{ Id, Name string }
		if err := json.Unmarshal(rec, &a); err != nil {
			return "", err
		}
		n++
	}
	if n != d.accounts {
		return "", fmt.Errorf("query returned %d accounts, want %d", n, d.accounts)
	}
	pages := d.countRequests("/query") - before
	return fmt.Sprintf("org %s, user %s; %d accounts in %d pages", jwtauth.OrgID(tok), jwtauth.UserID(tok), n, pages), nil
}

func (d *demo) countRequests(substr string) int {
	n := 0
	for _, r := range d.srv.Requests() {
		if strings.Contains(r.Path, substr) {
			n++
		}
	}
	return n
}

func (d *demo) downloadEventLog(ctx context.Context) (string, error) {
	cl, _, err := d.client()
	if err != nil {
		return "", err
	}
	for f, err := range cl.EventLogFiles(ctx, sfclient.EventLogFilter{}) {
		if err != nil {
			return "", err
		}
		path := filepath.Join(d.dir, fmt.Sprintf("%s-%s-%s.csv", f.EventType, f.LogDate.Format(time.DateOnly), f.ID))
		n, err := downloadToFile(ctx, cl, f, path)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s (%d bytes, streamed to disk)", filepath.Base(path), n), nil
	}
	return "", errors.New("the org lists no event log files")
}

// downloadToFile streams one event log file into path through a temporary file that is
// renamed only when the download is complete, so a failure never leaves half a CSV.
func downloadToFile(ctx context.Context, cl *sfclient.Client, f sfclient.EventLogFile, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := cl.DownloadEventLogFile(ctx, f, tmp, nil)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}
