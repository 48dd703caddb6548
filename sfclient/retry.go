package sfclient

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryWait decides whether the failure err of r (after retries retries, first sent at start)
// is retried, and after how long.
func (c *Client) retryWait(r *request, err error, retries int, start time.Time) (time.Duration, bool) {
	p := c.retry
	if retries >= p.MaxRetries || errors.Is(err, ErrToken) {
		return 0, false // the token source has its own retry policy
	}
	var wait time.Duration
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		if !r.idempotent() || !retryableStatus(apiErr.StatusCode) {
			return 0, false
		}
		if ra, ok := parseRetryAfter(apiErr.RetryAfter, c.now()); ok {
			wait = ra
		} else {
			wait = c.backoff(retries)
		}
	case isDialError(err):
		// Nothing reached the server: safe to resend whatever the method.
		wait = c.backoff(retries)
	case r.idempotent() && isTransient(err):
		wait = c.backoff(retries)
	default:
		return 0, false
	}
	if c.now().Add(wait).After(start.Add(p.MaxElapsed)) {
		return 0, false
	}
	return wait, true
}

// backoff returns the wait before retry number retries+1: MinBackoff·2^retries capped by
// MaxBackoff, with the upper half jittered.
func (c *Client) backoff(retries int) time.Duration {
	d := c.retry.MinBackoff
	for i := 0; i < retries && d < c.retry.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.retry.MaxBackoff)
	return d/2 + c.jitter(d/2)
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// isDialError reports a failure to connect: the request never reached the server.
func isDialError(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de) && de.IsTemporary
}

// isTransient reports connection resets, unexpected ends and timeouts.
func isTransient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	for _, target := range []error{
		syscall.ECONNRESET, syscall.ECONNABORTED, syscall.ECONNREFUSED, syscall.EPIPE,
		syscall.ETIMEDOUT, io.ErrUnexpectedEOF, io.EOF, errIdleTimeout, net.ErrClosed,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	// net/http does not export its HTTP/2 errors: a reset stream reads "stream error: stream ID
	// 7; INTERNAL_ERROR", a dropped connection "http2: client connection lost".
	msg := err.Error()
	for _, s := range []string{"connection reset", "server closed", "GOAWAY", "stream error:", "http2: client connection lost"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
