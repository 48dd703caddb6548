package sftest

import (
	"net/http"
	"strings"
	"time"
)

// Fault is a canned failure the server answers with instead of serving a request.
type Fault struct {
	// Count is how many requests fail. Zero means one.
	Count int
	// PathPrefix limits the fault to requests whose path starts with it, like
	// "/services/data/v66.0/query" or "/services/oauth2/token". Empty matches every path.
	PathPrefix string
	// Status is the HTTP status. Zero means 503.
	Status int
	// Body is the response body. Empty means Salesforce's error array for the status
	// (503 SERVER_UNAVAILABLE, 500 UNKNOWN_EXCEPTION, 429 and 403 REQUEST_LIMIT_EXCEEDED, …).
	// A body starting with "<" is sent as text/html, anything else as JSON.
	Body string
	// Header holds extra response headers, like Retry-After.
	Header http.Header
}

// RequestRecord is one entry of the request log.
type RequestRecord struct {
	// Method and Path are the request's method and URL path; Query its raw query string,
	// with the values of secret parameters (assertion, client_secret, token, …) replaced by
	// REDACTED.
	Method, Path, Query string
	// Status is the HTTP status answered (0 if the handler never wrote one).
	Status int
	// Time is when the request arrived, by the server's clock.
	Time time.Time
	// Bytes counts the response body bytes written (after compression).
	Bytes int64
	// Fault reports that an injected Fault answered the request; Cut that the connection was
	// cut by CutAfter.
	Fault, Cut bool
}

// maxRequestLog bounds the request log; older entries are dropped.
const maxRequestLog = 100000

// cutRule is a pending CutAfter.
type cutRule struct {
	count  int
	prefix string
	bytes  int64
}

// FailNext makes the next f.Count requests (matching f.PathPrefix) fail with f.Status and
// f.Body. Faults queue up in the order given; each request takes the first that matches.
func (s *Server) FailNext(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	if f.Header != nil {
		f.Header = f.Header.Clone()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// CutAfter makes the next n responses whose path starts with pathPrefix (empty: any) stop
// after bytes bytes of body (as sent, after compression) and close the connection, like a
// network failure mid-download. The client sees an unexpected EOF.
func (s *Server) CutAfter(n int, pathPrefix string, bytes int64) {
	if n <= 0 {
		n = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cuts = append(s.cuts, cutRule{count: n, prefix: pathPrefix, bytes: max(bytes, 0)})
}

// SetLatency delays every following request by d before it is served (0 turns it off).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// ClearFaults drops pending faults and cuts and turns latency off.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.cuts, s.latency = nil, nil, 0
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.requests...)
}

// TokenRequests returns how many requests reached /services/oauth2/token (any outcome).
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenReqs
}

// takeFault returns the fault that answers a request to path, or nil.
func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if strings.HasPrefix(path, f.PathPrefix) {
			f.Count--
			if f.Count <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// takeCut returns the byte limit of a pending cut for path, or -1.
func (s *Server) takeCut(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.cuts {
		c := &s.cuts[i]
		if strings.HasPrefix(path, c.prefix) {
			c.count--
			limit := c.bytes
			if c.count <= 0 {
				s.cuts = append(s.cuts[:i:i], s.cuts[i+1:]...)
			}
			return limit
		}
	}
	return -1
}

// injectLatency sleeps for the configured latency; it reports true if the client went away.
func (s *Server) injectLatency(r *http.Request) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false
	case <-r.Context().Done():
		return true
	}
}

// defaultFaultBody returns Salesforce's error body for an injected status.
func defaultFaultBody(status int) string {
	switch status {
	case http.StatusServiceUnavailable:
		return `[{"message":"Server temporarily unavailable, please try again later.","errorCode":"SERVER_UNAVAILABLE"}]`
	case http.StatusInternalServerError:
		return `[{"message":"An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)","errorCode":"UNKNOWN_EXCEPTION"}]`
	case http.StatusTooManyRequests, http.StatusForbidden:
		return `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`
	case http.StatusUnauthorized:
		return `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
	case http.StatusNotFound:
		return `[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`
	}
	return `[{"message":"` + http.StatusText(status) + `","errorCode":"UNKNOWN_EXCEPTION"}]`
}

// writeFault answers a request with an injected fault.
func writeFault(w *recorder, f *Fault) {
	w.fault = true
	body := f.Body
	if body == "" {
		body = defaultFaultBody(f.Status)
	}
	ct := "application/json;charset=UTF-8"
	if strings.HasPrefix(strings.TrimSpace(body), "<") {
		ct = "text/html;charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	for k, vs := range f.Header {
		w.Header()[k] = append([]string(nil), vs...)
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
}
