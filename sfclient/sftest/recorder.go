package sftest

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// errCut is returned by writes after CutAfter closed the connection.
var errCut = errors.New("sftest: connection cut")

// recorder wraps the ResponseWriter of one request: it records status and size for the
// request log and cuts the connection when a CutAfter limit is reached.
type recorder struct {
	http.ResponseWriter
	rec    RequestRecord
	cutAt  int64 // -1: no cut
	cut    bool
	fault  bool
	status int
}

// begin starts serving r: it counts token requests and prepares the log entry.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) *recorder {
	if r.URL.Path == "/services/oauth2/token" {
		s.mu.Lock()
		s.tokenReqs++
		s.mu.Unlock()
	}
	return &recorder{
		ResponseWriter: w,
		cutAt:          s.takeCut(r.URL.Path),
		rec:            RequestRecord{Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.RawQuery), Time: s.now()},
	}
}

// isSecretParam reports whether the value of query parameter name must never reach the
// request log.
func isSecretParam(name string) bool {
	switch strings.ToLower(name) {
	case "assertion", "client_secret", "token", "access_token", "refresh_token", "code", "code_verifier", "password":
		return true
	}
	return false
}

// redactQuery replaces the values of secret parameters in a raw query string.
func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		name, _, found := strings.Cut(p, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if found && isSecretParam(name) {
			parts[i] = name + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}

// finish appends the request to the log.
func (s *Server) finish(w *recorder, _ *http.Request) {
	w.rec.Status, w.rec.Fault, w.rec.Cut = w.status, w.fault, w.cut
	if l := s.cfg.Log; l != nil {
		l.Info("sftest request", "method", w.rec.Method, "path", w.rec.Path, "status", w.rec.Status,
			"bytes", w.rec.Bytes, "fault", w.rec.Fault, "cut", w.rec.Cut)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= maxRequestLog {
		s.requests = append(s.requests[:0], s.requests[len(s.requests)-maxRequestLog/2:]...)
	}
	s.requests = append(s.requests, w.rec)
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.cut {
		return 0, errCut
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.cutAt >= 0 && w.rec.Bytes+int64(len(p)) >= w.cutAt {
		keep := w.cutAt - w.rec.Bytes
		n, _ := w.ResponseWriter.Write(p[:keep])
		w.rec.Bytes += int64(n)
		w.cutConnection()
		return n, errCut
	}
	n, err := w.ResponseWriter.Write(p)
	w.rec.Bytes += int64(n)
	return n, err
}

// Flush sends buffered data to the client.
func (w *recorder) Flush() {
	if w.cut {
		return
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// cutConnection flushes what was written and closes the underlying connection.
func (w *recorder) cutConnection() {
	w.cut = true
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	rc := http.NewResponseController(w.ResponseWriter)
	conn, _, err := rc.Hijack()
	if err != nil {
		// HTTP/2 or a test ResponseWriter: abort the response the only other way.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
