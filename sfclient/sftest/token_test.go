package sftest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestTokenJWTBearerSuccess(t *testing.T) {
	srv := newOrg(t)
	res := jwtLogin(t, srv, sign(t, claims(srv), testKey()))
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", res.status, res.body)
	}
	var body map[string]any
	decode(t, res.body, &body)
	userID, err := srv.UserID(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"instance_url": srv.URL,
		"id":           srv.URL + "/id/" + srv.OrgID() + "/" + userID,
		"token_type":   "Bearer",
		"scope":        "api refresh_token offline_access",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %v, want %q", k, body[k], v)
		}
	}
	if tok, _ := body["access_token"].(string); !strings.HasPrefix(tok, srv.OrgID()[:15]+"!") {
		t.Errorf("access_token does not start with the 15-character org ID and '!'")
	}
	for _, k := range []string{"expires_in", "refresh_token"} {
		if _, ok := body[k]; ok {
			t.Errorf("body has %q; Salesforce sends none in the JWT flow", k)
		}
	}
	if len(body) != 5 {
		t.Errorf("body has %d members, want 5", len(body))
	}
	checkOAuthHeaders(t, res)
}

func checkOAuthHeaders(t *testing.T, res response) {
	t.Helper()
	if got, want := res.header.Get("Content-Type"), "application/json;charset=UTF-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := res.header.Get("Cache-Control"), "no-cache,must-revalidate,max-age=0,no-store,private"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}
}

// TestTokenJWTBearerAccepted covers the assertions real clients send that Salesforce takes.
func TestTokenJWTBearerAccepted(t *testing.T) {
	srv := newOrg(t)
	now := time.Now()
	tests := []struct {
		name   string
		modify func(c jwt.MapClaims)
		header map[string]any
	}{
		{"sf CLI: aud with trailing slash, exp in ms, iat, typ", func(c jwt.MapClaims) {
			c["aud"] = srv.URL + "/"
			c["exp"] = now.UnixMilli() + 300
			c["iat"] = now.Unix()
		}, map[string]any{"typ": "JWT"}},
		{"exp as numeric string (go-salesforce)", func(c jwt.MapClaims) {
			c["exp"] = strconv.FormatInt(now.Add(5*time.Minute).Unix(), 10)
		}, nil},
		{"aud login.salesforce.com", func(c jwt.MapClaims) { c["aud"] = "https://login.salesforce.com" }, nil},
		{"aud as array", func(c jwt.MapClaims) { c["aud"] = []string{"https://login.salesforce.com"} }, nil},
		{"prn instead of sub", func(c jwt.MapClaims) { delete(c, "sub"); c["prn"] = sftest.DefaultUsername }, nil},
		{"prn wins over sub", func(c jwt.MapClaims) { c["sub"] = "nobody@x.example"; c["prn"] = sftest.DefaultUsername }, nil},
		{"username in another case", func(c jwt.MapClaims) { c["sub"] = strings.ToUpper(sftest.DefaultUsername) }, nil},
		{"exp 30s in the past (skew)", func(c jwt.MapClaims) { c["exp"] = now.Add(-30 * time.Second).Unix() }, nil},
		{"exp far ahead", func(c jwt.MapClaims) { c["exp"] = now.AddDate(1, 0, 0).Unix() }, nil},
		{"kid header", nil, map[string]any{"kid": "anything"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claims(srv)
			if tt.modify != nil {
				tt.modify(c)
			}
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
			for k, v := range tt.header {
				tok.Header[k] = v
			}
			assertion, err := tok.SignedString(testKey())
			if err != nil {
				t.Fatal(err)
			}
			if res := jwtLogin(t, srv, assertion); res.status != http.StatusOK {
				t.Errorf("status = %d, want 200; body %s", res.status, res.body)
			}
		})
	}
}

// TestTokenErrors asserts status and exact body of every refusal.
func TestTokenErrors(t *testing.T) {
	const (
		badClient   = `{"error":"invalid_client_id","error_description":"client identifier invalid"}`
		badAssert   = `{"error":"invalid_grant","error_description":"invalid assertion"}`
		badAud      = `{"error":"invalid_grant","error_description":"audience is invalid"}`
		expired     = `{"error":"invalid_grant","error_description":"expired authorization code"}`
		notApproved = `{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`
		inactive    = `{"error":"invalid_grant","error_description":"inactive user"}`
		appAccess   = `{"error":"invalid_app_access","error_description":"user is not admin approved to access this app"}`
		notInstall  = `{"error":"invalid_grant","error_description":"External client app is not installed in this org"}`
	)
	users := []sftest.User{
		{Username: sftest.DefaultUsername},
		{Username: "inactive@x.example", Inactive: true},
		{Username: "frozen@x.example", Frozen: true},
		{Username: "other@x.example", Profile: "Standard User"},
		{Username: "permset@x.example", Profile: "Standard User", PermissionSets: []string{"Integration"}},
	}
	app := sftest.DefaultApp()
	app.PermissionSets = []string{"Integration"}
	notInstalled := sftest.DefaultApp()
	notInstalled.ConsumerKey, notInstalled.Installed = "notinstalled", false
	noJWT := sftest.DefaultApp()
	noJWT.ConsumerKey, noJWT.JWTBearer = "nojwt", false
	srv := newOrg(t, sftest.Config{Users: users, Apps: []sftest.App{app, notInstalled, noJWT}})
	for _, k := range []string{"notinstalled", "nojwt"} {
		if err := srv.AddAppCertificate(k, testCert()); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	tests := []struct {
		name   string
		modify func(jwt.MapClaims)
		key    int // 1: sign with the unregistered key
		want   string
	}{
		{"unknown consumer key", func(c jwt.MapClaims) { c["iss"] = "nope" }, 0, badClient},
		{"no iss", func(c jwt.MapClaims) { delete(c, "iss") }, 0, badClient},
		{"wrong key", nil, 1, badAssert},
		{"JWT bearer off", func(c jwt.MapClaims) { c["iss"] = "nojwt" }, 0, badAssert},
		{"no exp", func(c jwt.MapClaims) { delete(c, "exp") }, 0, badAssert},
		{"exp not a number", func(c jwt.MapClaims) { c["exp"] = "soon" }, 0, badAssert},
		{"aud token URL (x/oauth2 default)", func(c jwt.MapClaims) { c["aud"] = srv.TokenURL() }, 0, badAud},
		{"aud test for production", func(c jwt.MapClaims) { c["aud"] = "https://test.salesforce.com" }, 0, badAud},
		{"no aud", func(c jwt.MapClaims) { delete(c, "aud") }, 0, badAud},
		{"exp past", func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Minute).Unix() }, 0, expired},
		{"exp past in ms", func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Minute).UnixMilli() }, 0, expired},
		{"unknown user", func(c jwt.MapClaims) { c["sub"] = "ghost@x.example" }, 0, notApproved},
		{"no sub", func(c jwt.MapClaims) { delete(c, "sub") }, 0, notApproved},
		{"inactive user", func(c jwt.MapClaims) { c["sub"] = "inactive@x.example" }, 0, inactive},
		{"frozen user", func(c jwt.MapClaims) { c["sub"] = "frozen@x.example" }, 0, inactive},
		{"profile not pre-authorized", func(c jwt.MapClaims) { c["sub"] = "other@x.example" }, 0, notApproved},
		{"app not installed", func(c jwt.MapClaims) { c["iss"] = "notinstalled" }, 0, notInstall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claims(srv)
			if tt.modify != nil {
				tt.modify(c)
			}
			res := jwtLogin(t, srv, sign(t, c, testKeys()[tt.key]))
			if res.status != http.StatusBadRequest || res.body != tt.want {
				t.Errorf("got %d %s, want 400 %s", res.status, res.body, tt.want)
			}
			checkOAuthHeaders(t, res)
		})
	}
	t.Run("permission set pre-authorized", func(t *testing.T) {
		c := claims(srv)
		c["sub"] = "permset@x.example"
		if res := jwtLogin(t, srv, sign(t, c, testKey())); res.status != http.StatusOK {
			t.Errorf("got %d %s, want 200", res.status, res.body)
		}
	})
	t.Run("API access control", func(t *testing.T) {
		acl := newOrg(t, sftest.Config{Users: users, APIAccessControl: true})
		c := claims(acl)
		c["sub"] = "other@x.example"
		if res := jwtLogin(t, acl, sign(t, c, testKey())); res.status != http.StatusBadRequest || res.body != appAccess {
			t.Errorf("got %d %s, want 400 %s", res.status, res.body, appAccess)
		}
	})
}

func TestTokenMalformedRequests(t *testing.T) {
	srv := newOrg(t)
	const (
		badAssert = `{"error":"invalid_grant","error_description":"invalid assertion"}`
		badGrant  = `{"error":"unsupported_grant_type","error_description":"grant type not supported"}`
	)
	hs256, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(srv)).SignedString([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(srv)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"PEM posted as assertion", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {"-----BEGIN CERTIFICATE-----"}}, badAssert},
		{"empty assertion", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}}, badAssert},
		{"HS256", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {hs256}}, badAssert},
		{"alg none", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {none}}, badAssert},
		{"misspelt grant type", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt_bearer"}}, badGrant},
		{"no grant type", url.Values{}, badGrant},
		{"password grant", url.Values{"grant_type": {"password"}}, badGrant},
		{"refresh token (none is ever issued)", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861"}, "client_id": {sftest.DefaultClientID}},
			`{"error":"invalid_grant","error_description":"expired access/refresh token"}`},
		{"refresh token, unknown client", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861"}, "client_id": {"nope"}},
			`{"error":"invalid_client_id","error_description":"client identifier invalid"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postForm(t, srv, "/services/oauth2/token", tt.form)
			if res.status != http.StatusBadRequest || res.body != tt.want {
				t.Errorf("got %d %s, want 400 %s", res.status, res.body, tt.want)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		res := get(t, srv, "", "/services/oauth2/token")
		want := `{"error":"invalid_request","error_description":"must use HTTP POST"}`
		if res.status != http.StatusBadRequest || res.body != want {
			t.Errorf("got %d %s, want 400 %s", res.status, res.body, want)
		}
	})
}

func TestTokenSandboxAudience(t *testing.T) {
	srv := newOrg(t, sftest.Config{Org: sftest.Org{Sandbox: true}})
	tests := []struct {
		aud        string
		wantStatus int
	}{
		{"https://test.salesforce.com", http.StatusOK},
		{"https://test.salesforce.com/", http.StatusOK},
		{srv.URL, http.StatusOK},
		{"https://login.salesforce.com", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.aud, func(t *testing.T) {
			c := claims(srv)
			c["aud"] = tt.aud
			if res := jwtLogin(t, srv, sign(t, c, testKey())); res.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (%s)", res.status, tt.wantStatus, res.body)
			}
		})
	}
}

func TestTokenExtraAudience(t *testing.T) {
	srv := newOrg(t, sftest.Config{ExtraAudiences: []string{"https://acme.my.site.com/customers"}})
	c := claims(srv)
	c["aud"] = "https://acme.my.site.com/customers"
	if res := jwtLogin(t, srv, sign(t, c, testKey())); res.status != http.StatusOK {
		t.Errorf("status = %d, want 200 (%s)", res.status, res.body)
	}
}

func TestTokenSelfAuthorize(t *testing.T) {
	app := sftest.DefaultApp()
	app.PermittedUsers = sftest.SelfAuthorize
	app.Profiles = nil
	app.Approvals = []string{"approved@x.example"}
	srv := newOrg(t, sftest.Config{
		Users: []sftest.User{{Username: "approved@x.example"}, {Username: "new@x.example"}},
		Apps:  []sftest.App{app},
	})
	tests := []struct {
		user string
		want int
	}{{"approved@x.example", http.StatusOK}, {"new@x.example", http.StatusBadRequest}}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			c := claims(srv)
			c["sub"] = tt.user
			if res := jwtLogin(t, srv, sign(t, c, testKey())); res.status != tt.want {
				t.Errorf("status = %d, want %d (%s)", res.status, tt.want, res.body)
			}
		})
	}
}

func TestTokenLoginRate(t *testing.T) {
	clock := newClock()
	srv := newOrg(t, sftest.Config{LoginRateLimit: 2, Clock: clock.Now})
	assertion := sign(t, jwt.MapClaims{"iss": sftest.DefaultClientID, "sub": sftest.DefaultUsername,
		"aud": srv.URL, "exp": clock.Now().Add(2 * time.Hour).Unix()}, testKey())
	for i := 0; i < 2; i++ {
		if res := jwtLogin(t, srv, assertion); res.status != http.StatusOK {
			t.Fatalf("login %d: status %d %s", i+1, res.status, res.body)
		}
	}
	want := `{"error":"invalid_grant","error_description":"login rate exceeded"}`
	if res := jwtLogin(t, srv, assertion); res.status != http.StatusBadRequest || res.body != want {
		t.Errorf("third login: got %d %s, want 400 %s", res.status, res.body, want)
	}
	clock.Advance(time.Hour + time.Second)
	if res := jwtLogin(t, srv, assertion); res.status != http.StatusOK {
		t.Errorf("after an hour: got %d %s, want 200", res.status, res.body)
	}
	if got, want := srv.TokenRequests(), 4; got != want {
		t.Errorf("TokenRequests() = %d, want %d", got, want)
	}
}

func TestTokenClientCredentials(t *testing.T) {
	noCC := sftest.DefaultApp()
	noCC.ConsumerKey, noCC.ClientCredentials = "nocc", false
	srv := newOrg(t, sftest.Config{Apps: []sftest.App{sftest.DefaultApp(), noCC}})
	form := func(id, secret string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	}
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantBody   string
	}{
		{"good", form(sftest.DefaultClientID, sftest.DefaultClientSecret), 200, ""},
		{"bad secret", form(sftest.DefaultClientID, "wrong"), 400, `{"error":"invalid_client","error_description":"invalid client credentials"}`},
		{"unknown client", form("nope", "x"), 400, `{"error":"invalid_client_id","error_description":"client identifier invalid"}`},
		{"flow disabled", form("nocc", sftest.DefaultClientSecret), 400, `{"error":"invalid_grant","error_description":"no client credentials user enabled"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postForm(t, srv, "/services/oauth2/token", tt.form)
			if res.status != tt.wantStatus || (tt.wantBody != "" && res.body != tt.wantBody) {
				t.Errorf("got %d %s, want %d %s", res.status, res.body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	t.Run("HTTP Basic", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.TokenURL(), strings.NewReader("grant_type=client_credentials"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(sftest.DefaultClientID, sftest.DefaultClientSecret)
		res := do(t, srv, req)
		if res.status != http.StatusOK {
			t.Fatalf("status %d %s", res.status, res.body)
		}
		var body map[string]any
		decode(t, res.body, &body)
		for _, k := range []string{"access_token", "signature", "issued_at", "instance_url", "id", "token_type", "scope"} {
			if _, ok := body[k]; !ok {
				t.Errorf("body lacks %q", k)
			}
		}
	})
}

func TestAddCertificateRefusesNonRSA(t *testing.T) {
	srv := sftest.NewServer(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.AddCertificate(cert); !errors.Is(err, sftest.ErrNotRSA) {
		t.Errorf("AddCertificate(ECDSA) = %v, want ErrNotRSA", err)
	}
	if err := srv.AddAppCertificate("nope", testCert()); !errors.Is(err, sftest.ErrUnknownApp) {
		t.Errorf("AddAppCertificate(unknown app) = %v, want ErrUnknownApp", err)
	}
	if _, err := srv.IssueToken("ghost@x.example"); !errors.Is(err, sftest.ErrUnknownUser) {
		t.Errorf("IssueToken(unknown user) = %v, want ErrUnknownUser", err)
	}
}

func TestRecordLogins(t *testing.T) {
	srv := newOrg(t, sftest.Config{RecordLogins: true, NoSampleData: true})
	tok := login(t, srv)
	login(t, srv)
	res := get(t, srv, tok, queryPath("SELECT UserId, LoginType, Status, Application FROM LoginHistory"))
	var p page
	decode(t, res.body, &p)
	if p.TotalSize != 2 || p.Records[0]["Status"] != "Success" || p.Records[0]["Application"] != "sftest App" {
		t.Errorf("LoginHistory after two logins: %s", res.body)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  sftest.Config
	}{
		{"user without username", sftest.Config{Users: []sftest.User{{}}}},
		{"duplicate user", sftest.Config{Users: []sftest.User{{Username: "a@x.example"}, {Username: "A@x.example"}}}},
		{"app without key", sftest.Config{Apps: []sftest.App{{}}}},
		{"org ID of a user", sftest.Config{Org: sftest.Org{ID: "005000000000000AAA"}}},
		{"bad version", sftest.Config{APIVersions: []string{"66"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sftest.New(tt.cfg); !errors.Is(err, sftest.ErrInvalidConfig) {
				t.Errorf("New = %v, want ErrInvalidConfig", err)
			}
		})
	}
}

func TestClientCredentialsOnLoginHost(t *testing.T) {
	srv := newOrg(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.TokenURL(),
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "client_id": {sftest.DefaultClientID}, "client_secret": {sftest.DefaultClientSecret}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "login.salesforce.com"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := do(t, srv, req)
	want := `{"error":"invalid_grant","error_description":"request not supported on this domain"}`
	if res.status != http.StatusBadRequest || res.body != want {
		t.Errorf("got %d %s, want 400 %s", res.status, res.body, want)
	}
}

func TestUpdateUserAndApp(t *testing.T) {
	srv := newOrg(t)
	tok, err := srv.IssueToken(sftest.DefaultUsername)
	if err != nil {
		t.Fatal(err)
	}
	if res := get(t, srv, tok, "/services/data/v66.0/limits"); res.status != 200 {
		t.Fatalf("before: %d", res.status)
	}
	t.Run("certificate rotation: old and new key both work", func(t *testing.T) {
		if err := srv.UpdateApp(sftest.DefaultClientID, func(a *sftest.App) {
			a.Certificates = append(a.Certificates, certFor(otherKey()))
		}); err != nil {
			t.Fatal(err)
		}
		for i, key := range testKeys() {
			if res := jwtLogin(t, srv, sign(t, claims(srv), key)); res.status != 200 {
				t.Errorf("key %d: %d %s", i, res.status, res.body)
			}
		}
	})
	t.Run("JWT bearer turned off", func(t *testing.T) {
		if err := srv.UpdateApp(sftest.DefaultClientID, func(a *sftest.App) { a.JWTBearer = false }); err != nil {
			t.Fatal(err)
		}
		defer srv.UpdateApp(sftest.DefaultClientID, func(a *sftest.App) { a.JWTBearer = true })
		if res := jwtLogin(t, srv, sign(t, claims(srv), testKey())); res.status != 400 {
			t.Errorf("got %d %s, want 400", res.status, res.body)
		}
	})
	t.Run("user frozen: sessions end, logins refused", func(t *testing.T) {
		if err := srv.UpdateUser(sftest.DefaultUsername, func(u *sftest.User) { u.Frozen = true }); err != nil {
			t.Fatal(err)
		}
		if res := get(t, srv, tok, "/services/data/v66.0/limits"); res.status != 401 || res.body != invalidSession {
			t.Errorf("old session: %d %s, want 401", res.status, res.body)
		}
		want := `{"error":"invalid_grant","error_description":"inactive user"}`
		if res := jwtLogin(t, srv, sign(t, claims(srv), testKey())); res.body != want {
			t.Errorf("login: %d %s, want %s", res.status, res.body, want)
		}
	})
	if err := srv.UpdateUser("ghost@x.example", func(*sftest.User) {}); !errors.Is(err, sftest.ErrUnknownUser) {
		t.Errorf("UpdateUser(unknown) = %v, want ErrUnknownUser", err)
	}
	if err := srv.UpdateApp("nope", func(*sftest.App) {}); !errors.Is(err, sftest.ErrUnknownApp) {
		t.Errorf("UpdateApp(unknown) = %v, want ErrUnknownApp", err)
	}
}
