package jwtauth

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/syncbuf"
)

// TestNoSecretsInErrorsOrLogs runs hostile servers that echo the assertion back in every place
// an error or a log could pick it up, and checks that no error text, log line or String output
// holds the assertion (or a part of it), the key, the client secret or an access token.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	echo := func(form url.Values) string { return form.Get("assertion") + form.Get("client_secret") }
	responders := map[string]func(w http.ResponseWriter, form url.Values, n int64){
		"oauth error echoing": func(w http.ResponseWriter, form url.Values, n int64) {
			writeOAuthError(w, 400, "invalid_grant", "invalid assertion "+echo(form))
		},
		"oauth error echoing the claims part": func(w http.ResponseWriter, form url.Values, n int64) {
			parts := strings.Split(form.Get("assertion"), ".")
			writeOAuthError(w, 400, "invalid_grant", "bad claims "+parts[len(parts)-1]+" "+parts[0])
		},
		"html title echoing": func(w http.ResponseWriter, form url.Values, n int64) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			fmt.Fprintf(w, "<html><title>%s</title><body>%s</body></html>", echo(form), echo(form))
		},
		"5xx echoing": func(w http.ResponseWriter, form url.Values, n int64) {
			writeOAuthError(w, 503, echo(form), echo(form))
		},
		"success": func(w http.ResponseWriter, form url.Values, n int64) { writeSuccess(w, n) },
	}
	keyPEM, err := certgen.EncodePKCS8PEM(testKey())
	if err != nil {
		t.Fatal(err)
	}
	keyDER := base64.StdEncoding.EncodeToString(testKey().D.Bytes())
	for name, respond := range responders {
		for _, flowName := range []string{"jwt", "client credentials"} {
			t.Run(name+"/"+flowName, func(t *testing.T) {
				var mu sync.Mutex
				var seen []string
				srv := newTokenServer(t, nil)
				srv.respond = func(w http.ResponseWriter, r *http.Request, n int64) {
					form := srv.lastForm()
					mu.Lock()
					seen = append(seen, form.Get("assertion"), form.Get("client_secret"))
					mu.Unlock()
					respond(w, form, n)
				}
				logs := &syncbuf.Buffer{}
				logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				var ts *TokenSource
				if flowName == "jwt" {
					ts, _ = newTestSource(t, srv.URL, func(c *Config) { c.Logger = logger })
				} else {
					var err error
					ts, err = NewClientCredentials(ClientCredentialsConfig{ClientID: "3MVG9id", ClientSecret: "CONSUMER-SECRET-0123456789",
						InstanceURL: srv.URL, Logger: logger})
					if err != nil {
						t.Fatal(err)
					}
					ts.backoff = func(int) time.Duration { return time.Millisecond }
				}
				tok, err := ts.Token()
				var outputs []string
				outputs = append(outputs, logs.String(), fmt.Sprintf("%v %+v %#v", ts, ts, ts))
				if err != nil {
					outputs = append(outputs, err.Error(), fmt.Sprintf("%+v %#v", err, err))
				}
				forbidden := []string{string(keyPEM[40:120]), keyDER[:40], "CONSUMER-SECRET-0123456789"}
				if tok != nil {
					forbidden = append(forbidden, tok.AccessToken)
				}
				mu.Lock()
				for _, s := range seen {
					if s == "" {
						continue
					}
					forbidden = append(forbidden, s)
					forbidden = append(forbidden, strings.Split(s, ".")...)
				}
				mu.Unlock()
				if len(seen) == 0 {
					t.Fatal("the server saw no request")
				}
				for _, out := range outputs {
					for _, secret := range forbidden {
						if secret != "" && strings.Contains(out, secret) {
							t.Errorf("output leaks a secret (%.12s…):\n%s", secret, out)
						}
					}
				}
			})
		}
	}
}

func TestConfigStringRedacts(t *testing.T) {
	cfg := Config{ClientID: "id", Username: "u", Key: testKey(), KeyPEM: []byte("pem-do-not-print"), KeyPassword: []byte("pw-do-not-print")}
	cc := ClientCredentialsConfig{ClientID: "id", ClientSecret: "secret-do-not-print"}
	for _, out := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v %#v", cfg, cfg), fmt.Sprintf("%v %#v", cc, cc)} {
		if strings.Contains(out, "do-not-print") || strings.Contains(out, testKey().D.String()[:20]) {
			t.Errorf("String output leaks a secret: %s", out)
		}
	}
}
