package sftest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestFailNext(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	path := "/services/data/v66.0/limits"
	tests := []struct {
		name       string
		fault      sftest.Fault
		wantStatus int
		wantBody   string
		wantHeader [2]string
	}{
		{"503 default body", sftest.Fault{}, 503,
			`[{"message":"Server temporarily unavailable, please try again later.","errorCode":"SERVER_UNAVAILABLE"}]`, [2]string{"Content-Type", "application/json;charset=UTF-8"}},
		{"429 with Retry-After", sftest.Fault{Status: 429, Header: http.Header{"Retry-After": {"3"}}}, 429,
			`[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`, [2]string{"Retry-After", "3"}},
		{"HTML error page", sftest.Fault{Status: 500, Body: "<html><body>Maintenance</body></html>"}, 500,
			"<html><body>Maintenance</body></html>", [2]string{"Content-Type", "text/html;charset=UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.FailNext(tt.fault)
			res := get(t, srv, tok, path)
			if res.status != tt.wantStatus || res.body != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", res.status, res.body, tt.wantStatus, tt.wantBody)
			}
			if got := res.header.Get(tt.wantHeader[0]); got != tt.wantHeader[1] {
				t.Errorf("%s = %q, want %q", tt.wantHeader[0], got, tt.wantHeader[1])
			}
			if res := get(t, srv, tok, path); res.status != 200 {
				t.Errorf("next request: %d, want 200", res.status)
			}
		})
	}
	t.Run("count and path prefix", func(t *testing.T) {
		srv.FailNext(sftest.Fault{Count: 2, PathPrefix: "/services/oauth2/token", Status: 503})
		if res := get(t, srv, tok, path); res.status != 200 {
			t.Errorf("other path: %d, want 200", res.status)
		}
		for i := 0; i < 2; i++ {
			if res := jwtLogin(t, srv, sign(t, claims(srv), testKey())); res.status != 503 {
				t.Errorf("token request %d: %d, want 503", i, res.status)
			}
		}
		if res := jwtLogin(t, srv, sign(t, claims(srv), testKey())); res.status != 200 {
			t.Errorf("third token request: %d, want 200", res.status)
		}
	})
}

func TestCutAfter(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	path := "/services/data/v66.0/sobjects/EventLogFile/" + id + "/LogFile"
	srv.CutAfter(1, "/services/data/v66.0/sobjects/EventLogFile/", 1000)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Encoding", "identity")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(b) != 1000 {
		t.Errorf("read %d bytes, err %v; want 1000 bytes and unexpected EOF", len(b), err)
	}
	if full := get(t, srv, tok, path, "Accept-Encoding", "identity"); len(full.body) != 1<<20 {
		t.Errorf("after the cut: %d bytes, want %d", len(full.body), 1<<20)
	}
	reqs := srv.Requests()
	var cut int
	for _, r := range reqs {
		if r.Cut {
			cut++
		}
	}
	if cut != 1 {
		t.Errorf("request log has %d cut requests, want 1", cut)
	}
}

func TestLatency(t *testing.T) {
	srv := newOrg(t)
	srv.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/services/data", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	srv.SetLatency(0)
	if res := get(t, srv, "", "/services/data"); res.status != 200 {
		t.Errorf("after SetLatency(0): %d", res.status)
	}
}

func TestRequestLog(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	get(t, srv, tok, queryPath("SELECT Id FROM Account"))
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	if r := reqs[0]; r.Method != "POST" || r.Path != "/services/oauth2/token" || r.Status != 200 || r.Time.IsZero() {
		t.Errorf("first = %+v", r)
	}
	if r := reqs[1]; r.Method != "GET" || r.Path != "/services/data/v66.0/query" || r.Status != 200 || !strings.Contains(r.Query, "q=") {
		t.Errorf("second = %+v", r)
	}
}

func TestGzip(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	t.Run("response", func(t *testing.T) {
		res := get(t, srv, tok, queryPath("SELECT Id FROM Account"), "Accept-Encoding", "gzip")
		if res.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding = %q, want gzip", res.header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil || !strings.HasPrefix(string(b), `{"totalSize":3,`) {
			t.Errorf("decompressed %q, %v", b, err)
		}
	})
	t.Run("no gzip unless asked", func(t *testing.T) {
		res := get(t, srv, tok, queryPath("SELECT Id FROM Account"), "Accept-Encoding", "identity")
		if res.header.Get("Content-Encoding") != "" || !strings.HasPrefix(res.body, "{") {
			t.Errorf("Content-Encoding %q, body %.20q", res.header.Get("Content-Encoding"), res.body)
		}
	})
	t.Run("br is never used", func(t *testing.T) {
		res := get(t, srv, tok, "/services/data/v66.0/limits", "Accept-Encoding", "br")
		if ce := res.header.Get("Content-Encoding"); ce != "" {
			t.Errorf("Content-Encoding = %q, want none", ce)
		}
	})
	t.Run("request body", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write([]byte(`{"Name":"Compressed Inc"}`))
		_ = zw.Close()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/services/data/v66.0/sobjects/Account", &buf)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		if res := do(t, srv, req); res.status != http.StatusCreated {
			t.Errorf("create with gzip body: %d %s", res.status, res.body)
		}
	})
}

// TestTLSCertificateNames checks the server can be reached as localhost and 127.0.0.1.
func TestTLSCertificateNames(t *testing.T) {
	srv := sftest.NewServer(t)
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := srv.Certificate().VerifyHostname(name); err != nil {
			t.Errorf("certificate not valid for %s: %v", name, err)
		}
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	res, err := srv.Client().Get("https://localhost:" + port + "/services/data")
	if err != nil {
		t.Fatalf("GET via localhost: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}
}

// TestLogsHoldNoSecrets: neither Requests nor Config.Log ever show an assertion, a secret or
// an access token, even when a client puts them in the query string.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logBuf bytes.Buffer
	srv := newOrg(t, sftest.Config{Log: slog.New(slog.NewTextHandler(&logBuf, nil))})
	assertion := sign(t, claims(srv), testKey())
	res := postForm(t, srv, "/services/oauth2/token?grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion="+assertion, nil)
	if res.status != 200 {
		t.Fatalf("login with the assertion in the query string: %d %s", res.status, res.body)
	}
	tok := login(t, srv)
	get(t, srv, tok, "/services/oauth2/revoke?token="+tok)
	postForm(t, srv, "/services/oauth2/token?client_secret="+sftest.DefaultClientSecret, nil)
	var all strings.Builder
	for _, r := range srv.Requests() {
		fmt.Fprintf(&all, "%+v\n", r)
	}
	all.WriteString(logBuf.String())
	for name, secret := range map[string]string{"assertion": assertion, "token": tok, "secret": sftest.DefaultClientSecret} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("request log or slog output holds the %s", name)
		}
	}
	if !strings.Contains(all.String(), "assertion=REDACTED") {
		t.Errorf("log lacks the redacted parameter:\n%s", all.String())
	}
}

func TestHTTP2(t *testing.T) {
	srv := newOrg(t, sftest.Config{HTTP2: true, NoSampleData: true})
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/services/data/v66.0/limits", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", res.Proto)
	}
	srv.CutAfter(1, "", 1000)
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/services/data/v66.0/sobjects/EventLogFile/"+id+"/LogFile", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Encoding", "identity")
	res, err = srv.Client().Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Error("cut HTTP/2 download succeeded; want a stream error")
	}
}
