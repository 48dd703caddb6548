package jwtauth

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRetries(t *testing.T) {
	htmlPage := func(w http.ResponseWriter, status int, title string) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(status)
		w.Write([]byte("<html><head><title>" + title + "</title></head><body>oops</body></html>"))
	}
	tests := []struct {
		name       string
		respond    func(w http.ResponseWriter, r *http.Request, n int64)
		retries    int
		wantErr    bool
		wantStatus int
		wantCount  int64
		wantHint   string
	}{
		{"503 then success", func(w http.ResponseWriter, r *http.Request, n int64) {
			if n == 1 {
				writeOAuthError(w, 503, "unknown_error", "retry your request")
				return
			}
			writeSuccess(w, n)
		}, 0, false, 0, 2, ""},
		{"HTML 502 twice then success", func(w http.ResponseWriter, r *http.Request, n int64) {
			if n <= 2 {
				htmlPage(w, 502, "Bad Gateway")
				return
			}
			writeSuccess(w, n)
		}, 0, false, 0, 3, ""},
		{"500 forever stops after the retries", func(w http.ResponseWriter, r *http.Request, n int64) {
			writeOAuthError(w, 500, "unknown_error", "internal")
		}, 0, true, 500, 1 + DefaultRetries, "server had an error"},
		{"Retries -1 means one attempt", func(w http.ResponseWriter, r *http.Request, n int64) {
			htmlPage(w, 503, "Maintenance")
		}, -1, true, 503, 1, "server had an error"},
		{"400 is never retried", func(w http.ResponseWriter, r *http.Request, n int64) {
			writeOAuthError(w, 400, "invalid_grant", "invalid assertion")
		}, 0, true, 400, 1, "Step 9"},
		{"429 is never retried", func(w http.ResponseWriter, r *http.Request, n int64) {
			htmlPage(w, 429, "Too Many Requests")
		}, 0, true, 429, 1, "not a Salesforce token endpoint"},
		{"HTML 200 is not a token endpoint", func(w http.ResponseWriter, r *http.Request, n int64) {
			htmlPage(w, 200, "Login | Salesforce")
		}, 0, true, 200, 1, "not a Salesforce token endpoint"},
		{"redirect is not followed", func(w http.ResponseWriter, r *http.Request, n int64) {
			http.Redirect(w, r, "https://new.my.salesforce.com/services/oauth2/token?x=secret", http.StatusFound)
		}, 0, true, 302, 1, "redirects elsewhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTokenServer(t, tt.respond)
			ts, _ := newTestSource(t, srv.URL, func(c *Config) { c.Retries = tt.retries })
			tok, err := ts.Token()
			if n := srv.count.Load(); n != tt.wantCount {
				t.Errorf("token requests = %d, want %d", n, tt.wantCount)
			}
			if !tt.wantErr {
				if err != nil || tok == nil {
					t.Fatalf("Token() = %v, %v; want a token", tok, err)
				}
				return
			}
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token() error = %v, want a *TokenError", err)
			}
			if te.Status != tt.wantStatus {
				t.Errorf("Status = %d, want %d", te.Status, tt.wantStatus)
			}
			if te.Retryable != (tt.wantStatus >= 500) {
				t.Errorf("Retryable = %v for status %d", te.Retryable, te.Status)
			}
			if !strings.Contains(te.Hint, tt.wantHint) {
				t.Errorf("Hint = %q, want it to contain %q", te.Hint, tt.wantHint)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q repeats the redirect's query", err)
			}
		})
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // reset before any answer
			}
			return
		}
		writeSuccess(w, n)
	})
	ts, _ := newTestSource(t, srv.URL, nil)
	if _, err := ts.Token(); err != nil {
		t.Fatalf("Token() = %v, want success after one retry", err)
	}
	if n := srv.count.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ts, _ := newTestSource(t, "http://"+addr, nil)
	_, err = ts.Token()
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("Token() error = %v, want a *url.Error", err)
	}
	if !strings.HasPrefix(err.Error(), "jwtauth: token request to http://"+addr+"/services/oauth2/token") {
		t.Errorf("error = %q, want it to name the token URL", err)
	}
}

func TestResponseWithoutAccessToken(t *testing.T) {
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}`))
	})
	ts, _ := newTestSource(t, srv.URL, nil)
	_, err := ts.Token()
	if !errors.Is(err, ErrNoToken) {
		t.Fatalf("Token() error = %v, want ErrNoToken", err)
	}
	if n := srv.count.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestExpiresInHonoured(t *testing.T) {
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"tok-abcdefgh","token_type":"Bearer","expires_in":120}`))
	})
	ts, clock := newTestSource(t, srv.URL, nil)
	tok, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.Now().Add(2 * time.Minute); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v (expires_in shorter than the session timeout wins)", tok.Expiry, want)
	}
	if got, want := ts.cur.Load().refreshAt, clock.Now().Add(90*time.Second); !got.Equal(want) {
		t.Errorf("refreshAt = %v, want %v (a quarter of the lifetime before expiry)", got, want)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"2", 2 * time.Second}, {" 30 ", 30 * time.Second}, {"31", 0}, {"-1", 0},
		{"Wed, 21 Oct 2026 07:28:00 GMT", 0}, {"99999999999999999999", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := retryAfter(tt.in); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Retry-After", "3")
		writeOAuthError(w, 503, "unknown_error", "maintenance")
	})
	ts, _ := newTestSource(t, srv.URL, func(c *Config) { c.Retries = -1 })
	_, err := ts.Token()
	var te *TokenError
	if !errors.As(err, &te) || te.retryAfter != 3*time.Second {
		t.Fatalf("error = %v, want a TokenError remembering Retry-After 3s", err)
	}
}

func TestExpiresInForms(t *testing.T) {
	tests := []struct {
		body string
		want int64
	}{
		{`{"access_token":"tok-abcdefgh","expires_in":120}`, 120},
		{`{"access_token":"tok-abcdefgh","expires_in":"300"}`, 300},
		{`{"access_token":"tok-abcdefgh","expires_in":"soon"}`, 0},
		{`{"access_token":"tok-abcdefgh","expires_in":-1}`, 0},
		{`{"access_token":"tok-abcdefgh","expires_in":1e300}`, 0},
		{`{"access_token":"tok-abcdefgh"}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			tok, ok, _ := parseToken([]byte(tt.body))
			if !ok || tok == nil {
				t.Fatalf("parseToken(%s) failed", tt.body)
			}
			if tok.ExpiresIn != tt.want {
				t.Errorf("ExpiresIn = %d, want %d", tok.ExpiresIn, tt.want)
			}
		})
	}
}
