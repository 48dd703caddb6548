package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"golang.org/x/oauth2"
)

// Paths of the hand-written server below; the client is pinned to API version 66.0 except in
// the rows that test version discovery.
const (
	fakeQuery    = "/services/data/v66.0/query"
	fakePage2    = "/services/data/v66.0/query/01gFAKE-2"
	fakeLimits   = "/services/data/v66.0/limits"
	fakeDescribe = "/services/data/v66.0/sobjects/Account/describe"
	fakeLogFile  = "/services/data/v66.0/sobjects/EventLogFile/0ATFAKE000000001AAA/LogFile"
	fakeVersions = "/services/data"
)

// fakeToken is the access token the hand-written server issues (a test value).
const fakeToken = "00DFAKE000000001!AQ0AQFakeAccessTokenForTheAnswersCatalogue"

// fakeOrg is a hand-written Salesforce on 127.0.0.1 whose answers a row replaces one path at a
// time, for answers sftest never gives.
type fakeOrg struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func startFakeOrg(t *testing.T, override map[string]http.HandlerFunc) *fakeOrg {
	t.Helper()
	f := &fakeOrg{hits: map[string]int{}}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[r.URL.Path]++
		f.mu.Unlock()
		if h, ok := override[r.URL.Path]; ok {
			h(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	base := f.srv.URL
	mux.HandleFunc("POST "+tokenPath, jsonAnswer(200, fmt.Sprintf(`{"access_token":%q,"instance_url":%q,"id":%q,"token_type":"Bearer","scope":"api","issued_at":"1763900000000"}`,
		fakeToken, base, base+"/id/00DFAKE000000001AAA/005FAKE000000001AAA")))
	mux.HandleFunc("GET "+fakeVersions, jsonAnswer(200, `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`))
	mux.HandleFunc("GET "+fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"nextRecordsUrl":"`+fakePage2+`","records":[`+fakeRecords(1, 2)+`]}`))
	mux.HandleFunc("GET "+fakePage2, jsonAnswer(200, `{"totalSize":3,"done":true,"records":[`+fakeRecords(3)+`]}`))
	mux.HandleFunc("GET "+fakeLimits, jsonAnswer(200, `{"DailyApiRequests":{"Max":100000,"Remaining":99999}}`))
	mux.HandleFunc("GET "+fakeDescribe, jsonAnswer(200, `{"name":"Account","fields":[{"name":"Id","type":"id"}]}`))
	mux.HandleFunc("GET "+fakeLogFile, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octetstream")
		io.WriteString(w, "\"EVENT_TYPE\"\n\"API\"\n")
	})
	return f
}

func (f *fakeOrg) hitsOf(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

// fakeRecords returns Account records with IDs 001FAKE…n.
func fakeRecords(ns ...int) string {
	var recs []string
	for _, n := range ns {
		recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Id":"001FAKE%011d"}`, n))
	}
	return strings.Join(recs, ",")
}

// jsonAnswer answers with status and body as application/json.
func jsonAnswer(status int, body string) http.HandlerFunc {
	return answer(status, "application/json;charset=UTF-8", body)
}

// answer answers with status, content type and body.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// shortBody claims more bytes than it sends, then closes the connection.
func shortBody(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+1000))
		w.WriteHeader(200)
		io.WriteString(w, body)
	}
}

const htmlPage = "<!DOCTYPE html><html><head><title>Login | Salesforce</title></head><body>Please log in</body></html>"

// answerCall is what a row asks of the client.
type answerCall int

const (
	callLogin answerCall = iota
	callQuery
	callVersions
	callLimits
	callDescribe
	callDownload
	callList // EventLogFiles
)

// answerRow is one malformed or hostile server answer and what the caller sees.
type answerRow struct {
	name     string
	call     answerCall
	serve    map[string]http.HandlerFunc
	want     string // exact text the error holds; {url} stands for the server's URL
	is       error  // sentinel the error matches (nil: not checked)
	records  int    // query rows: records yielded before the error (the good first page)
	tokenErr bool   // login rows: the error is a *jwtauth.TokenError
	cliWant  string // what sfjwt query prints when it differs from want (sfjwt decodes records itself)
	// slowCLI marks answers the CLI retries with its default backoff (up to 15 s): its runs are
	// left out to keep the package fast; the library rows above cover them.
	slowCLI bool
}

func TestCatalogueServerAnswers(t *testing.T) {
	h := func(path string, hf http.HandlerFunc) map[string]http.HandlerFunc {
		return map[string]http.HandlerFunc{path: hf}
	}
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	sfErr := func(code, msg string) string { return fmt.Sprintf(`[{"message":%q,"errorCode":%q}]`, msg, code) }
	rows := []answerRow{
		// The token endpoint.
		{name: "token: HTML page with 200", call: callLogin, serve: h(tokenPath, answer(200, "text/html", htmlPage)), tokenErr: true, want: "HTTP 200 (not an OAuth JSON answer: text/html, 100 bytes, page title \"Login | Salesforce\"); hint: {url}/services/oauth2/token is not a Salesforce token endpoint"},
		{name: "token: HTML page with 404", call: callLogin, serve: h(tokenPath, answer(404, "text/html", htmlPage)), tokenErr: true, want: "HTTP 404 (not an OAuth JSON answer: text/html, 100 bytes, page title \"Login | Salesforce\"); hint: {url}/services/oauth2/token is not a Salesforce token endpoint"},
		{name: "token: plain text with 200", call: callLogin, serve: h(tokenPath, answer(200, "text/plain", "ok")), tokenErr: true, want: "refused: HTTP 200 (not an OAuth JSON answer: text/plain, 2 bytes); hint: {url}/services/oauth2/token is not a Salesforce token endpoint"},
		{name: "token: XML with 200", call: callLogin, serve: h(tokenPath, answer(200, "application/xml", "<token>x</token>")), tokenErr: true, want: "refused: HTTP 200 (not an OAuth JSON answer: application/xml, 16 bytes); hint: {url}/services/oauth2/token is not a Salesforce token endpoint"},
		{name: "token: empty body with 200", call: callLogin, serve: h(tokenPath, jsonAnswer(200, "")), tokenErr: true, want: "refused: HTTP 200 (not an OAuth JSON answer: application/json, 0 bytes)"},
		{name: "token: truncated JSON", call: callLogin, serve: h(tokenPath, jsonAnswer(200, `{"access_token":"00DFAKE`)), tokenErr: true, want: "refused: HTTP 200 (not an OAuth JSON answer: application/json, 24 bytes)"},
		{name: "token: body shorter than Content-Length", call: callLogin, serve: h(tokenPath, shortBody("application/json", `{"access_token":"00D`)), want: "jwtauth: read token response from {url}/services/oauth2/token: Post \"{url}/services/oauth2/token\": unexpected EOF"},
		{name: "token: JSON array", call: callLogin, serve: h(tokenPath, jsonAnswer(200, "[]")), tokenErr: true, want: "refused: HTTP 200 (not an OAuth JSON answer: application/json, 2 bytes)"},
		{name: "token: no access_token", call: callLogin, serve: h(tokenPath, jsonAnswer(200, `{"instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}`)), is: jwtauth.ErrNoToken,
			// The field names come in map order (a nit: jwtauth does not sort them).
			want: "jwtauth: token response has no access_token (fields: "},
		{name: "token: access_token a number", call: callLogin, serve: h(tokenPath, jsonAnswer(200, `{"access_token":12345}`)), want: "jwtauth: token response has no access_token (fields: access_token)"},
		{name: "token: user not approved", call: callLogin, serve: h(tokenPath, jsonAnswer(400, `{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`)), tokenErr: true, want: "refused: HTTP 400 invalid_grant: user hasn't approved this consumer; hint: the user \"user@example.com\" is not pre-authorized for this app: in the app's Policies (guide Step 12)"},
		{name: "token: unknown client", call: callLogin, serve: h(tokenPath, jsonAnswer(400, `{"error":"invalid_client_id","error_description":"client identifier invalid"}`)), tokenErr: true, want: "refused: HTTP 400 invalid_client_id: client identifier invalid; hint: the Client ID (Consumer Key) is not known to this org: copy it again from the External Client App Manager (guide \"How to Find Client ID (Consumer Key)\")"},
		{name: "token: audience invalid", call: callLogin, serve: h(tokenPath, jsonAnswer(400, `{"error":"invalid_grant","error_description":"audience is invalid"}`)), tokenErr: true, want: "refused: HTTP 400 invalid_grant: audience is invalid; hint: the audience {url} is not accepted by this org: use https://login.salesforce.com for production"},
		{name: "token: error not a string", call: callLogin, serve: h(tokenPath, jsonAnswer(400, `{"error":42}`)), tokenErr: true, want: "refused: HTTP 400 (not an OAuth JSON answer: application/json, 12 bytes)"},
		{name: "token: 400 plain text", call: callLogin, serve: h(tokenPath, answer(400, "text/plain", "Bad Request")), tokenErr: true, want: "refused: HTTP 400 (not an OAuth JSON answer: text/plain, 11 bytes); hint: {url}/services/oauth2/token is not a Salesforce token endpoint"},
		{name: "token: 500 JSON", call: callLogin, serve: h(tokenPath, jsonAnswer(500, `{"error":"server_error","error_description":"internal"}`)), tokenErr: true, want: "refused: HTTP 500 server_error: internal; hint: the server had an error (Salesforce maintenance or a proxy in between); it was retried, try again later"},
		{name: "token: 503 maintenance page", call: callLogin, serve: h(tokenPath, answer(503, "text/html", "<html><body>Down for maintenance</body></html>")), tokenErr: true, want: "refused: HTTP 503 (not an OAuth JSON answer: text/html, 46 bytes); hint: the server had an error (Salesforce maintenance or a proxy in between)"},
		{name: "token: redirect", call: callLogin, serve: h(tokenPath, redirect("https://login.example.com/services/oauth2/token")), tokenErr: true, want: "refused: HTTP 302 (not an OAuth JSON answer: no content type, 0 bytes, redirect to https://login.example.com/services/oauth2/token); hint: {url}/services/oauth2/token redirects elsewhere: use the final address"},
		// Query pages.
		{name: "query: HTML with 200", call: callQuery, serve: h(fakeQuery, answer(200, "text/html", htmlPage)), want: "sfclient: GET /services/data/v66.0/query: 200: answer is HTML: the URL is probably not the org's instance URL"},
		{name: "query: plain text with 200", call: callQuery, serve: h(fakeQuery, answer(200, "text/plain", "ok")), want: "sfclient: GET /services/data/v66.0/query: sfclient: unexpected response body: invalid character 'o' looking for beginning of value"},
		{name: "query: XML with 200", call: callQuery, serve: h(fakeQuery, answer(200, "application/xml", "<QueryResult/>")), want: "sfclient: GET /services/data/v66.0/query: sfclient: unexpected response body: invalid character '<' looking for beginning of value"},
		{name: "query: empty body with 200", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, "")), want: "sfclient: GET /services/data/v66.0/query: sfclient: unexpected response body: unexpected end of JSON input"},
		{name: "query: truncated JSON", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"records":[{"Id":`)), want: "sfclient: GET /services/data/v66.0/query: sfclient: unexpected response body: unexpected end of JSON input"},
		{name: "query: body shorter than Content-Length", call: callQuery, serve: h(fakeQuery, shortBody("application/json", `{"totalSize":3,"done":true,"records":[`)), slowCLI: true, want: "sfclient: GET /services/data/v66.0/query: read body: unexpected EOF"},
		{name: "query: records not an array", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":1,"done":true,"records":{}}`)), want: "sfclient: unexpected response body: json: cannot unmarshal object into Go struct field queryPage.records of type []json.RawMessage"},
		{name: "query: done not a boolean", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":1,"done":"yes","records":[]}`)), want: "sfclient: unexpected response body: json: cannot unmarshal string into Go struct field queryPage.done of type bool"},
		{name: "query: record not an object", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":2,"done":true,"records":[1,2]}`)),
			want: "sfclient: decode record: json: cannot unmarshal number into Go value of type e2e.idRecord", cliWant: "after 0 records: record is not a JSON object"},
		{name: "query: done false without nextRecordsUrl", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"records":[`+fakeRecords(1, 2)+`]}`)),
			is: sfclient.ErrIncompleteResult, records: 2, want: "sfclient: GET /services/data/v66.0/query: sfclient: query result not done but no nextRecordsUrl"},
		{name: "query: nextRecordsUrl on another host", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"nextRecordsUrl":"https://evil.example.com/services/data/v66.0/query/x-2","records":[`+fakeRecords(1, 2)+`]}`)),
			is: sfclient.ErrForeignURL, records: 2, want: "sfclient: nextRecordsUrl: sfclient: URL points outside the instance: evil.example.com"},
		{name: "query: nextRecordsUrl protocol-relative", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"nextRecordsUrl":"//evil.example.com/services/data/v66.0/query/x-2","records":[`+fakeRecords(1, 2)+`]}`)),
			is: sfclient.ErrForeignURL, records: 2, want: "sfclient: nextRecordsUrl: sfclient: URL points outside the instance: evil.example.com"},
		{name: "query: nextRecordsUrl not a URL", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"nextRecordsUrl":"http://[::1","records":[`+fakeRecords(1, 2)+`]}`)),
			records: 2, want: "sfclient: nextRecordsUrl: sfclient: unexpected response body: parse \"http://[::1\": missing ']' in host"},
		{name: "query: nextRecordsUrl outside the REST API", call: callQuery, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":3,"done":false,"nextRecordsUrl":"/secur/logout.jsp","records":[`+fakeRecords(1, 2)+`]}`)),
			records: 2, want: "sfclient: nextRecordsUrl: sfclient: unexpected response body: path \"/secur/logout.jsp\" is not a REST path"},
		{name: "query: page 2 HTML", call: callQuery, serve: h(fakePage2, answer(200, "text/html", htmlPage)), records: 2, want: "sfclient: GET /services/data/v66.0/query/01gFAKE-2: 200: answer is HTML: the URL is probably not the org's instance URL"},
		{name: "query: page 2 truncated", call: callQuery, serve: h(fakePage2, jsonAnswer(200, `{"totalSize":3,"done":true,"records":[{"attr`)), records: 2, want: "sfclient: GET /services/data/v66.0/query/01gFAKE-2: sfclient: unexpected response body: unexpected end of JSON input"},
		{name: "query: 400 MALFORMED_QUERY", call: callQuery, serve: h(fakeQuery, jsonAnswer(400, sfErr("MALFORMED_QUERY", "unexpected token: FORM"))), is: sfclient.ErrMalformedQuery, want: "sfclient: GET /services/data/v66.0/query: 400 MALFORMED_QUERY: unexpected token: FORM"},
		{name: "query: 404 NOT_FOUND", call: callQuery, serve: h(fakeQuery, jsonAnswer(404, sfErr("NOT_FOUND", "The requested resource does not exist"))), is: sfclient.ErrNotFound, want: "sfclient: GET /services/data/v66.0/query: 404 NOT_FOUND: The requested resource does not exist"},
		{name: "query: 401 INVALID_SESSION_ID", call: callQuery, serve: h(fakeQuery, jsonAnswer(401, sfErr("INVALID_SESSION_ID", "Session expired or invalid"))), is: sfclient.ErrSessionExpired, want: "sfclient: GET /services/data/v66.0/query: 401 INVALID_SESSION_ID: Session expired or invalid"},
		{name: "query: 403 REQUEST_LIMIT_EXCEEDED", call: callQuery, serve: h(fakeQuery, jsonAnswer(403, sfErr("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))), is: sfclient.ErrRequestLimitExceeded, want: "sfclient: GET /services/data/v66.0/query: 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."},
		{name: "query: 500 HTML", call: callQuery, serve: h(fakeQuery, answer(500, "text/html", htmlPage)), is: sfclient.ErrNotInstanceURL, want: "sfclient: GET /services/data/v66.0/query: 500: answer is HTML: the URL is probably not the org's instance URL"},
		{name: "query: 500 plain text", call: callQuery, serve: h(fakeQuery, answer(500, "text/plain", "upstream exploded")), want: "sfclient: GET /services/data/v66.0/query: 500: \"upstream exploded\""},
		{name: "query: 400 error body an object", call: callQuery, serve: h(fakeQuery, jsonAnswer(400, `{"message":"bad","errorCode":"X"}`)), want: "sfclient: GET /services/data/v66.0/query: 400 X: bad"},
		{name: "query: 503 storm", call: callQuery, serve: h(fakeQuery, jsonAnswer(503, sfErr("SERVER_UNAVAILABLE", "down"))), slowCLI: true, want: "sfclient: GET /services/data/v66.0/query: 503 SERVER_UNAVAILABLE: down"},
		// Version discovery, limits, describe.
		{name: "versions: HTML with 200", call: callVersions, serve: h(fakeVersions, answer(200, "text/html", htmlPage)), want: "sfclient: GET /services/data: 200: answer is HTML: the URL is probably not the org's instance URL"},
		{name: "versions: empty list", call: callVersions, serve: h(fakeVersions, jsonAnswer(200, "[]")), want: "sfclient: discover API version: sfclient: unexpected response body: no version listed"},
		{name: "versions: object", call: callVersions, serve: h(fakeVersions, jsonAnswer(200, `{"version":"66.0"}`)), want: "sfclient: GET /services/data: sfclient: unexpected response body: json: cannot unmarshal object into Go value of type []sfclient.Version"},
		{name: "versions: not JSON", call: callVersions, serve: h(fakeVersions, jsonAnswer(200, "v66.0")), want: "sfclient: GET /services/data: sfclient: unexpected response body: invalid character 'v' looking for beginning of value"},
		{name: "versions: malformed version", call: callVersions, serve: h(fakeVersions, jsonAnswer(200, `[{"label":"x","url":"/services/data/vX","version":"sixty-six"}]`)), want: "sfclient: discover API version: sfclient: unexpected response body: no version listed"},
		{name: "limits: array", call: callLimits, serve: h(fakeLimits, jsonAnswer(200, "[]")), want: "sfclient: GET /services/data/v66.0/limits: sfclient: unexpected response body: json: cannot unmarshal array into Go value of type sfclient.Limits"},
		{name: "limits: value not a number", call: callLimits, serve: h(fakeLimits, jsonAnswer(200, `{"DailyApiRequests":{"Max":"lots","Remaining":1}}`)), want: "sfclient: GET /services/data/v66.0/limits: sfclient: unexpected response body: json: invalid number literal, trying to unmarshal \"\\\"lots\\\"\" into Number"},
		{name: "describe: not JSON", call: callDescribe, serve: h(fakeDescribe, jsonAnswer(200, "Account")), want: "sfclient: GET /services/data/v66.0/sobjects/Account/describe: sfclient: unexpected response body: invalid character 'A' looking for beginning of value"},
		{name: "describe: 404", call: callDescribe, serve: h(fakeDescribe, jsonAnswer(404, sfErr("NOT_FOUND", "The requested resource does not exist"))), is: sfclient.ErrNotFound, want: "sfclient: GET /services/data/v66.0/sobjects/Account/describe: 404 NOT_FOUND: The requested resource does not exist"},
		// EventLogFile rows.
		{name: "event log files: LogDate not a date", call: callList, serve: h(fakeQuery, jsonAnswer(200, elfPage(`"LogDate":"yesterday"`))),
			want: `sfclient: decode record: sfclient: "yesterday" is not a Salesforce date or dateTime`},
		{name: "event log files: LogFileLength a word", call: callList, serve: h(fakeQuery, jsonAnswer(200, elfPage(`"LogFileLength":"big"`))),
			want: "sfclient: decode record: json: cannot unmarshal string into Go struct field .LogFileLength of type float64"},
		{name: "event log files: LogFile on another host", call: callList, serve: h(fakeQuery, jsonAnswer(200, elfPage(`"LogFile":"https://evil.example.com/x/LogFile"`))),
			is: sfclient.ErrForeignURL, want: "sfclient: EventLogFile 0ATFAKE000000001AAA LogFile: sfclient: URL points outside the instance: evil.example.com"},
		{name: "event log files: row not an object", call: callList, serve: h(fakeQuery, jsonAnswer(200, `{"totalSize":1,"done":true,"records":["x"]}`)),
			// A nit: the message spells out an anonymous Go struct type.
			want: "sfclient: decode record: json: cannot unmarshal string into Go value of type struct {"},
		// EventLogFile bodies.
		{name: "download: 404", call: callDownload, serve: h(fakeLogFile, jsonAnswer(404, sfErr("NOT_FOUND", "The requested resource does not exist"))), is: sfclient.ErrNotFound, want: "sfclient: download EventLogFile 0ATFAKE000000001AAA after 0 bytes: sfclient: GET " + fakeLogFile + ": 404 NOT_FOUND: The requested resource does not exist"},
		{name: "download: HTML error page", call: callDownload, serve: h(fakeLogFile, answer(500, "text/html", htmlPage)), is: sfclient.ErrNotInstanceURL, want: "sfclient: download EventLogFile 0ATFAKE000000001AAA after 0 bytes: sfclient: GET " + fakeLogFile + ": 500: answer is HTML: the URL is probably not the org's instance URL"},
		{name: "download: gzip header, plain body", call: callDownload, serve: h(fakeLogFile, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, "\"EVENT_TYPE\"\n\"API\"\n")
		}), want: "sfclient: download EventLogFile 0ATFAKE000000001AAA after 0 bytes: sfclient: GET " + fakeLogFile + ": read body: gzip: gzip: invalid header"},
		{name: "download: body shorter than Content-Length", call: callDownload, serve: h(fakeLogFile, shortBody("application/octetstream", "\"EVENT_TYPE\"\n\"API\"\n")), is: io.ErrUnexpectedEOF, want: "sfclient: download EventLogFile 0ATFAKE000000001AAA after 19 bytes: unexpected EOF"},
		{name: "download: 503 storm", call: callDownload, serve: h(fakeLogFile, jsonAnswer(503, sfErr("SERVER_UNAVAILABLE", "down"))), want: "sfclient: download EventLogFile 0ATFAKE000000001AAA after 0 bytes: sfclient: GET " + fakeLogFile + ": 503 SERVER_UNAVAILABLE: down"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			f := startFakeOrg(t, r.serve)
			err := runAnswer(t, f, r)
			if err == nil {
				t.Fatalf("no error; want %q", r.want)
			}
			want := strings.ReplaceAll(r.want, "{url}", f.srv.URL)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error = %q, want it to contain %q", err, want)
			}
			if r.is != nil && !errors.Is(err, r.is) {
				t.Errorf("error = %v, want one matching %v", err, r.is)
			}
			var te *jwtauth.TokenError
			if r.tokenErr && !errors.As(err, &te) {
				t.Errorf("error = %v (%T), want a *jwtauth.TokenError", err, err)
			}
			if strings.Contains(err.Error(), fakeToken) || strings.Contains(err.Error(), "eyJ") {
				t.Errorf("the error holds the access token or an assertion: %v", err)
			}
			if !r.slowCLI {
				checkCLIAnswer(t, f, r, want)
				checkDoctorAnswer(t, f)
			}
		})
	}
}

// runAnswer makes r's call against f and checks that the failure changed nothing: a failed
// login caches no token, a query yields only the records before the bad answer (never one
// twice), a download writes nothing before the body starts.
func runAnswer(t *testing.T, f *fakeOrg, r answerRow) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if r.call == callLogin {
		key, _ := testKey()
		ts, err := jwtauth.New(jwtauth.Config{ClientID: "3MVG9fake", Username: "user@example.com", Key: key,
			LoginURL: f.srv.URL, Retries: -1, HTTPClient: f.srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.TokenContext(ctx)
		before := f.hitsOf(tokenPath)
		if _, err2 := ts.TokenContext(ctx); err2 == nil || f.hitsOf(tokenPath) == before {
			t.Errorf("after a refused login the next call asked no new token (err %v): something was cached", err2)
		}
		return err
	}
	version := "66.0"
	if r.call == callVersions {
		version = ""
	}
	c, err := sfclient.New(sfclient.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fakeToken}),
		InstanceURL: f.srv.URL, APIVersion: version, HTTPClient: f.srv.Client(),
		Retry: sfclient.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxElapsed: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	switch r.call {
	case callQuery:
		got, err := drain(t, c.Query(ctx, "SELECT Id FROM Account", nil), nil)
		if len(got) != r.records {
			t.Errorf("records yielded before the error = %d, want %d", len(got), r.records)
		}
		return err
	case callVersions:
		_, err := c.APIVersion(ctx)
		return err
	case callLimits:
		_, err := c.Limits(ctx)
		return err
	case callDescribe:
		_, err := c.Describe(ctx, "Account")
		return err
	case callList:
		n := 0
		for lf, err := range c.EventLogFiles(ctx, sfclient.EventLogFilter{}) {
			if err != nil {
				return err
			}
			n++
			if r.is == sfclient.ErrForeignURL {
				// A LogFile URL on another host must not be fetched with the token.
				_, err := c.DownloadEventLogFile(ctx, lf, io.Discard, nil)
				return err
			}
		}
		return fmt.Errorf("listed %d files without an error", n)
	case callDownload:
		var buf bytes.Buffer
		n, err := c.DownloadEventLogFile(ctx, sfclient.EventLogFile{ID: "0ATFAKE000000001AAA"}, &buf, nil)
		if n != int64(buf.Len()) {
			t.Errorf("download reported %d bytes, wrote %d", n, buf.Len())
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) && buf.Len() != 0 {
			t.Errorf("a failed download wrote %d bytes before its body started", buf.Len())
		}
		return err
	}
	t.Fatalf("unknown call %d", r.call)
	return nil
}

// checkCLIAnswer runs sfjwt against f for the rows a command meets (login for the token
// endpoint; query for query pages and version discovery; logs download for event log file
// rows): exit status 1, the error on standard
// error without a panic, a stack trace or the token, and no output file left.
func checkCLIAnswer(t *testing.T, f *fakeOrg, r answerRow, want string) {
	t.Helper()
	if r.call != callLogin && r.call != callQuery && r.call != callVersions && r.call != callList {
		return
	}
	dir := t.TempDir()
	key, _ := testKey()
	keyPEM, err := certgen.EncodePKCS8PEM(key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, out := filepath.Join(dir, "server.pem"), filepath.Join(dir, "out")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	mkdir(t, out)
	var args []string
	switch r.call {
	case callLogin:
		args = []string{"login"}
	case callList:
		args = []string{"logs", "download", "--out", out}
	default:
		args = []string{"query", "--output", filepath.Join(out, "records.ndjson"), "SELECT Id FROM Account"}
	}
	args = append(args, "--instance-url", f.srv.URL, "--client-id", "3MVG9fake", "--username", "user@example.com", "--key", keyFile)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), args...)
	cmd.Env = []string{"HOME=" + dir}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	got := stderr.String()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.HasPrefix(got, "sfjwt "+args[0]) {
		t.Errorf("sfjwt %s: exit %d, stderr:\n%s\nwant exit 1 and the error", args[0], code, got)
	}
	if r.cliWant != "" {
		want = r.cliWant
	}
	if r.call != callLogin && !strings.Contains(got, want) {
		t.Errorf("sfjwt %s: stderr:\n%s\nwant it to contain %q", args[0], got, want)
	}
	if strings.Contains(got, "panic:") || strings.Contains(got, "goroutine ") || strings.Contains(got+stdout.String(), fakeToken) {
		t.Errorf("sfjwt %s printed a panic, a stack trace or the token:\n%s%s", args[0], stdout.String(), got)
	}
	if names, _ := os.ReadDir(out); len(names) != 0 {
		t.Errorf("sfjwt %s left %d files in its output folder", args[0], len(names))
	}
}

// checkDoctorAnswer runs sfjwt doctor --json against f: whatever the org answers, doctor
// reports it as checks (exit 0 or 1, one JSON document), never with a panic or the token.
func checkDoctorAnswer(t *testing.T, f *fakeOrg) {
	t.Helper()
	dir := t.TempDir()
	key, _ := testKey()
	keyPEM, err := certgen.EncodePKCS8PEM(key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "server.pem")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), "doctor", "--json", "--instance-url", f.srv.URL, "--client-id", "3MVG9fake",
		"--username", "user@example.com", "--key", keyFile)
	cmd.Env = []string{"HOME=" + dir}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	var rep struct {
		Checks  []json.RawMessage `json:"checks"`
		Summary struct{ OK bool } `json:"summary"`
	}
	code := cmd.ProcessState.ExitCode()
	if jerr := json.Unmarshal([]byte(stdout.String()), &rep); jerr != nil || len(rep.Checks) == 0 || (code != 0 && code != 1) || rep.Summary.OK != (code == 0) {
		t.Errorf("sfjwt doctor: exit %d, JSON %v, %d checks; stdout:\n%.400s\nstderr:\n%.400s", code, jerr, len(rep.Checks), stdout.String(), stderr.String())
	}
	out := stdout.String() + stderr.String()
	if strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") || strings.Contains(out, fakeToken) {
		t.Errorf("sfjwt doctor printed a panic, a stack trace or the token:\n%.600s", out)
	}
}

// elfPage is a query page of one EventLogFile row with field overridden.
func elfPage(field string) string {
	row := map[string]string{
		"Id": `"0ATFAKE000000001AAA"`, "EventType": `"API"`, "LogDate": `"2026-11-20T00:00:00.000+0000"`, "Interval": `"Daily"`,
		"Sequence": "1", "LogFileLength": "20", "LogFile": `"` + fakeLogFile + `"`, "CreatedDate": `"2026-11-21T00:00:00.000+0000"`,
	}
	name, value, _ := strings.Cut(field, ":")
	row[strings.Trim(name, `"`)] = value
	var parts []string
	for _, k := range []string{"Id", "EventType", "LogDate", "Interval", "Sequence", "LogFileLength", "LogFile", "CreatedDate"} {
		parts = append(parts, fmt.Sprintf("%q:%s", k, row[k]))
	}
	return `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"EventLogFile"},` + strings.Join(parts, ",") + `}]}`
}
