package sfclient

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIdleTimeoutFailsStalledBody(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first bytes"))
		w.(http.Flusher).Flush()
		<-release // then stall
	}))
	defer srv.Close()
	defer close(release)
	hc := &http.Client{Transport: &idleTimeoutTransport{base: http.DefaultTransport, idle: 50 * time.Millisecond}}
	resp, err := hc.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, errIdleTimeout) || string(b) != "first bytes" {
		t.Errorf("ReadAll = %q, %v; want the first bytes then errIdleTimeout", b, err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("stalled read returned after %v, want about 50ms", time.Since(start))
	}
	if !isTransient(err) {
		t.Errorf("isTransient(errIdleTimeout) = false, want true (an idempotent request is retried)")
	}
}

func TestDialFailureRetriedEvenForPOST(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: "http://" + addr, APIVersion: "62.0",
		Retry: RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	var attempts int
	c.jitter = func(d time.Duration) time.Duration { attempts++; return 0 }
	_, err = c.Create(t.Context(), "Account", map[string]string{"Name": "x"})
	if !isDialError(err) || attempts != 2 {
		t.Errorf("err = %v after %d retries, want a dial error after 2 retries", err, attempts)
	}
	if strings.Contains(err.Error(), "http://") {
		t.Errorf("error %q holds the URL, want only method and path", err)
	}
}

func TestRedirectsStayWithinTheOrigin(t *testing.T) {
	t.Parallel()
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		w.Write([]byte(`{"totalSize":0,"done":true,"records":[]}`))
	}))
	defer other.Close()
	c, _, srv := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/services/data/v62.0/query":
			http.Redirect(w, r, other.URL+"/services/data/v62.0/query?"+r.URL.RawQuery, http.StatusFound)
		case "/services/data/v62.0/limits":
			http.Redirect(w, r, "/services/data/v62.0/limits/", http.StatusMovedPermanently)
		default:
			if r.Header.Get("Authorization") == "" {
				t.Errorf("same-origin redirect lost the Authorization header")
			}
			w.Write([]byte(`{"DailyApiRequests":{"Max":5,"Remaining":5}}`))
		}
	})
	_ = srv
	for _, err := range c.Query(t.Context(), "SELECT Id FROM Account", nil) {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound {
			t.Errorf("redirect to another port: err = %v, want the 302 as an *APIError", err)
		}
	}
	if leaked.Load() != 0 {
		t.Errorf("the token was sent to another origin %d times", leaked.Load())
	}
	if l, err := c.Limits(t.Context()); err != nil || l["DailyApiRequests"].Max != 5 {
		t.Errorf("same-origin redirect: %v, %v; want it followed", l, err)
	}
}
