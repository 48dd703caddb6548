package sfclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"github.com/cytechint/sfjwt/sfclient/sftest"
	"golang.org/x/oauth2"
)

// startOrg starts an emulated org for the examples and returns a client logged in to it with a
// static token. Real programs use a jwtauth token source instead.
func startOrg(cfg sftest.Config) (*sftest.Server, *sfclient.Client) {
	cfg.NoSampleData = true
	srv := sftest.NewUnstartedServer(cfg)
	srv.StartTLS()
	tok, err := srv.IssueToken(sftest.DefaultUsername)
	if err != nil {
		log.Fatal(err)
	}
	c, err := sfclient.New(sfclient.Config{
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"}),
		InstanceURL: srv.URL,
		HTTPClient:  srv.Client(),
	})
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

func ExampleClient_Query() {
	srv, c := startOrg(sftest.Config{})
	defer srv.Close()
	if _, err := srv.AddAccounts(4500); err != nil {
		log.Fatal(err)
	}

	type Account struct {
		Name     string `json:"Name"`
		Industry string `json:"Industry"`
	}
	ctx := context.Background()
	count, last := 0, ""
	soql := "SELECT Name, Industry FROM Account WHERE Industry = " + sfclient.QuoteString("Finance") + " ORDER BY Name"
	for a, err := range sfclient.Decode[Account](c.Query(ctx, soql, nil)) {
		if err != nil {
			log.Fatal(err)
		}
		count++
		last = a.Name
	}
	fmt.Println(count, "accounts in Finance, the last is", last)
	// Output: 900 accounts in Finance, the last is Account 4497
}

func ExampleClient_NewIncremental() {
	srv, c := startOrg(sftest.Config{})
	defer srv.Close()
	uid, _ := srv.UserID(sftest.DefaultUsername)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	// Three logins share one timestamp: a cursor on the time alone would lose or repeat them.
	srv.AddRecords("LoginHistory", sftest.LoginHistoryRecords(3, uid, at, 0)...)

	q := sfclient.IncrementalQuery{Object: "LoginHistory", TimeField: "LoginTime", Fields: []string{"Status"}}
	run := func(saved []byte) []byte {
		var cur sfclient.Cursor
		if saved != nil {
			json.Unmarshal(saved, &cur)
		}
		r, err := c.NewIncremental(q, cur)
		if err != nil {
			log.Fatal(err)
		}
		n := 0
		for _, err := range r.Records(context.Background()) {
			if err != nil {
				log.Fatal(err)
			}
			if n++; n == 2 {
				break // the connector stops mid-way, e.g. at its per-run budget
			}
		}
		fmt.Println("run read", n)
		out, _ := json.Marshal(r.Cursor())
		return out
	}
	saved := run(nil)
	srv.AddRecords("LoginHistory", sftest.LoginHistoryRecords(1, uid, at, 0)...) // arrives late, same time
	saved = run(saved)
	saved = run(saved)
	// Output:
	// run read 2
	// run read 2
	// run read 0
}

func ExampleClient_DownloadEventLogFile() {
	srv, c := startOrg(sftest.Config{})
	defer srv.Close()
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	srv.AddEventLogFile(sftest.EventLogFile{EventType: "Login", LogDate: day, Rows: 100})

	ctx := context.Background()
	for f, err := range c.EventLogFiles(ctx, sfclient.EventLogFilter{EventType: "Login", Since: day}) {
		if err != nil {
			log.Fatal(err)
		}
		var csv bytes.Buffer // a file in real use: the body is streamed, never held
		if _, err := c.DownloadEventLogFile(ctx, f, &csv, nil); err != nil {
			log.Fatal(err)
		}
		header, _ := csv.ReadString('\n')
		fmt.Println(f.EventType, f.LogDate.Format(time.DateOnly), "rows:", bytes.Count(csv.Bytes(), []byte("\n")))
		fmt.Print("columns: ", header[:30], "…\n")
	}
	// Output:
	// Login 2026-11-20 rows: 100
	// columns: "EVENT_TYPE","TIMESTAMP","REQU…
}

func ExampleAPIError() {
	srv, c := startOrg(sftest.Config{})
	defer srv.Close()
	_, err := c.Get(context.Background(), "Account", "001000000000000AAA")
	var apiErr *sfclient.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.Errors[0].ErrorCode, errors.Is(err, sfclient.ErrNotFound))
	}
	// Output: 404 GET NOT_FOUND true
}

func ExampleQuoteString() {
	name := "O'Brien"
	fmt.Println("SELECT Id FROM Contact WHERE LastName = " + sfclient.QuoteString(name))
	fmt.Println("SELECT Id FROM Account WHERE Name LIKE '" + sfclient.EscapeLike("50%") + "%'")
	// Output:
	// SELECT Id FROM Contact WHERE LastName = 'O\'Brien'
	// SELECT Id FROM Account WHERE Name LIKE '50\%%'
}

// Example shows the whole flow a connector runs: log in with the JWT bearer flow (jwtauth),
// then read the org through sfclient, which takes the instance URL from the token and
// discovers the newest API version.
func Example() {
	// The emulated org with the connector's certificate uploaded (guide Step 9).
	key, err := testKey()
	if err != nil {
		log.Fatal(err)
	}
	srv := sftest.NewUnstartedServer(sftest.Config{NoSampleData: true})
	srv.StartTLS()
	defer srv.Close()
	certPEM, _ := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{})
	cert, _ := certgen.ParseCertificatePEM(certPEM)
	srv.AddCertificate(cert)
	srv.AddAccounts(3)

	ts, err := jwtauth.New(jwtauth.Config{
		ClientID:    sftest.DefaultClientID,
		Username:    sftest.DefaultUsername,
		Key:         key,
		InstanceURL: srv.URL,
		HTTPClient:  srv.Client(),
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := sfclient.New(sfclient.Config{TokenSource: ts, HTTPClient: srv.Client()})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	n := 0
	for _, err := range c.Query(ctx, "SELECT Id, Name FROM Account", nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	v, _ := c.APIVersion(ctx)
	fmt.Println("accounts:", n)
	fmt.Println("API version:", v)
	fmt.Println("logins:", srv.TokenRequests())
	// Output:
	// accounts: 3
	// API version: 66.0
	// logins: 1
}
