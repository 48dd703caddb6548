package sftest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// A connector's end-to-end test: log in with the JWT bearer flow exactly as against
// Salesforce, then page through a query. In a test, sftest.NewServer(t) replaces New, StartTLS
// and Close.
func Example() {
	srv, err := sftest.New(sftest.Config{NoSampleData: true})
	if err != nil {
		panic(err)
	}
	srv.StartTLS()
	defer srv.Close()
	srv.AddCertificate(testCert()) // the certificate uploaded to the External Client App
	if _, err := srv.AddAccounts(2500); err != nil {
		panic(err)
	}

	// The connector signs an assertion with its private key and posts it.
	assertion, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": sftest.DefaultClientID,
		"sub": sftest.DefaultUsername,
		"aud": "https://login.salesforce.com",
		"exp": time.Now().Add(3 * time.Minute).Unix(),
	}).SignedString(testKey())
	res, err := srv.Client().PostForm(srv.URL+"/services/oauth2/token", url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {assertion},
	})
	if err != nil {
		panic(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		InstanceURL string `json:"instance_url"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	fmt.Println("login:", res.StatusCode)

	// Then it pages through the result with nextRecordsUrl.
	next := "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Id, Name FROM Account")
	for page := 1; next != ""; page++ {
		req, _ := http.NewRequest(http.MethodGet, tok.InstanceURL+next, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		res, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		var body struct {
			TotalSize      int              `json:"totalSize"`
			NextRecordsURL string           `json:"nextRecordsUrl"`
			Records        []map[string]any `json:"records"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		fmt.Printf("page %d: %d of %d records\n", page, len(body.Records), body.TotalSize)
		next = body.NextRecordsURL
	}
	// Output:
	// login: 200
	// page 1: 2000 of 2500 records
	// page 2: 500 of 2500 records
}

// A test of the error path: the token endpoint refuses a user who is not pre-authorized with
// the same body Salesforce sends.
func ExampleConfig() {
	app := sftest.DefaultApp()
	app.Profiles = []string{"Integration Profile"} // the default user's profile is not approved
	srv, err := sftest.New(sftest.Config{Apps: []sftest.App{app}})
	if err != nil {
		panic(err)
	}
	srv.StartTLS()
	defer srv.Close()
	srv.AddCertificate(testCert())
	assertion, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": sftest.DefaultClientID, "sub": sftest.DefaultUsername, "aud": srv.URL,
		"exp": time.Now().Add(time.Minute).Unix(),
	}).SignedString(testKey())
	res, err := srv.Client().PostForm(srv.TokenURL(), url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion},
	})
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, string(body))
	// Output:
	// 400 {"error":"invalid_grant","error_description":"user hasn't approved this consumer"}
}

// Connector tests that only exercise REST calls can skip the login with IssueToken and use a
// static token; FailNext then checks the retry logic.
func ExampleServer_FailNext() {
	srv, err := sftest.New(sftest.Config{})
	if err != nil {
		panic(err)
	}
	srv.StartTLS()
	defer srv.Close()
	tok, _ := srv.IssueToken(sftest.DefaultUsername)
	srv.FailNext(sftest.Fault{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}})

	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/services/data/v66.0/limits", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			fmt.Println(res.StatusCode, string(body))
			continue
		}
		fmt.Println(res.StatusCode, res.Header.Get("Sforce-Limit-Info"))
	}
	fmt.Println("requests logged:", len(srv.Requests()))
	// Output:
	// 503 [{"message":"Server temporarily unavailable, please try again later.","errorCode":"SERVER_UNAVAILABLE"}]
	// 200 api-usage=1/100000
	// requests logged: 2
}

// An Event Monitoring collector's test: the log file body is generated while it is sent, so
// it can be as large as the test needs.
func ExampleServer_AddEventLogFile() {
	srv, err := sftest.New(sftest.Config{NoSampleData: true})
	if err != nil {
		panic(err)
	}
	srv.StartTLS()
	defer srv.Close()
	id, _ := srv.AddEventLogFile(sftest.EventLogFile{EventType: "Login", Size: 10 << 20})
	tok, _ := srv.IssueToken(sftest.DefaultUsername)

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	header, _, _ := strings.Cut(string(body), "\n")
	fmt.Println(res.Header.Get("Content-Type"))
	fmt.Println(len(body), "bytes")
	fmt.Println(header)
	// Output:
	// application/octetstream
	// 10485760 bytes
	// "EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","RUN_TIME","CPU_TIME","URI","CLIENT_IP","TIMESTAMP_DERIVED"
}

func ExampleIDChecksum() {
	sum, _ := sftest.IDChecksum("001D000000IqhSL")
	fmt.Println("001D000000IqhSL" + sum)
	// Output: 001D000000IqhSLIAZ
}
