// Command clientcredentials logs in to Salesforce with the OAuth 2.0 client credentials
// flow (jwtauth.NewClientCredentials): the External Client App's consumer key and secret buy
// a token for the app's run-as user, with no key or certificate. It then reads that user's
// record with one REST call and prints who the integration runs as.
//
// Usage:
//
//	go run ./examples/clientcredentials
//
// With no org configured it runs offline against an emulated org (sfclient/sftest) whose app
// has the flow on. For a real org set:
//
//	SFJWT_INSTANCE_URL   the org's My Domain URL, e.g. https://acme.my.salesforce.com
//	                     (Salesforce refuses this flow on login.salesforce.com)
//	SFJWT_CLIENT_ID      the External Client App's Consumer Key
//	SFJWT_CLIENT_SECRET  its Consumer Secret
//	SFJWT_CA_FILE        optional: extra trusted CA certificates (PEM), e.g. for sfjwt serve
//
// The app needs "Enable Client Credentials Flow" and a run-as user (guide steps 8 and 14).
package main

import (
	"context"
	"encoding/json"
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
		fmt.Fprintln(os.Stderr, "clientcredentials:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer, args []string, getenv func(string) string) error {
	if len(args) > 0 {
		return errors.New("usage: clientcredentials (it takes no arguments; set SFJWT_* environment variables for a real org)")
	}
	cfg, stop, err := connect(stdout, getenv)
	if err != nil {
		return err
	}
	defer stop()

	ts, err := jwtauth.NewClientCredentials(cfg)
	if err != nil {
		return err
	}
	tok, err := ts.TokenContext(ctx) // a refusal is a *jwtauth.TokenError naming the fix
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "org ID:     %s\n", jwtauth.OrgID(tok))

	// One REST call: the run-as user's record (GET sobjects/User/{id}?fields=Username).
	client, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: cfg.HTTPClient})
	if err != nil {
		return err
	}
	userID := jwtauth.UserID(tok)
	raw, err := client.Get(ctx, "User", userID, "Username")
	if err != nil {
		return err
	}
	var user struct{ Username string }
	if err := json.Unmarshal(raw, &user); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "running as: %s (%s)\n", user.Username, userID)
	return nil
}
