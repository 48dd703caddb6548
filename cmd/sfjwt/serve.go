package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/fsutil"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

const serveSynopsis = "sfjwt serve [--addr HOST:PORT] [--cert FILE]... [--client-id KEY] [--username NAME] [flags]"

const serveDescription = `Runs an emulated Salesforce org (package sfclient/sftest) as a local HTTPS server until
interrupted (Ctrl+C or SIGTERM). It answers the OAuth token endpoint (JWT bearer and client
credentials flows, refusing bad logins with Salesforce's exact errors) and the REST API
(versions, query, sObjects, limits, EventLogFile downloads), so clients written for
Salesforce - the sf CLI, jsforce, Go programs - can be tried without a real org.

Register the certificate your client signs with using --cert (the server.crt that the guide
uploads to the External Client App). Clients trust the server through --tls-cert-out, e.g.
NODE_EXTRA_CA_CERTS=FILE for the sf CLI, which logs in with
  sf org login jwt --instance-url <Instance URL> --client-id <Client ID> --username <Username> --jwt-key-file server.key

The consumer secret (client credentials flow, introspection) comes from --client-secret-file
or the SFJWT_CLIENT_SECRET environment variable; without either the well-known test secret
is used. The server listens on loopback only unless --listen-any is given.`

// certFiles collects repeated --cert flags.
type certFiles []string

func (c *certFiles) String() string     { return strings.Join(*c, ",") }
func (c *certFiles) Set(v string) error { *c = append(*c, v); return nil }

// serveOptions are the parsed flags of serve.
type serveOptions struct {
	addr, clientID, username, secretFile, tlsOut string
	certs                                        certFiles
	listenAny, sandbox, asJSON, verbose, force   bool
	sessionTimeout                               time.Duration
	records, elfs                                int
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("serve", serveSynopsis, serveDescription)
	var o serveOptions
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "listen `address` (host:port; port 0 picks a free one)")
	fs.BoolVar(&o.listenAny, "listen-any", false, "allow a non-loopback --addr (the org is for tests: no real security)")
	fs.Var(&o.certs, "cert", "PEM certificate `file` registered with the app (repeatable)")
	fs.StringVar(&o.clientID, "client-id", sftest.DefaultClientID, "consumer key of the emulated External Client App")
	fs.StringVar(&o.secretFile, "client-secret-file", "", "read the consumer secret from the first line of `file` (or set SFJWT_CLIENT_SECRET)")
	fs.StringVar(&o.username, "username", sftest.DefaultUsername, "username of the org's active user")
	fs.DurationVar(&o.sessionTimeout, "session-timeout", sftest.DefaultSessionTimeout, "idle timeout of access tokens")
	fs.BoolVar(&o.sandbox, "sandbox", false, "emulate a sandbox (JWT aud https://test.salesforce.com)")
	fs.IntVar(&o.records, "records", 0, "add `N` Account records (Account 0004, …) to the three samples")
	fs.IntVar(&o.elfs, "event-log-files", 0, "add `N` daily EventLogFile records with generated CSV bodies")
	fs.StringVar(&o.tlsOut, "tls-cert-out", "", "write the server's TLS certificate (PEM) to `file` before serving")
	fs.BoolVar(&o.force, "force", false, "let --tls-cert-out replace a file that is not an earlier emulator certificate")
	fs.BoolVar(&o.asJSON, "json", false, "print the connection details as one JSON object")
	fs.BoolVar(&o.verbose, "verbose", false, "log every request (method, path, status) to standard error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkServeFlags(&o, fs.NArg() > 0); err != nil {
		return usageErr(fs, "%s", err)
	}
	srv, info, err := startServe(e, o)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := printServeInfo(e, o.asJSON, info); err != nil {
		return err
	}
	<-ctx.Done()
	if !o.asJSON {
		fmt.Fprintln(e.stderr, "sfjwt serve: stopped")
	}
	return nil
}

func checkServeFlags(o *serveOptions, extraArgs bool) error {
	switch {
	case extraArgs:
		return errors.New("serve takes no arguments (all values are given with flags)")
	case o.clientID == "" || o.username == "":
		return errors.New("--client-id and --username must not be empty")
	case o.sessionTimeout <= 0:
		return errors.New("--session-timeout must be positive")
	case o.records < 0 || o.elfs < 0:
		return errors.New("--records and --event-log-files must not be negative")
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", o.addr, err)
	}
	if !o.listenAny && !isLoopback(host) {
		return fmt.Errorf("--addr %q is not a loopback address; add --listen-any to listen on it", o.addr)
	}
	if o.tlsOut != "" && !o.force {
		return checkTLSOut(o.tlsOut)
	}
	return nil
}

// checkTLSOut refuses a --tls-cert-out path holding anything but an earlier emulator
// certificate: mixing up --cert and --tls-cert-out must not wipe the server.crt a user
// uploaded to Salesforce.
func checkTLSOut(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		if c, perr := certgen.ParseCertificatePEM(data); perr == nil && slices.Contains(c.Subject.Organization, sftest.TLSOrganization) {
			return nil // the emulator's own certificate from an earlier run
		}
	}
	return fmt.Errorf("--tls-cert-out %s already exists and is not an earlier emulator certificate; nothing was written (give another path, or --force to replace it)", path)
}

// isLoopback reports whether host names only the local machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveInfo is what serve prints.
type serveInfo struct {
	InstanceURL string `json:"instance_url"`
	TokenURL    string `json:"token_url"`
	ClientID    string `json:"client_id"`
	Username    string `json:"username"`
	OrgID       string `json:"org_id"`
	Audience    string `json:"audience"`
	Sandbox     bool   `json:"sandbox"`
	TLSCertFile string `json:"tls_cert_file,omitempty"`
	Certs       int    `json:"certificates"`
}

// startServe builds the org, writes the TLS certificate and starts serving.
func startServe(e *env, o serveOptions) (*sftest.Server, serveInfo, error) {
	var info serveInfo
	secret, err := readSecret(e, secretSource{what: "consumer secret", file: o.secretFile,
		fileFlag: "--client-secret-file", envVar: "SFJWT_CLIENT_SECRET", optional: true})
	if err != nil {
		return nil, info, err
	}
	app := sftest.DefaultApp()
	app.ConsumerKey, app.RunAsUsername, app.SessionTimeout = o.clientID, o.username, o.sessionTimeout
	if len(secret) > 0 {
		app.ConsumerSecret = string(secret)
	}
	for _, path := range o.certs {
		c, err := certgen.ReadCertificateFile(path)
		if err != nil {
			return nil, info, fmt.Errorf("--cert %s: %w", path, err)
		}
		app.Certificates = append(app.Certificates, c)
	}
	cfg := sftest.Config{Org: sftest.Org{Sandbox: o.sandbox}, Users: []sftest.User{{Username: o.username}}, Apps: []sftest.App{app}}
	if o.verbose {
		cfg.Log = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	srv, err := sftest.New(cfg)
	if err != nil {
		return nil, info, err
	}
	if err := seedServe(srv, o); err != nil {
		return nil, info, err
	}
	if err := listenServe(srv, o); err != nil {
		return nil, info, err
	}
	base := reachableURL(srv.URL)
	info = serveInfo{InstanceURL: base, TokenURL: base + "/services/oauth2/token", ClientID: o.clientID, Username: o.username,
		OrgID: srv.OrgID(), Audience: srv.Audience(), Sandbox: o.sandbox, TLSCertFile: o.tlsOut, Certs: len(o.certs)}
	return srv, info, nil
}

// reachableURL replaces an unspecified listen address (0.0.0.0, ::) in u by 127.0.0.1, so the
// printed URL can be used as is on this machine.
func reachableURL(u string) string {
	for _, prefix := range []string{"https://0.0.0.0:", "https://[::]:"} {
		if strings.HasPrefix(u, prefix) {
			return "https://127.0.0.1:" + strings.TrimPrefix(u, prefix)
		}
	}
	return u
}

func seedServe(srv *sftest.Server, o serveOptions) error {
	if o.records > 0 {
		if _, err := srv.AddAccounts(o.records); err != nil {
			return err
		}
	}
	if o.elfs > 0 {
		if _, err := srv.AddEventLogFiles(o.elfs, 100); err != nil {
			return err
		}
	}
	return nil
}

// listenServe binds --addr, gives the server a certificate for that address and localhost,
// writes it to --tls-cert-out and then starts serving.
func listenServe(srv *sftest.Server, o serveOptions) error {
	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	hs := srv.HTTPServer()
	if hs.Listener != nil {
		_ = hs.Listener.Close()
	}
	hs.Listener = l
	host, _, _ := net.SplitHostPort(o.addr)
	cert, err := sftest.NewTLSCertificate(host)
	if err != nil {
		_ = l.Close()
		return err
	}
	if o.tlsOut != "" {
		if err := fsutil.WriteFile(o.tlsOut, certgen.EncodeCertificatePEM(cert.Certificate[0]), 0o644, true); err != nil {
			_ = l.Close()
			return fmt.Errorf("--tls-cert-out: %w", err)
		}
	}
	hs.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	return nil
}

func printServeInfo(e *env, asJSON bool, info serveInfo) error {
	if asJSON {
		return json.NewEncoder(e.stdout).Encode(info)
	}
	fmt.Fprintf(e.stdout, "Emulated Salesforce org running (Ctrl+C to stop)\n")
	fmt.Fprintf(e.stdout, "  Instance URL: %s\n  Client ID:    %s\n  Username:     %s\n", info.InstanceURL, info.ClientID, info.Username)
	fmt.Fprintf(e.stdout, "  Org ID:       %s\n  Token URL:    %s\n  JWT aud:      %s or the instance URL\n", info.OrgID, info.TokenURL, info.Audience)
	if info.TLSCertFile != "" {
		fmt.Fprintf(e.stdout, "  TLS cert:     %s\n", info.TLSCertFile)
	}
	if info.Certs == 0 {
		fmt.Fprintln(e.stderr, "sfjwt serve: warning: no --cert given; JWT logins fail with \"invalid assertion\" until a certificate is registered")
	}
	return nil
}
