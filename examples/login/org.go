package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// connect returns the JWT bearer settings of the org the environment names or, when
// SFJWT_INSTANCE_URL is empty, of an emulated org started here; stop shuts it down.
func connect(stdout io.Writer, getenv func(string) string) (cfg jwtauth.Config, stop func(), err error) {
	if getenv("SFJWT_INSTANCE_URL") == "" {
		return emulatedOrg(stdout)
	}
	cfg = jwtauth.Config{
		InstanceURL: getenv("SFJWT_INSTANCE_URL"), // the My Domain URL; also where to log in
		ClientID:    getenv("SFJWT_CLIENT_ID"),    // the Consumer Key
		Username:    getenv("SFJWT_USERNAME"),     // the pre-authorized integration user
		KeyFile:     getenv("SFJWT_KEY_FILE"),     // server.key, or server.pass.key with a password
	}
	if p := getenv("SFJWT_KEY_PASSWORD"); p != "" {
		cfg.KeyPassword = []byte(p)
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

// emulatedOrg starts an emulated org (sftest) and does the guide's set-up against it: a fresh
// key and certificate, the certificate uploaded to the External Client App.
func emulatedOrg(stdout io.Writer) (jwtauth.Config, func(), error) {
	key, err := certgen.GenerateKey(certgen.DefaultKeyBits)
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	subject := certgen.Subject{Country: "US", State: "California", Locality: "San Francisco", Organization: "Example Corp"}
	der, err := certgen.SelfSigned(key, subject, certgen.CertOptions{})
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	srv, err := sftest.New(sftest.Config{})
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	srv.StartTLS()
	srv.AddCertificate(cert) // guide step 9: upload server.crt to the External Client App
	fmt.Fprintf(stdout, "offline: emulated org at %s (set SFJWT_INSTANCE_URL and friends for a real org)\n", srv.URL)
	return jwtauth.Config{
		InstanceURL: srv.URL, ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		Key: key, HTTPClient: srv.Client(),
	}, srv.Close, nil
}
