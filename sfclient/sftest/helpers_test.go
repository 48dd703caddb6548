package sftest_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// testKeys are generated once for the whole package: two keys, so a test can sign with a
// key whose certificate is not registered.
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

func testKey() *rsa.PrivateKey    { return testKeys()[0] }
func otherKey() *rsa.PrivateKey   { return testKeys()[1] }
func testCert() *x509.Certificate { return certFor(testKeys()[0]) }

var certs sync.Map // *rsa.PrivateKey → *x509.Certificate

// certFor returns a self-signed test certificate for key.
func certFor(key *rsa.PrivateKey) *x509.Certificate {
	if c, ok := certs.Load(key); ok {
		return c.(*x509.Certificate)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "sftest test certificate"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	certs.Store(key, c)
	return c
}

// newOrg starts an org with the test certificate registered on the default app.
func newOrg(t *testing.T, cfg ...sftest.Config) *sftest.Server {
	t.Helper()
	srv := sftest.NewServer(t, cfg...)
	srv.AddCertificate(testCert())
	return srv
}

// claims returns the claims a good client sends for the default app and user.
func claims(srv *sftest.Server) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": sftest.DefaultClientID,
		"sub": sftest.DefaultUsername,
		"aud": srv.URL,
		"exp": time.Now().Add(3 * time.Minute).Unix(),
	}
}

// sign signs c with key using RS256.
func sign(t *testing.T, c jwt.Claims, key *rsa.PrivateKey) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, c).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// response is a response read whole.
type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, srv *sftest.Server, req *http.Request) response {
	t.Helper()
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", req.URL.Path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// postForm posts form to path.
func postForm(t *testing.T, srv *sftest.Server, path string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, srv, req)
}

// jwtLogin posts assertion to the token endpoint.
func jwtLogin(t *testing.T, srv *sftest.Server, assertion string) response {
	t.Helper()
	return postForm(t, srv, "/services/oauth2/token", url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {assertion},
	})
}

// login logs the default user in and returns the access token.
func login(t *testing.T, srv *sftest.Server) string {
	t.Helper()
	res := jwtLogin(t, srv, sign(t, claims(srv), testKey()))
	if res.status != http.StatusOK {
		t.Fatalf("login: status %d: %s", res.status, res.body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(res.body), &tok); err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// get sends an authenticated GET (token may be empty) with optional extra headers.
func get(t *testing.T, srv *sftest.Server, token, path string, headers ...string) response {
	t.Helper()
	return send(t, srv, http.MethodGet, token, path, "", headers...)
}

func send(t *testing.T, srv *sftest.Server, method, token, path, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, srv, req)
}

// decode unmarshals a JSON body into v.
func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}
