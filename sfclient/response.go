package sfclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorBody bounds how much of a non-2xx body is read.
const maxErrorBody = 1 << 20

// readAPIError reads a non-2xx answer (at most 1 MiB of its body), closes the body and returns
// the *APIError it describes.
func readAPIError(resp *http.Response, r *request) *APIError {
	defer resp.Body.Close()
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     r.method,
		Path:       r.path,
		RetryAfter: resp.Header.Get("Retry-After"),
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	if looksHTML(resp.Header.Get("Content-Type"), trimmed) {
		e.HTML = true
		return e
	}
	if d, ok := parseErrorBody(trimmed); ok {
		e.Errors = d
		return e
	}
	e.Body = snippet(trimmed, 256)
	return e
}

// parseErrorBody accepts Salesforce's error list, a single error object, and the OAuth
// {"error","error_description"} form.
func parseErrorBody(b []byte) ([]ErrorDetail, bool) {
	var list []ErrorDetail
	if b[0] == '[' {
		if err := json.Unmarshal(b, &list); err == nil {
			return list, true
		}
		return nil, false
	}
	var one struct {
		ErrorDetail
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if b[0] != '{' || json.Unmarshal(b, &one) != nil {
		return nil, false
	}
	if one.ErrorCode == "" && one.Error != "" {
		return []ErrorDetail{{ErrorCode: one.Error, Message: one.Description}}, true
	}
	if one.ErrorCode == "" && one.Message == "" {
		return nil, false
	}
	return []ErrorDetail{one.ErrorDetail}, true
}

func looksHTML(contentType string, b []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "text/html") {
		return true
	}
	head := strings.ToLower(string(b[:min(len(b), 64)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<body")
}

// snippet returns at most n bytes of b as valid UTF-8 on one line.
func snippet(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	s := strings.ToValidUTF8(string(b), string(utf8.RuneError))
	return strings.Join(strings.Fields(s), " ")
}

// decodeJSON decodes a 2xx body into v. A read error is retryable; a decoding error is not.
func decodeJSON(resp *http.Response, v any) error {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return &retryableError{err}
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badBody(resp, b, err)
	}
	return nil
}

// badBody describes a 2xx body that could not be decoded. An HTML page (a login page, a
// proxy) becomes an *APIError matching ErrNotInstanceURL.
func badBody(resp *http.Response, body []byte, err error) error {
	method, path := "", ""
	if resp.Request != nil && resp.Request.URL != nil {
		method, path = resp.Request.Method, resp.Request.URL.EscapedPath()
	}
	if looksHTML(resp.Header.Get("Content-Type"), bytes.TrimSpace(body)) {
		return &APIError{StatusCode: resp.StatusCode, Method: method, Path: path, HTML: true}
	}
	return fmt.Errorf("sfclient: %s %s: %w: %w", method, path, ErrBadResponse, err)
}

// Usage is the org's API usage as last reported by a Sforce-Limit-Info header
// ("api-usage=10018/100000").
type Usage struct {
	// Used is the number of API requests counted in the last 24 hours.
	Used int64
	// Max is the org's daily allocation.
	Max int64
	// At is when the header was received; zero when no header was seen yet.
	At time.Time
}

// Remaining is Max − Used (never below zero).
func (u Usage) Remaining() int64 { return max(u.Max-u.Used, 0) }

// Usage returns the API usage from the last answer that carried Sforce-Limit-Info. Its At is
// zero before the first such answer.
func (c *Client) Usage() Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usage
}

func (c *Client) recordUsage(h http.Header) {
	v := h.Get("Sforce-Limit-Info")
	if v == "" {
		return
	}
	u, ok := parseLimitInfo(v)
	if !ok {
		return
	}
	u.At = c.now()
	c.mu.Lock()
	c.usage = u
	c.mu.Unlock()
}

// parseLimitInfo reads "api-usage=N/M" among ";"-separated parts.
func parseLimitInfo(v string) (Usage, bool) {
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(k, "api-usage") {
			continue
		}
		used, limit, ok := strings.Cut(val, "/")
		if !ok {
			return Usage{}, false
		}
		u, err1 := strconv.ParseInt(strings.TrimSpace(used), 10, 64)
		m, err2 := strconv.ParseInt(strings.TrimSpace(limit), 10, 64)
		if err1 != nil || err2 != nil || u < 0 || m < 0 {
			return Usage{}, false
		}
		return Usage{Used: u, Max: m}, true
	}
	return Usage{}, false
}
