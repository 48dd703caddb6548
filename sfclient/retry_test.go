package sfclient

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// step is what the local server answers to one request.
type step struct {
	status     int
	code       string
	retryAfter string
	reset      bool
}

func TestRetryRules(t *testing.T) {
	t.Parallel()
	ok := step{status: 200}
	unavailable := step{status: 503, code: "SERVER_UNAVAILABLE"}
	tests := []struct {
		name         string
		method       string
		steps        []step
		wantRequests int
		wantStatus   int // 0: success
		wantInval    int
	}{
		{"GET 503 then ok", "GET", []step{unavailable, unavailable, ok}, 3, 0, 0},
		{"GET 503 storm exhausts retries", "GET", []step{unavailable, unavailable, unavailable, unavailable, unavailable}, 4, 503, 0},
		{"GET 429 502 504 then ok", "GET", []step{{status: 429}, {status: 502}, {status: 504}, ok}, 4, 0, 0},
		{"DELETE 503 then ok", "DELETE", []step{unavailable, {status: 204}}, 2, 0, 0},
		{"PUT reset then ok", "PUT", []step{{reset: true}, ok}, 2, 0, 0},
		{"GET reset then ok", "GET", []step{{reset: true}, ok}, 2, 0, 0},
		{"POST 503 not resent", "POST", []step{unavailable, ok}, 1, 503, 0},
		{"PATCH 429 not resent", "PATCH", []step{{status: 429}, ok}, 1, 429, 0},
		{"POST reset not resent", "POST", []step{{reset: true}, ok}, 1, -1, 0},
		{"GET 500 not retried", "GET", []step{{status: 500, code: "UNKNOWN_EXCEPTION"}, ok}, 1, 500, 0},
		{"GET 403 limit not retried", "GET", []step{{status: 403, code: "REQUEST_LIMIT_EXCEEDED"}, ok}, 1, 403, 0},
		{"GET 400 not retried", "GET", []step{{status: 400, code: "MALFORMED_QUERY"}, ok}, 1, 400, 0},
		{"GET 404 not retried", "GET", []step{{status: 404, code: "NOT_FOUND"}, ok}, 1, 404, 0},
		{"GET 401 refresh once", "GET", []step{{status: 401, code: "INVALID_SESSION_ID"}, ok}, 2, 0, 1},
		{"POST 401 refresh once", "POST", []step{{status: 401, code: "INVALID_SESSION_ID"}, {status: 201}}, 2, 0, 1},
		{"PATCH 401 refresh once", "PATCH", []step{{status: 401, code: "INVALID_SESSION_ID"}, {status: 204}}, 2, 0, 1},
		{"second 401 returned", "GET", []step{{status: 401, code: "INVALID_SESSION_ID"}, {status: 401, code: "INVALID_SESSION_ID"}, ok}, 2, 401, 1},
		{"401 then 503 then ok", "GET", []step{{status: 401, code: "INVALID_SESSION_ID"}, unavailable, ok}, 3, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			c, src, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				s := step{status: 200}
				if i < len(tt.steps) {
					s = tt.steps[i]
				}
				switch {
				case s.reset:
					resetConn(t, w)
				case s.status >= 400:
					if s.retryAfter != "" {
						w.Header().Set("Retry-After", s.retryAfter)
					}
					sfError(w, s.status, s.code, "failed")
				default:
					w.WriteHeader(s.status)
				}
			})
			resp, err := c.Do(t.Context(), tt.method, "sobjects/Account/001000000000001AAA", []byte(`{}`))
			if resp != nil {
				resp.Body.Close()
			}
			if got := int(n.Load()); got != tt.wantRequests {
				t.Errorf("requests = %d, want %d", got, tt.wantRequests)
			}
			if got := len(src.invalidations()); got != tt.wantInval {
				t.Errorf("invalidations = %d, want %d", got, tt.wantInval)
			}
			var apiErr *APIError
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantStatus > 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tt.wantStatus):
				t.Errorf("err = %v, want *APIError with status %d", err, tt.wantStatus)
			case tt.wantStatus < 0 && (err == nil || errors.As(err, &apiErr)):
				t.Errorf("err = %v, want a network error", err)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	var first, second time.Time
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			sfError(w, 429, "REQUEST_LIMIT_EXCEEDED", "slow down")
			return
		}
		second = time.Now()
		w.Write([]byte(`{}`))
	})
	if _, err := c.Limits(t.Context()); err != nil {
		t.Fatalf("Limits: %v", err)
	}
	if gap := second.Sub(first); gap < time.Second {
		t.Errorf("retry came %v after the 429, want at least the 1s of Retry-After", gap)
	}
}

func TestRetryAfterBeyondBudgetReturnsAtOnce(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _, _ := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		sfError(w, 503, "SERVER_UNAVAILABLE", "maintenance")
	})
	start := time.Now()
	_, err := c.Limits(t.Context())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.RetryAfter != "3600" {
		t.Fatalf("err = %v, want the 503 with Retry-After 3600", err)
	}
	if n.Load() != 1 || time.Since(start) > 2*time.Second {
		t.Errorf("requests = %d after %v, want 1 at once", n.Load(), time.Since(start))
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	t.Parallel()
	srvClient, _, srv := newLocal(t, func(w http.ResponseWriter, r *http.Request) {
		sfError(w, 503, "SERVER_UNAVAILABLE", "down")
	})
	c, err := New(Config{TokenSource: &fakeSource{}, InstanceURL: srv.URL, APIVersion: "62.0", HTTPClient: srvClient.hc,
		Retry: RetryPolicy{MinBackoff: 20 * time.Second, MaxBackoff: time.Minute, MaxElapsed: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Limits(ctx)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("returned after %v, want promptly after the cancel at 100ms", elapsed)
	}
	var apiErr *APIError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("err = %v, want context.Canceled wrapping the last 503", err)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	c := &Client{retry: RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}.withDefaults(),
		jitter: func(max time.Duration) time.Duration { return max }}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := c.backoff(i); got != w*time.Millisecond {
			t.Errorf("backoff(%d) = %v, want %v", i, got, w*time.Millisecond)
		}
	}
	c.jitter = func(time.Duration) time.Duration { return 0 }
	if got := c.backoff(0); got != 50*time.Millisecond {
		t.Errorf("backoff(0) without jitter = %v, want 50ms (half)", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"5", 5 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"Mon, 23 Nov 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Mon, 23 Nov 2026 09:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
