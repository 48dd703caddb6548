package jwtauth

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzParseResponse feeds arbitrary token endpoint answers to the parser: it must not panic,
// must return either a token with an access token or an error, and its error text must never
// hold the secret of the request, even when the server echoes it.
func FuzzParseResponse(f *testing.F) {
	const secret = "SECRET-ASSERTION-0123456789"
	f.Add(200, "application/json", []byte(`{"access_token":"00D!x","instance_url":"https://a.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","scope":"api"}`))
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`))
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"invalid assertion `+secret+`"}`))
	f.Add(200, "application/json", []byte(`{"error":"invalid_grant"}`))
	f.Add(404, "text/html", []byte(`<html><title>`+secret+`</title></html>`))
	f.Add(503, "", []byte(``))
	f.Add(302, "text/plain", []byte(`moved`))
	f.Add(200, "application/json", []byte(`{"access_token":"","expires_in":"x"}`))
	f.Add(200, "application/json", []byte(`{"access_token":"t","expires_in":-5}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}, "Location": {"https://x/?" + secret}}}
		tok, err := parseResponse(resp, body, []string{secret}, hintContext{tokenURL: "https://x/services/oauth2/token"})
		if err != nil {
			if tok != nil {
				t.Fatalf("both a token and an error")
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error leaks the secret: %v", err)
			}
			return
		}
		if tok == nil || tok.AccessToken == "" {
			t.Fatalf("success without an access token: %#v", tok)
		}
	})
}
