package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

const doctorSynopsis = "sfjwt doctor [connection flags] [--cert server.crt] [--json] [--format text|json|yaml] [--offline]"

const doctorDescription = `Check the whole JWT set-up the way Salesforce and the SIEM will use it, and print one line
per check — PASS, WARN or FAIL — with the setup-guide step that fixes each problem. Then print
the guide's "Required fields for JWT Authentication Integration" with the real values, ready to
send (--format json or yaml for structured config; yaml is an Elastic Agent / Filebeat
"salesforce" input). --json prints the whole report as one JSON document. Exit status 1 when a
check failed.

Checks: the key file (exists, full path not in the root folder, mode 0600, parses, RSA >= 2048),
the certificate (--cert: matches the key, expiry, SHA-256 fingerprint), the fields' shapes, and
live against the org: /services/data answers, the API version is offered, the clocks agree, the
JWT login works, the token reads the REST API, limits, and EventLogFile access.

` + connFlagsDescription

func runDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("doctor", doctorSynopsis, doctorDescription)
	cf := addConnFlags(fs)
	certFile := fs.String("cert", "", "the certificate `file` uploaded to the app (server.crt), to check against the key")
	asJSON := fs.Bool("json", false, "print the whole report as one JSON document")
	format := fs.String("format", "text", "format of the required-fields block: text, json or yaml")
	offline := fs.Bool("offline", false, "check only the local files and fields; do not contact the org")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *format != "text" && *format != "json" && *format != "yaml" {
		return usageErr(fs, "--format %q: want text, json or yaml", *format)
	}
	c := cf.values(e)
	if c.APIVersion != "" {
		if v, err := normalizeAPIVersion(c.APIVersion); err == nil {
			c.APIVersion = v
		}
	}
	client, err := c.httpClient()
	if err != nil {
		return err
	}
	d := &doctor{env: e, conn: c, certFile: *certFile, client: client, now: e.now, offline: *offline}
	r := d.run(ctx)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		r.writeText(e.stdout)
		fmt.Fprintln(e.stdout)
		if err := r.Fields.write(e.stdout, *format); err != nil {
			return err
		}
	}
	if !r.Summary.OK {
		return errChecksFailed
	}
	return nil
}

// errChecksFailed makes doctor exit 1 after printing its report, without another message.
var errChecksFailed = &silentError{"some checks failed"}

// silentError is an error whose message was already shown to the user.
type silentError struct{ msg string }

func (e *silentError) Error() string { return e.msg }

// doctor runs the checks of one "sfjwt doctor" invocation.
type doctor struct {
	env         *env
	conn        *conn
	certFile    string
	keyPassword []byte
	client      *http.Client
	now         func() time.Time
	offline     bool
	cert        *x509.Certificate
}

// run performs every check in order and returns the report.
func (d *doctor) run(ctx context.Context) *report {
	r := &report{}
	if pw, err := readSecret(d.env, secretSource{what: "key password", file: d.conn.keyPasswordFile, fileFlag: flagKeyPasswordFile, envVar: envKeyPassword, optional: true}); err != nil {
		r.fail("key password", err.Error(), "")
	} else {
		d.keyPassword = pw
	}
	key := d.checkKey(r)
	d.checkCert(r, key)
	d.checkFields(r)
	if d.offline {
		r.skip("live checks", "--offline")
	} else if r.ok("instance URL") {
		if d.checkOrg(ctx, r) != nil {
			d.checkLogin(ctx, r)
		}
	} else {
		r.skip("live checks", "need a usable instance URL")
	}
	r.summarize()
	return r
}
