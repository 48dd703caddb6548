// Command login logs in to Salesforce with the OAuth 2.0 JWT bearer flow (package jwtauth)
// and makes REST calls with the token (package sfclient): it prints the org ID, user ID and
// instance URL of the login, the Organization's name (a SOQL query) and the org's
// DailyApiRequests limit.
//
// Usage:
//
//	go run ./examples/login
//
// With no org configured it runs offline: it starts an emulated org (sfclient/sftest),
// generates a key and uploads its certificate to the emulated External Client App. For a
// real org set:
//
//	SFJWT_INSTANCE_URL  the org's My Domain URL, e.g. https://acme.my.salesforce.com
//	SFJWT_CLIENT_ID     the External Client App's Consumer Key
//	SFJWT_USERNAME      the pre-authorized integration user's username
//	SFJWT_KEY_FILE      the private key whose certificate the app holds (server.key)
//	SFJWT_KEY_PASSWORD  the key's password, for an encrypted key (server.pass.key)
//	SFJWT_CA_FILE       optional: extra trusted CA certificates (PEM), e.g. for sfjwt serve
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Args[1:], os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "login:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer, args []string, getenv func(string) string) error {
	if len(args) > 0 {
		return errors.New("usage: login (it takes no arguments; set SFJWT_* environment variables for a real org)")
	}
	cfg, stop, err := connect(stdout, getenv)
	if err != nil {
		return err
	}
	defer stop()

	// The JWT bearer login. A refusal is a *jwtauth.TokenError whose text names the
	// setup-guide step that fixes it.
	ts, err := jwtauth.New(cfg)
	if err != nil {
		return err
	}
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "org ID:           %s\n", jwtauth.OrgID(tok))
	fmt.Fprintf(stdout, "user ID:          %s\n", jwtauth.UserID(tok))
	fmt.Fprintf(stdout, "instance URL:     %s\n", jwtauth.InstanceURL(tok))

	// REST calls with the same token source: it refreshes the token when it expires.
	client, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: cfg.HTTPClient})
	if err != nil {
		return err
	}
	type organization struct{ Name string }
	for org, err := range sfclient.Decode[organization](client.Query(ctx, "SELECT Name FROM Organization", nil)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "organization:     %s\n", org.Name)
	}
	limits, err := client.Limits(ctx)
	if err != nil {
		return err
	}
	daily := limits["DailyApiRequests"]
	fmt.Fprintf(stdout, "DailyApiRequests: %d used of %d\n", daily.Used(), daily.Max)
	return nil
}
