package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient"
	"golang.org/x/oauth2"
)

// TestRedirectKeepsTokenHome: a REST answer that redirects to another origin must not carry
// the access token there.
func TestRedirectKeepsTokenHome(t *testing.T) {
	var mu sync.Mutex
	var gotAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		jsonAnswer(200, `{"totalSize":0,"done":true,"records":[]}`)(w, r)
	}))
	defer other.Close()
	for _, tt := range []struct {
		name, target string
	}{
		{"another host name", strings.Replace(other.URL, "127.0.0.1", "localhost", 1)},
		// net/http itself keeps Authorization on a redirect to the same host name, whatever the
		// port or scheme (https to http included): sfclient must stop it.
		{"same host name, another port", other.URL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			mu.Lock()
			gotAuth = nil
			mu.Unlock()
			f := startFakeOrg(t, map[string]http.HandlerFunc{fakeQuery: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target+fakeQuery+"?"+r.URL.RawQuery, http.StatusFound)
			}})
			c, err := sfclient.New(sfclient.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fakeToken}),
				InstanceURL: f.srv.URL, APIVersion: "66.0", HTTPClient: f.srv.Client(),
				Retry: sfclient.RetryPolicy{MaxRetries: -1, MaxElapsed: time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			drain(t, c.Query(t.Context(), "SELECT Id FROM Account", nil), nil) // the error, if any, is not the point
			mu.Lock()
			defer mu.Unlock()
			for _, a := range gotAuth {
				if strings.Contains(a, fakeToken) {
					t.Errorf("the access token was sent to %s after a redirect", target)
				}
			}
		})
	}
}
