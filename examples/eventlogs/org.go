package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
)

// connect returns a REST client logged in (JWT bearer flow) to the org the environment names
// or, when SFJWT_INSTANCE_URL is empty, to an emulated org started here; stop shuts it down.
func connect(ctx context.Context, stdout io.Writer, getenv func(string) string) (*sfclient.Client, func(), error) {
	var (
		cfg  jwtauth.Config
		stop = func() {}
		err  error
	)
	if getenv("SFJWT_INSTANCE_URL") == "" {
		cfg, stop, err = emulatedOrg(stdout)
	} else {
		cfg = fromEnv(getenv)
		cfg.HTTPClient, err = httpClient(getenv("SFJWT_CA_FILE"))
	}
	if err != nil {
		return nil, nil, err
	}
	ts, err := jwtauth.New(cfg)
	if err == nil {
		_, err = ts.TokenContext(ctx) // log in now, so a refusal is reported as such
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	client, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: cfg.HTTPClient})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return client, stop, nil
}

// fromEnv returns the JWT bearer settings the environment names.
func fromEnv(getenv func(string) string) jwtauth.Config {
	cfg := jwtauth.Config{
		InstanceURL: getenv("SFJWT_INSTANCE_URL"), // the My Domain URL; also where to log in
		ClientID:    getenv("SFJWT_CLIENT_ID"),    // the Consumer Key
		Username:    getenv("SFJWT_USERNAME"),     // the pre-authorized integration user
		KeyFile:     getenv("SFJWT_KEY_FILE"),     // server.key, or server.pass.key with a password
	}
	if p := getenv("SFJWT_KEY_PASSWORD"); p != "" {
		cfg.KeyPassword = []byte(p)
	}
	return cfg
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
	return &http.Client{Transport: tr, Timeout: 5 * time.Minute}, nil
}
