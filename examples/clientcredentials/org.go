package main

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// connect returns the client credentials settings of the org the environment names or, when
// SFJWT_INSTANCE_URL is empty, of an emulated org started here; stop shuts it down.
func connect(stdout io.Writer, getenv func(string) string) (cfg jwtauth.ClientCredentialsConfig, stop func(), err error) {
	if getenv("SFJWT_INSTANCE_URL") == "" {
		return emulatedOrg(stdout)
	}
	cfg = jwtauth.ClientCredentialsConfig{
		InstanceURL:  getenv("SFJWT_INSTANCE_URL"), // the My Domain URL: this flow refuses login.salesforce.com
		ClientID:     getenv("SFJWT_CLIENT_ID"),    // the Consumer Key
		ClientSecret: getenv("SFJWT_CLIENT_SECRET"),
	}
	cfg.HTTPClient, err = httpClient(getenv("SFJWT_CA_FILE"))
	return cfg, func() {}, err
}

// httpClient returns nil (the SDK's default clients, trusting the system's roots) or, with a
// CA file, a client that also trusts its certificates, e.g. those of sfjwt serve.
func httpClient(caFile string) (*http.Client, error) {
	if caFile == "" {
		return nil, nil
	}
	data, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("SFJWT_CA_FILE %s: no PEM certificate in it", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr, Timeout: time.Minute}, nil
}

// emulatedOrg starts an emulated org (sftest) whose External Client App has the client
// credentials flow on, as guide steps 8 and 14 set it up.
func emulatedOrg(stdout io.Writer) (jwtauth.ClientCredentialsConfig, func(), error) {
	app := sftest.DefaultApp()
	app.ClientCredentials = true               // step 8: Enable Client Credentials Flow
	app.RunAsUsername = sftest.DefaultUsername // step 14: the user the flow runs as
	app.ConsumerSecret = rand.Text()           // the Consumer Secret, shown next to the key
	srv, err := sftest.New(sftest.Config{Apps: []sftest.App{app}})
	if err != nil {
		return jwtauth.ClientCredentialsConfig{}, nil, err
	}
	srv.StartTLS()
	fmt.Fprintf(stdout, "offline: emulated org at %s (set SFJWT_INSTANCE_URL and friends for a real org)\n", srv.URL)
	return jwtauth.ClientCredentialsConfig{
		InstanceURL: srv.URL, ClientID: app.ConsumerKey, ClientSecret: app.ConsumerSecret,
		HTTPClient: srv.Client(),
	}, srv.Close, nil
}
