package sfclient_test

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"sync"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// jwtauth's token source drops refused tokens and takes a context: the client uses both.
var (
	_ sfclient.Invalidator        = (*jwtauth.TokenSource)(nil)
	_ sfclient.ContextTokenSource = (*jwtauth.TokenSource)(nil)
)

var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// newJWTOrg starts an org with the test key's certificate uploaded and returns a client that
// logs in with jwtauth, as a connector does.
func newJWTOrg(t *testing.T) (*sftest.Server, *sfclient.Client) {
	t.Helper()
	key, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	srv := sftest.NewServer(t, sftest.Config{NoSampleData: true})
	pemCert, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "sfclient test"}, certgen.CertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := certgen.ParseCertificatePEM(pemCert)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddCertificate(cert)
	ts, err := jwtauth.New(jwtauth.Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: key,
		InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: srv.Client(), Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestE2EWithJWTAuthRevokedBetweenPagesAndMidDownload(t *testing.T) {
	t.Parallel()
	srv, c := newJWTOrg(t)
	if _, err := srv.AddAccounts(4100); err != nil {
		t.Fatal(err)
	}
	n := 0
	seen, err := collect(t, func(yield func(accountRow, error) bool) {
		for a, err := range sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", nil)) {
			if n++; n == 2001 {
				srv.RevokeAllTokens()
			}
			if !yield(a, err) {
				return
			}
		}
	})
	if err != nil || len(seen) != 4100 {
		t.Errorf("got %d records, %v; want 4100", len(seen), err)
	}
	if got := srv.TokenRequests(); got != 2 {
		t.Errorf("token requests = %d, want 2 (the login and one after the revocation)", got)
	}

	id, err := srv.AddEventLogFile(sftest.EventLogFile{Rows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	srv.RevokeAllTokens()
	if _, err := c.DownloadEventLogFile(t.Context(), sfclient.EventLogFile{ID: id}, io.Discard, nil); err != nil {
		t.Errorf("download after a revocation: %v", err)
	}
	if got := srv.TokenRequests(); got != 3 {
		t.Errorf("token requests = %d, want 3", got)
	}
}

func TestE2EConcurrentCallers(t *testing.T) {
	t.Parallel()
	srv, c := newJWTOrg(t)
	if _, err := srv.AddAccounts(300); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen, err := collect(t, sfclient.Decode[accountRow](c.Query(t.Context(), "SELECT Id FROM Account", &sfclient.QueryOptions{BatchSize: 200})))
			if err != nil || len(seen) != 300 {
				t.Errorf("got %d records, %v; want 300", len(seen), err)
			}
			if _, err := c.Limits(t.Context()); err != nil {
				t.Errorf("Limits: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := srv.TokenRequests(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	if got := countPaths(srv, "/services/data"); got < 8*3+1 {
		t.Errorf("REST requests = %d, want at least %d", got, 8*3+1)
	}
}

func TestE2EDoEscapeHatch(t *testing.T) {
	t.Parallel()
	_, c, _ := newOrg(t, sftest.Config{})
	for _, path := range []string{"sobjects/Account/describe", "/services/data/v66.0/limits", "query?q=SELECT+Id+FROM+Account"} {
		resp, err := c.Do(t.Context(), "GET", path, nil)
		if err != nil {
			t.Errorf("Do(GET %s): %v", path, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("Do(GET %s) = %d with %d bytes", path, resp.StatusCode, len(body))
		}
	}
	if _, err := c.Do(t.Context(), "GET", "sobjects/Nope__c/describe", nil); !sfclient.IsNotFound(err) {
		t.Errorf("Do(GET unknown object): err = %v, want not found", err)
	}
}
