package jwtauth

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// fetchBudget bounds one token fetch, all retries included, whatever the HTTP client's
// timeout: no caller can be made to wait longer for a token.
const fetchBudget = 2 * time.Minute

// backgroundRetryDelay is how long after a failed background refresh (while the old token
// is still valid) the next one may start, so a failing login is not retried on every call.
const backgroundRetryDelay = 5 * time.Second

// TokenSource hands out Salesforce access tokens, fetching and caching them. Create it with
// New or NewClientCredentials. It is safe for concurrent use.
//
// A cached token is returned until RefreshMargin before its expiry; from then on the first
// caller starts one refresh in the background and every caller keeps getting the old token
// until it expires. A caller that finds no valid token waits for the one fetch in flight
// (starting it if needed) and shares its result. The returned *oauth2.Token is shared
// between callers and must not be modified.
type TokenSource struct {
	flow     flow
	settings settings
	audience string
	now      func() time.Time
	// timers marks a cached token stale with a timer at its refresh time, so the cached
	// path reads no clock. Tests that replace now turn it off (then the clock is compared).
	timers bool
	// backoff returns the wait before retry n (n = 1, 2, …).
	backoff func(n int) time.Duration

	cur atomic.Pointer[cachedToken]

	mu        sync.Mutex
	flight    *flight   // the fetch in progress, if any
	bgRetryAt time.Time // no background refresh before this time
}

// cachedToken is the current token and the time from which it is refreshed.
type cachedToken struct {
	tok       *oauth2.Token
	refreshAt time.Time
	stale     atomic.Bool // set at refreshAt by a timer (when TokenSource.timers)
}

// fresh reports whether c needs no refresh yet. With timers it is one atomic load.
func (s *TokenSource) fresh(c *cachedToken) bool {
	if s.timers {
		return !c.stale.Load()
	}
	return s.now().Before(c.refreshAt)
}

// flight is one fetch and the callers waiting for it.
type flight struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int
	tok     *oauth2.Token
	err     error
}

// Token returns a valid access token. It implements oauth2.TokenSource. It uses no caller
// context: a fetch it waits for is bounded by the HTTP client's timeout, the retry count
// and an overall limit of two minutes. Use TokenContext to bound the wait yourself.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a valid access token, waiting for a fetch when no cached token is
// valid. ctx bounds only this caller's wait: when it ends, TokenContext returns ctx's error
// at once, and the fetch goes on for the other waiters (it is cancelled when no one waits
// for it any more). The context is never stored.
func (s *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if c := s.cur.Load(); c != nil && s.fresh(c) {
		return c.tok, nil
	}
	return s.slowToken(ctx)
}

func (s *TokenSource) slowToken(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	now := s.now()
	c := s.cur.Load()
	if c != nil && !c.stale.Load() && now.Before(c.refreshAt) {
		s.mu.Unlock()
		return c.tok, nil
	}
	if c != nil && now.Before(c.tok.Expiry) {
		// Still valid: refresh in the background, keep serving the old token.
		if s.flight == nil && !now.Before(s.bgRetryAt) {
			s.startLocked()
		}
		s.mu.Unlock()
		return c.tok, nil
	}
	if err := ctx.Err(); err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("jwtauth: waiting for a token: %w", err)
	}
	f := s.flight
	if f == nil {
		f = s.startLocked()
	}
	f.waiters++
	s.mu.Unlock()

	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		s.mu.Lock()
		f.waiters--
		if f.waiters == 0 && s.flight == f {
			// Nobody waits any more: abandon the fetch.
			s.flight = nil
			f.cancel()
		}
		s.mu.Unlock()
		return nil, fmt.Errorf("jwtauth: waiting for a token: %w", ctx.Err())
	}
}

// startLocked starts a fetch; s.mu must be held.
func (s *TokenSource) startLocked() *flight {
	ctx, cancel := context.WithTimeout(context.Background(), fetchBudget)
	f := &flight{done: make(chan struct{}), cancel: cancel}
	s.flight = f
	go s.run(ctx, f)
	return f
}

func (s *TokenSource) run(ctx context.Context, f *flight) {
	defer f.cancel()
	// Wall-clock time (no monotonic reading): a laptop that slept through the expiry must
	// see the token as expired, as Salesforce does.
	start := s.now().Round(0)
	tok, err := s.fetch(ctx)
	s.mu.Lock()
	if err == nil {
		life, margin := s.settings.lifetime, s.settings.margin
		if n := tok.ExpiresIn; n > 0 && n < int64(life/time.Second) {
			life = time.Duration(n) * time.Second
			margin = min(margin, life/4)
		}
		tok.Expiry = start.Add(life)
		c := &cachedToken{tok: tok, refreshAt: tok.Expiry.Add(-margin)}
		s.cur.Store(c)
		if s.timers {
			s.watch(c)
		}
		s.settings.logger.Debug("jwtauth: new token cached",
			slog.Time("expiry", tok.Expiry), slog.String("instance_url", InstanceURL(tok)))
	} else {
		s.bgRetryAt = s.now().Add(backgroundRetryDelay)
	}
	f.tok, f.err = tok, err
	if s.flight == f {
		s.flight = nil
	}
	s.mu.Unlock()
	close(f.done)
}

// watchPeriod bounds how long a cached token can outlive its refresh time when the
// monotonic clock that drives timers stood still (a suspended machine) or the wall clock
// jumped: the watch re-reads the wall clock at least this often.
const watchPeriod = 30 * time.Second

// watch marks c stale once the wall clock reaches c.refreshAt, checking at least every
// watchPeriod. It stops as soon as c is no longer the cached token, so an abandoned source
// keeps no timer beyond its token's refresh time.
func (s *TokenSource) watch(c *cachedToken) {
	d := min(c.refreshAt.Sub(s.now()), watchPeriod)
	time.AfterFunc(max(d, 0), func() {
		if s.cur.Load() != c {
			return
		}
		if !s.now().Before(c.refreshAt) {
			c.stale.Store(true)
			return
		}
		s.watch(c)
	})
}

// Invalidate drops tok if it is still the cached token, so the next call fetches a new one.
// Call it when the server refused tok (HTTP 401 INVALID_SESSION_ID). A token that was already
// replaced by a newer one is left alone, so many callers that saw the same refusal cause a
// single new login. Tokens are compared by their AccessToken; nil is ignored.
func (s *TokenSource) Invalidate(tok *oauth2.Token) {
	if tok == nil {
		return
	}
	c := s.cur.Load()
	if c == nil || c.tok.AccessToken != tok.AccessToken {
		return
	}
	if s.cur.CompareAndSwap(c, nil) {
		s.settings.logger.Debug("jwtauth: token dropped after the server refused it")
	}
}

// TokenURL returns the URL token requests are posted to.
func (s *TokenSource) TokenURL() string { return s.settings.tokenURL }

// Audience returns the "aud" claim of the JWT bearer assertions (the derived default when
// Config.Audience was empty); empty for the client credentials flow.
func (s *TokenSource) Audience() string { return s.audience }
