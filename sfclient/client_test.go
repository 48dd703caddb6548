package sfclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token source", Config{}, "sfclient: invalid config: TokenSource is required"},
		{"plain http remote", Config{TokenSource: ts, InstanceURL: "http://acme.my.salesforce.com"},
			`sfclient: invalid config: InstanceURL: "http://acme.my.salesforce.com": plain http is allowed only toward a loopback host; use https`},
		{"relative", Config{TokenSource: ts, InstanceURL: "acme.my.salesforce.com"},
			`sfclient: invalid config: InstanceURL: "acme.my.salesforce.com" is not an absolute https:// URL`},
		{"with path", Config{TokenSource: ts, InstanceURL: "https://acme.my.salesforce.com/services/data"},
			`sfclient: invalid config: InstanceURL: "https://acme.my.salesforce.com/services/data" must be a bare origin like https://acme.my.salesforce.com`},
		{"bad version", Config{TokenSource: ts, APIVersion: "62"},
			`sfclient: invalid config: APIVersion: "62" is not a version like "62.0"`},
		{"bad version letters", Config{TokenSource: ts, APIVersion: "vX.0"},
			`sfclient: invalid config: APIVersion: "vX.0" is not a version like "62.0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.cfg)
			if !errors.Is(err, ErrBadConfig) || err.Error() != tt.want {
				t.Errorf("New: err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNewAcceptsGoodConfig(t *testing.T) {
	t.Parallel()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
	tests := []struct{ url, version, wantVersion string }{
		{"https://acme.my.salesforce.com/", "v62.0", "62.0"},
		{"http://127.0.0.1:8443", "62.0", "62.0"},
		{"http://localhost:1", "66.0", "66.0"},
		{"http://[::1]:1", "v9.0", "9.0"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{TokenSource: ts, InstanceURL: tt.url, APIVersion: tt.version})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if v, err := c.APIVersion(t.Context()); v != tt.wantVersion || err != nil {
				t.Errorf("APIVersion = %q, %v; want %q", v, err, tt.wantVersion)
			}
			if c.hc == http.DefaultClient {
				t.Errorf("nil HTTPClient became http.DefaultClient")
			}
		})
	}
}

func TestVersionDiscoveredOnceAndNewestWins(t *testing.T) {
	t.Parallel()
	var discoveries atomic.Int32
	var paths sync.Map
	c, _, srv := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		paths.Store(r.URL.Path, true)
		if r.URL.Path == "/services/data" {
			discoveries.Add(1)
			time.Sleep(20 * time.Millisecond)
			fmt.Fprint(w, `[{"label":"x","url":"/services/data/v9.0","version":"9.0"},{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"},{"label":"y","url":"/services/data/v10.0","version":"10.0"}]`)
			return
		}
		fmt.Fprint(w, `{"DailyApiRequests":{"Max":"15000","Remaining":14990}}`)
	})
	c2, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: srv.URL, HTTPClient: c.hc, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := c2.Limits(t.Context())
			if d, ok := l.DailyAPIRequests(); err != nil || !ok || d.Max != 15000 || d.Remaining != 14990 || d.Used() != 10 {
				t.Errorf("Limits = %v, %v; want DailyApiRequests 15000/14990", l, err)
			}
		}()
	}
	wg.Wait()
	if n := discoveries.Load(); n != 1 {
		t.Errorf("GET /services/data sent %d times, want 1", n)
	}
	if _, ok := paths.Load("/services/data/v66.0/limits"); !ok {
		t.Errorf("limits not read with the newest version 66.0")
	}
}

func TestInstanceURLFromToken(t *testing.T) {
	t.Parallel()
	var got string
	c0, _, srv := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization") + " " + r.UserAgent()
		w.Write([]byte(`{}`))
	})
	c, err := New(Config{TokenSource: &fakeSource{extra: map[string]any{"instance_url": srv.URL}}, APIVersion: "62.0", HTTPClient: c0.hc, UserAgent: "conn/2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Limits(t.Context()); err != nil {
		t.Fatalf("Limits: %v", err)
	}
	if got != "Bearer tok-1 conn/2" {
		t.Errorf("Authorization and User-Agent = %q, want %q", got, "Bearer tok-1 conn/2")
	}
	noURL, _ := New(Config{TokenSource: &fakeSource{}, APIVersion: "62.0"})
	if _, err := noURL.Limits(t.Context()); !errors.Is(err, ErrNoInstanceURL) {
		t.Errorf("without any instance URL: err = %v, want ErrNoInstanceURL", err)
	}
	bad, _ := New(Config{TokenSource: &fakeSource{extra: map[string]any{"instance_url": "http://evil.example.com"}}, APIVersion: "62.0"})
	if _, err := bad.Limits(t.Context()); err == nil || !strings.Contains(err.Error(), "plain http is allowed only toward a loopback host") {
		t.Errorf("with a plain-http remote instance_url: err = %v, want it refused", err)
	}
}

func TestTokenErrorIsWrapped(t *testing.T) {
	t.Parallel()
	boom := errors.New("token endpoint down")
	c, err := New(Config{TokenSource: errSource{boom}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Limits(t.Context())
	if !errors.Is(err, ErrToken) || !errors.Is(err, boom) {
		t.Errorf("err = %v, want ErrToken wrapping the source's error", err)
	}
}

type errSource struct{ err error }

func (s errSource) Token() (*oauth2.Token, error) { return nil, s.err }

func TestUsageFromHeader(t *testing.T) {
	t.Parallel()
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Sforce-Limit-Info", "api-usage=10018/100000; api-bursts=1/750")
		w.Write([]byte(`{}`))
	})
	if u := c.Usage(); !u.At.IsZero() {
		t.Errorf("Usage before any call = %+v, want zero", u)
	}
	if _, err := c.Limits(t.Context()); err != nil {
		t.Fatal(err)
	}
	u := c.Usage()
	if u.Used != 10018 || u.Max != 100000 || u.Remaining() != 89982 || u.At.IsZero() {
		t.Errorf("Usage = %+v, want 10018/100000 with a time", u)
	}
}

func TestParseLimitInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   Usage
		wantOK bool
	}{
		{"api-usage=1/5", Usage{Used: 1, Max: 5}, true},
		{"per-app-api-usage=17/250(appName=x); api-usage=18/5000", Usage{Used: 18, Max: 5000}, true},
		{"api-usage=x/5", Usage{}, false},
		{"api-usage=5", Usage{}, false},
		{"nothing", Usage{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseLimitInfo(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseLimitInfo(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSObjectNamesChecked(t *testing.T) {
	t.Parallel()
	c, _ := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0"})
	for _, id := range []string{"", "..", "001/../../x", "a?b", "a#b"} {
		if _, err := c.Get(t.Context(), "Account", id); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Get(Account, %q): err = %v, want ErrInvalidArgument", id, err)
		}
	}
	if _, err := c.Do(t.Context(), "GET", "https://evil.example.com/services/data", nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Do with an absolute URL: err = %v, want ErrInvalidArgument", err)
	}
}

func TestHTMLAnswerNamesTheURLProblem(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 404} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c0, _, srv := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=UTF-8")
				w.WriteHeader(status)
				fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Login | Salesforce</title></head></html>")
			})
			c, _ := New(Config{TokenSource: &fakeSource{}, InstanceURL: srv.URL, HTTPClient: c0.hc, Retry: fastRetry})
			_, err := c.Limits(t.Context())
			want := fmt.Sprintf("sfclient: GET /services/data: %d: answer is HTML: the URL is probably not the org's instance URL", status)
			if !errors.Is(err, ErrNotInstanceURL) || err.Error() != want {
				t.Errorf("err = %v, want %q", err, want)
			}
			for _, err := range c0.Query(t.Context(), "SELECT Id FROM Account", nil) {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || !apiErr.HTML || apiErr.Path != "/services/data/v62.0/query" {
					t.Errorf("Query: err = %v, want an HTML *APIError on the query path", err)
				}
			}
		})
	}
}

type countingErrSource struct {
	n   atomic.Int32
	err error
}

func (s *countingErrSource) Token() (*oauth2.Token, error) { s.n.Add(1); return nil, s.err }

func TestTokenFailureNotRetriedByClient(t *testing.T) {
	t.Parallel()
	src := &countingErrSource{err: &timeoutErr{}}
	c, _ := New(Config{TokenSource: src, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0", Retry: fastRetry})
	if _, err := c.Limits(t.Context()); !errors.Is(err, ErrToken) || src.n.Load() != 1 {
		t.Errorf("err = %v after %d token calls, want ErrToken after 1", err, src.n.Load())
	}
}

type timeoutErr struct{}

func (*timeoutErr) Error() string   { return "i/o timeout" }
func (*timeoutErr) Timeout() bool   { return true }
func (*timeoutErr) Temporary() bool { return true }
