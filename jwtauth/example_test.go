package jwtauth_test

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// exampleKey is the examples' RSA key (server.key in the guide), made once.
var exampleKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := certgen.GenerateKey(2048)
	if err != nil {
		log.Fatal(err)
	}
	return key
})

// startOrg starts an emulated org whose app holds the certificate of exampleKey (guide Step 9).
func startOrg(cfg sftest.Config) *sftest.Server {
	srv, err := sftest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	srv.StartTLS()
	der, err := certgen.SelfSigned(exampleKey(), certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Example"}, certgen.CertOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	srv.AddCertificate(cert)
	return srv
}

// Log in with the JWT bearer flow, as the SIEM does with the guide's required fields.
func ExampleNew() {
	srv := startOrg(sftest.Config{})
	defer srv.Close()

	ts, err := jwtauth.New(jwtauth.Config{
		ClientID:    sftest.DefaultClientID, // "How to Find Client ID (Consumer Key)"
		Username:    sftest.DefaultUsername,
		Key:         exampleKey(), // or KeyFile: "/Users/jdoe/JWT/server.pem"
		InstanceURL: srv.URL,      // the My Domain URL
		HTTPClient:  srv.Client(),
	})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := ts.Token() // cached until a minute before the 15-minute session timeout
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token type:", tok.TokenType)
	fmt.Println("org ID:", jwtauth.OrgID(tok) == srv.OrgID())
	fmt.Println("instance URL:", jwtauth.InstanceURL(tok) == srv.URL)
	fmt.Println("scopes:", jwtauth.Scopes(tok))
	fmt.Println("valid for:", time.Until(tok.Expiry).Round(time.Minute))
	// Output:
	// token type: Bearer
	// org ID: true
	// instance URL: true
	// scopes: [api refresh_token offline_access]
	// valid for: 15m0s
}

// A refused login names the setup-guide step that fixes it.
func ExampleTokenError() {
	app := sftest.DefaultApp()
	app.Profiles = []string{"Some Other Profile"} // the user's profile is not pre-authorized
	srv := startOrg(sftest.Config{Apps: []sftest.App{app}})
	defer srv.Close()

	ts, err := jwtauth.New(jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		Key: exampleKey(), InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		log.Fatal(err)
	}
	_, err = ts.Token()
	var te *jwtauth.TokenError
	if errors.As(err, &te) {
		fmt.Println(te.Status, te.Code+":", te.Description)
		fmt.Println("retryable:", te.Retryable)
		fmt.Println("hint names Step 12:", strings.Contains(te.Hint, "Step 12"))
	}
	// Output:
	// 400 invalid_grant: user hasn't approved this consumer
	// retryable: false
	// hint names Step 12: true
}

// After an HTTP 401, drop the refused token; a newer token is never dropped by mistake.
func ExampleTokenSource_Invalidate() {
	srv := startOrg(sftest.Config{})
	defer srv.Close()
	ts, err := jwtauth.New(jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		Key: exampleKey(), InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		log.Fatal(err)
	}
	old, _ := ts.Token()
	srv.RevokeAllTokens() // e.g. an admin ended the session
	ts.Invalidate(old)    // what a client does on 401 INVALID_SESSION_ID
	fresh, _ := ts.Token()
	ts.Invalidate(old) // a late caller with the old token: no effect
	again, _ := ts.Token()
	fmt.Println("new token:", fresh.AccessToken != old.AccessToken)
	fmt.Println("kept:", again == fresh)
	fmt.Println("logins:", srv.TokenRequests())
	// Output:
	// new token: true
	// kept: true
	// logins: 2
}

// The client credentials flow needs the consumer secret and the My Domain URL.
func ExampleNewClientCredentials() {
	srv := startOrg(sftest.Config{})
	defer srv.Close()
	ts, err := jwtauth.NewClientCredentials(jwtauth.ClientCredentialsConfig{
		ClientID: sftest.DefaultClientID, ClientSecret: sftest.DefaultClientSecret,
		InstanceURL: srv.URL, HTTPClient: srv.Client(),
	})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil {
		log.Fatal(err)
	}
	uid, _ := srv.UserID(sftest.DefaultUsername)
	fmt.Println("runs as the run-as user:", jwtauth.UserID(tok) == uid)

	_, err = jwtauth.NewClientCredentials(jwtauth.ClientCredentialsConfig{
		ClientID: "id", ClientSecret: "secret", InstanceURL: "https://login.salesforce.com"})
	fmt.Println(errors.Is(err, jwtauth.ErrMyDomainRequired))
	// Output:
	// runs as the run-as user: true
	// true
}

// The audience follows the login host; Config.Audience overrides it.
func ExampleDefaultAudience() {
	for _, u := range []string{
		"https://acme.my.salesforce.com",
		"https://acme--uat.sandbox.my.salesforce.com",
		"https://test.salesforce.com",
		"https://acme.my.site.com/customers",
		"https://127.0.0.1:8443",
	} {
		aud, err := jwtauth.DefaultAudience(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(aud)
	}
	// Output:
	// https://login.salesforce.com
	// https://test.salesforce.com
	// https://test.salesforce.com
	// https://acme.my.site.com/customers
	// https://127.0.0.1:8443
}
