package jwtauth

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// Compile-time check: a *TokenSource is an oauth2.TokenSource.
var _ oauth2.TokenSource = (*TokenSource)(nil)

// waitFor polls cond until it holds or a second passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestTokenRequestAndCache(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, clock := newTestSource(t, srv.URL, nil)
	start := clock.Now()
	tok, err := ts.TokenContext(t.Context())
	if err != nil {
		t.Fatalf("TokenContext: %v", err)
	}
	if tok.AccessToken != testToken(1) || tok.TokenType != "Bearer" {
		t.Errorf("token = %q %q, want %q Bearer", tok.AccessToken, tok.TokenType, testToken(1))
	}
	if want := start.Add(DefaultTokenLifetime); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v (request time + session timeout)", tok.Expiry, want)
	}
	form := srv.lastForm()
	var fields []string
	for k := range form {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	if len(fields) != 2 || fields[0] != "assertion" || fields[1] != "grant_type" {
		t.Errorf("form fields = %v, want exactly [assertion grant_type]", fields)
	}
	if got := form.Get("grant_type"); got != GrantTypeJWTBearer {
		t.Errorf("grant_type = %q, want %q", got, GrantTypeJWTBearer)
	}
	for range 3 {
		again, err := ts.Token()
		if err != nil || again != tok {
			t.Fatalf("Token() = %p, %v; want the cached %p", again, err, tok)
		}
	}
	if n := srv.count.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestTokenEarlyRefreshAndExpiry(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, clock := newTestSource(t, srv.URL, func(c *Config) { c.RefreshMargin = 2 * time.Minute })
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(12*time.Minute + 59*time.Second) // before expiry - margin
	if tok, _ := ts.Token(); tok != first || srv.count.Load() != 1 {
		t.Fatalf("at 12m59s: token %q after %d requests, want the first token and 1 request", tok.AccessToken, srv.count.Load())
	}
	clock.Add(30 * time.Second) // inside the refresh margin: old token, refresh in background
	if tok, err := ts.Token(); tok != first || err != nil {
		t.Fatalf("inside the margin: Token() = %v, %v; want the still-valid first token at once", tok, err)
	}
	waitFor(t, "the background refresh", func() bool {
		c := ts.cur.Load()
		return c != nil && c.tok != first
	})
	second, _ := ts.Token()
	if second.AccessToken != testToken(2) {
		t.Fatalf("after refresh: token %q, want %q", second.AccessToken, testToken(2))
	}
	if want := clock.Now().Add(DefaultTokenLifetime); !second.Expiry.Equal(want) {
		t.Errorf("refreshed Expiry = %v, want %v", second.Expiry, want)
	}
	clock.Add(DefaultTokenLifetime + time.Second) // past expiry: callers wait for a new one
	third, err := ts.Token()
	if err != nil || third.AccessToken != testToken(3) {
		t.Fatalf("after expiry: Token() = %v, %v; want %q", third, err, testToken(3))
	}
	if n := srv.count.Load(); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestTokenBackgroundRefreshFailureKeepsOldToken(t *testing.T) {
	var fail sync.Map
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if _, ok := fail.Load("on"); ok {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "user hasn't approved this consumer")
			return
		}
		writeSuccess(w, n)
	})
	ts, clock := newTestSource(t, srv.URL, nil)
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	fail.Store("on", true)
	clock.Add(DefaultTokenLifetime - 30*time.Second)
	for range 10 {
		if tok, err := ts.Token(); tok != first || err != nil {
			t.Fatalf("during a failing refresh: Token() = %v, %v; want the still-valid token", tok, err)
		}
	}
	waitFor(t, "the failed refresh", func() bool { return srv.count.Load() == 2 })
	for range 10 {
		ts.Token()
	}
	if n := srv.count.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2 (a failed background refresh is not retried on every call)", n)
	}
	clock.Add(time.Minute) // expired now
	_, err = ts.Token()
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("after expiry: error = %v, want the TokenError", err)
	}
}

func TestTokenSingleFlight(t *testing.T) {
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		time.Sleep(50 * time.Millisecond)
		writeSuccess(w, n)
	})
	ts, _ := newTestSource(t, srv.URL, nil)
	const callers = 1000
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	toks := make(chan *oauth2.Token, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.TokenContext(context.Background())
			if err != nil {
				errs <- err
				return
			}
			toks <- tok
		}()
	}
	wg.Wait()
	close(errs)
	close(toks)
	for err := range errs {
		t.Fatalf("TokenContext: %v", err)
	}
	for tok := range toks {
		if tok.AccessToken != testToken(1) {
			t.Fatalf("a caller got %q, want the shared %q", tok.AccessToken, testToken(1))
		}
	}
	if n := srv.count.Load(); n != 1 {
		t.Errorf("%d callers on a cold source made %d token requests, want 1", callers, n)
	}
}

func TestTokenWaiterCancellation(t *testing.T) {
	release := make(chan struct{})
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		writeSuccess(w, n)
	})
	ts, _ := newTestSource(t, srv.URL, nil)

	patient := make(chan error, 1)
	go func() {
		_, err := ts.TokenContext(context.Background())
		patient <- err
	}()
	waitFor(t, "the first request", func() bool { return srv.count.Load() == 1 })

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ts.TokenContext(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("impatient caller: error = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("impatient caller returned after %v, want promptly", d)
	}
	close(release)
	if err := <-patient; err != nil {
		t.Fatalf("patient caller: %v (the fetch must go on for the remaining waiter)", err)
	}
	if n := srv.count.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestTokenAbandonedFetchIsCancelled(t *testing.T) {
	cancelled := make(chan struct{}, 1)
	srv := newTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			<-r.Context().Done()
			cancelled <- struct{}{}
			return
		}
		writeSuccess(w, n)
	})
	ts, _ := newTestSource(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		waitFor(t, "the first request", func() bool { return srv.count.Load() == 1 })
		cancel()
	}()
	if _, err := ts.TokenContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the fetch nobody waits for was not cancelled")
	}
	tok, err := ts.TokenContext(t.Context())
	if err != nil || tok.AccessToken != testToken(2) {
		t.Fatalf("next call: %v, %v; want a fresh fetch giving %q", tok, err, testToken(2))
	}
}

func TestInvalidate(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, _ := newTestSource(t, srv.URL, nil)
	tok1, _ := ts.Token()
	copy1 := *tok1
	ts.Invalidate(&copy1) // a copy with the same access token counts
	tok2, err := ts.Token()
	if err != nil || tok2.AccessToken != testToken(2) {
		t.Fatalf("after Invalidate: %v, %v; want %q", tok2, err, testToken(2))
	}
	ts.Invalidate(tok1) // stale: tok2 must survive
	ts.Invalidate(nil)
	if tok, _ := ts.Token(); tok != tok2 {
		t.Fatalf("a stale Invalidate dropped the newer token")
	}
	// 200 goroutines that all saw tok2 refused cause exactly one new login.
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts.Invalidate(tok2)
			if _, err := ts.Token(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.count.Load(); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

// TestTokenChaos mixes cached reads, invalidations, expiries and background refreshes from
// many goroutines (run it with -race): every call must still give a token.
func TestTokenChaos(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, clock := newTestSource(t, srv.URL, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				tok, err := ts.TokenContext(t.Context())
				if err != nil {
					t.Errorf("goroutine %d call %d: %v", g, i, err)
					return
				}
				switch (g + i) % 7 {
				case 0:
					ts.Invalidate(tok)
				case 3:
					clock.Add(40 * time.Second)
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.count.Load(); n < 2 || n > 8*200 {
		t.Errorf("token requests = %d, want between 2 and %d", n, 8*200)
	}
}

// TestTokenRefreshTimer checks the real-clock path, where a timer (not a clock read on each
// call) marks the cached token for refresh.
func TestTokenRefreshTimer(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, err := New(Config{ClientID: "id", Username: "u@example.com", Key: testKey(), LoginURL: srv.URL,
		TokenLifetime: 10 * time.Second, RefreshMargin: 9700 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	c := ts.cur.Load()
	waitFor(t, "the refresh timer", c.stale.Load)
	if tok, err := ts.Token(); tok != first || err != nil {
		t.Fatalf("after the refresh time: Token() = %v, %v; want the still-valid token at once", tok, err)
	}
	waitFor(t, "the background refresh", func() bool { c := ts.cur.Load(); return c != nil && c.tok != first })
	if n := srv.count.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
	ts.Invalidate(ts.cur.Load().tok) // the watch of a dropped token stops; nothing to assert but -race
}
