package sftest_test

import (
	"io"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"net/http"
	"net/url"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// BenchmarkJWTLogin measures one JWT bearer login over HTTPS (signature check included; the
// assertion is signed once).
func BenchmarkJWTLogin(b *testing.B) {
	srv := sftest.NewServer(b, sftest.Config{LoginRateLimit: 1 << 30})
	if err := srv.AddCertificate(testCert()); err != nil {
		b.Fatal(err)
	}
	assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": sftest.DefaultClientID, "sub": sftest.DefaultUsername, "aud": srv.URL,
		"exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(testKey())
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}.Encode()
	client := srv.Client()
	b.ResetTimer()
	for b.Loop() {
		res, err := client.Post(srv.TokenURL(), "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkQueryPage measures one full 2,000-record query page of Accounts.
func BenchmarkQueryPage(b *testing.B) {
	srv := sftest.NewServer(b, sftest.Config{NoSampleData: true})
	if _, err := srv.AddAccounts(2000); err != nil {
		b.Fatal(err)
	}
	tok, _ := srv.IssueToken(sftest.DefaultUsername)
	u := srv.URL + "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Id, Name, Industry, NumberOfEmployees, CreatedDate FROM Account WHERE NumberOfEmployees > 100 ORDER BY Name")
	client := srv.Client()
	var n int64
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept-Encoding", "identity")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.SetBytes(n)
}

// BenchmarkLogFileStream measures streaming a generated 64 MiB EventLogFile over HTTPS.
func BenchmarkLogFileStream(b *testing.B) {
	srv := sftest.NewServer(b, sftest.Config{NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := srv.IssueToken(sftest.DefaultUsername)
	client := srv.Client()
	b.SetBytes(64 << 20)
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept-Encoding", "identity")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
