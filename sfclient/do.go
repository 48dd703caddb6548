package sfclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Invalidator is implemented by token sources that can drop a token the server refused, so the
// next Token call fetches a fresh one instead of returning the cached one. The client calls it
// with the exact token a 401 INVALID_SESSION_ID answered, so a source shared by several
// goroutines can keep a newer token another caller already fetched.
type Invalidator interface {
	Invalidate(t *oauth2.Token)
}

// ContextTokenSource is implemented by token sources that can fetch a token under a context.
// When the configured TokenSource implements it, the client passes each call's context.
type ContextTokenSource interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// request is one REST call; it can be sent again as is.
type request struct {
	method string
	path   string     // escaped, absolute path: /services/data/v62.0/query
	query  url.Values // nil for none
	body   []byte     // nil for none; JSON unless header says otherwise
	header http.Header
}

func (r *request) idempotent() bool {
	switch r.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryableError marks an error of a response handler (e.g. a connection reset while reading a
// query page) that may be retried when the request is idempotent.
type retryableError struct{ err error }

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// do sends r, refreshing the token once on 401 and retrying transient failures as the retry
// policy allows. On a 2xx answer it calls handle and returns its error, closing the body
// afterwards; a handler error wrapped in *retryableError is retried like a connection reset.
// With handle nil the 2xx response is returned with its body open for the caller to close.
// Every non-2xx answer ends as an *APIError.
func (c *Client) do(ctx context.Context, r *request, handle func(*http.Response) error) (*http.Response, error) {
	start := c.now()
	refreshed := false
	for retries := 0; ; {
		resp, tok, err := c.roundTrip(ctx, r)
		if err == nil && resp.StatusCode/100 == 2 {
			if handle == nil {
				return resp, nil
			}
			err = handle(resp)
			drainClose(resp.Body)
			var re *retryableError
			if err == nil || !errors.As(err, &re) {
				if err != nil && ctx.Err() != nil {
					// A body cut by the deadline or a cancellation is that, not a bad answer.
					return nil, contextError(ctx, r, err)
				}
				return nil, err
			}
			err = fmt.Errorf("sfclient: %s %s: read body: %w", r.method, r.path, re.err)
		} else if err == nil {
			apiErr := readAPIError(resp, r)
			apiErr.redact(tok.AccessToken)
			if resp.StatusCode == http.StatusUnauthorized && !refreshed {
				refreshed = true
				c.log.DebugContext(ctx, "sfclient: access token refused, fetching a fresh one",
					"method", r.method, "path", r.path)
				c.invalidate(tok)
				continue
			}
			err = apiErr
		}
		if ctx.Err() != nil {
			return nil, contextError(ctx, r, err)
		}
		wait, ok := c.retryWait(r, err, retries, start)
		if !ok {
			return nil, err
		}
		retries++
		c.log.DebugContext(ctx, "sfclient: retrying", "method", r.method, "path", r.path,
			"retry", retries, "wait", wait, "error", err.Error())
		if sleep(ctx, wait) != nil {
			return nil, contextError(ctx, r, err)
		}
	}
}

func contextError(ctx context.Context, r *request, last error) error {
	if last == nil || errors.Is(last, ctx.Err()) {
		return fmt.Errorf("sfclient: %s %s: %w", r.method, r.path, context.Cause(ctx))
	}
	return fmt.Errorf("sfclient: %s %s: %w (last failure: %w)", r.method, r.path, context.Cause(ctx), last)
}

// roundTrip sends r once with a token from the source. A network error is returned with the
// URL's query string removed.
func (c *Client) roundTrip(ctx context.Context, r *request) (*http.Response, *oauth2.Token, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return nil, nil, err
	}
	base, err := c.instanceFor(tok)
	if err != nil {
		return nil, nil, err
	}
	u := base.String() + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, nil, fmt.Errorf("sfclient: %s %s: build request: %w", r.method, r.path, stripURL(err))
	}
	tok.SetAuthHeader(req)
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, tok, fmt.Errorf("sfclient: %s %s: %w", r.method, r.path, stripURL(err))
	}
	c.recordUsage(resp.Header)
	return resp, tok, nil
}

// token asks the source for a token, under ctx when the source supports it.
func (c *Client) token(ctx context.Context) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var err error
	if cs, ok := c.ts.(ContextTokenSource); ok {
		tok, err = cs.TokenContext(ctx)
	} else {
		tok, err = c.ts.Token()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("%w: the token source returned an empty token", ErrToken)
	}
	return tok, nil
}

func (c *Client) invalidate(tok *oauth2.Token) {
	if inv, ok := c.ts.(Invalidator); ok && tok != nil {
		inv.Invalidate(tok)
	}
}

// instanceFor returns the configured instance URL, else the token's instance_url.
func (c *Client) instanceFor(tok *oauth2.Token) (*url.URL, error) {
	if c.instance != nil {
		return c.instance, nil
	}
	s, _ := tok.Extra("instance_url").(string)
	if s == "" {
		return nil, ErrNoInstanceURL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokInstance != nil && c.tokInstanceRaw == s {
		return c.tokInstance, nil
	}
	u, err := parseInstanceURL(s)
	if err != nil {
		return nil, fmt.Errorf("sfclient: token instance_url: %w", err)
	}
	c.tokInstance, c.tokInstanceRaw = u, s
	return u, nil
}

// stripURL removes the URL (which may carry SOQL) from a *url.Error.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// drainClose reads a little of what is left so the connection can be reused, then closes.
func drainClose(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, 4<<10)
	_ = rc.Close()
}

// apiPath joins the versioned base and the escaped parts: apiPath("62.0", "sobjects", "Account").
func apiPath(version string, parts ...string) string {
	var b strings.Builder
	b.WriteString("/services/data/v")
	b.WriteString(version)
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(p)
	}
	return b.String()
}
