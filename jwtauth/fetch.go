package jwtauth

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2"
)

// maxResponseBody bounds what is read of a token endpoint answer.
const maxResponseBody = 1 << 20

// userAgent is sent with every token request.
const userAgent = "sfjwt-jwtauth/1"

// flow builds the token request of one OAuth flow.
type flow interface {
	// form returns the form of one attempt, signed at now, and the strings that must never
	// appear in errors or logs (the assertion, the client secret).
	form(now time.Time) (url.Values, []string, error)
	// hintContext describes the flow for the error hints.
	hintContext() hintContext
}

// fetch requests a new token, retrying network errors and 5xx answers with backoff.
func (s *TokenSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	for attempt := 0; ; attempt++ {
		tok, err := s.attempt(ctx, attempt)
		if err == nil {
			return tok, nil
		}
		if attempt >= s.settings.retries || !retryable(ctx, err) {
			return nil, err
		}
		wait := s.backoff(attempt + 1)
		var te *TokenError
		if errors.As(err, &te) && te.retryAfter > wait {
			wait = te.retryAfter
		}
		s.settings.logger.Warn("jwtauth: token request failed, retrying",
			slog.Int("attempt", attempt+1), slog.Duration("wait", wait), slog.String("error", err.Error()))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, err
		}
	}
}

// retryable reports whether err may go away on a retry: a server error, or a network error
// that is neither a cancellation nor a certificate problem.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var te *TokenError
	if errors.As(err, &te) {
		return te.Retryable
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return !errors.As(err, &unknownCA) && !errors.As(err, &hostname) && !errors.As(err, &invalid)
}

// defaultBackoff waits 250 ms, 500 ms, 1 s, … (capped at 8 s), each with up to 50 % jitter.
func defaultBackoff(n int) time.Duration {
	d := 250 * time.Millisecond << min(n-1, 5)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// attempt sends one token request and turns the answer into a token or an error.
func (s *TokenSource) attempt(ctx context.Context, n int) (*oauth2.Token, error) {
	form, secrets, err := s.flow.form(s.now())
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.settings.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("jwtauth: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	start := time.Now()
	resp, err := s.settings.client.Do(req)
	if err != nil {
		s.settings.logger.Debug("jwtauth: token request failed", slog.String("url", s.settings.tokenURL),
			slog.Int("attempt", n+1), slog.String("error", err.Error()))
		return nil, fmt.Errorf("jwtauth: token request to %s: %w", s.settings.tokenURL, describeTransportError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	s.settings.logger.Debug("jwtauth: token response", slog.String("url", s.settings.tokenURL),
		slog.Int("attempt", n+1), slog.Int("status", resp.StatusCode), slog.Duration("elapsed", time.Since(start)))
	if err != nil {
		return nil, fmt.Errorf("jwtauth: read token response from %s: %w", s.settings.tokenURL, &url.Error{Op: "Post", URL: s.settings.tokenURL, Err: err})
	}
	hc := s.flow.hintContext()
	hc.tokenURL = s.settings.tokenURL
	return parseResponse(resp, body, secrets, hc)
}

// describeTransportError adds a hint to certificate errors; other errors are returned as is.
func describeTransportError(err error) error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
	)
	switch {
	case errors.As(err, &unknownCA):
		return fmt.Errorf("%w (the server's certificate is not trusted: add its CA to the HTTP client's roots; sfjwt: --ca-file)", err)
	case errors.As(err, &hostname):
		return fmt.Errorf("%w (the certificate does not name this host: check the login URL)", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w (nothing answers there: check the instance or login URL and its port)", err)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("%w (the host name does not resolve: check the instance URL, Setup → My Domain)", err)
	}
	return err
}
