package sftest

import (
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strings"
)

// decodeRequestBody replaces a gzip- or deflate-encoded request body by its decoded form, as
// Salesforce accepts compressed request bodies.
func decodeRequestBody(r *http.Request) error {
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	var (
		rc  io.ReadCloser
		err error
	)
	switch enc {
	case "gzip", "x-gzip":
		rc, err = gzip.NewReader(r.Body)
	case "deflate":
		rc, err = zlib.NewReader(r.Body)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	r.Body = rc
	r.Header.Del("Content-Encoding")
	r.ContentLength = -1
	return nil
}

// acceptsGzip reports whether the Accept-Encoding header allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// gzipWriter compresses a response when the client asked for gzip. It decides at WriteHeader:
// bodiless statuses stay uncompressed.
type gzipWriter struct {
	http.ResponseWriter
	want    bool
	pretty  bool // the request asked for X-PrettyPrint: 1
	decided bool
	gz      *gzip.Writer
}

// maybeGzip wraps w so the response is gzip-compressed if r accepts it.
func maybeGzip(w http.ResponseWriter, r *http.Request) *gzipWriter {
	return &gzipWriter{ResponseWriter: w, want: acceptsGzip(r) && r.Method != http.MethodHead,
		pretty: r.Header.Get("X-PrettyPrint") == "1"}
}

// prettyPrint reports whether JSON bodies should be indented (X-PrettyPrint: 1).
func (g *gzipWriter) prettyPrint() bool { return g.pretty }

func (g *gzipWriter) WriteHeader(status int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		if g.want && status != http.StatusNoContent && status != http.StatusNotModified && h.Get("Content-Encoding") == "" {
			h.Set("Content-Encoding", "gzip")
			h.Add("Vary", "Accept-Encoding")
			h.Del("Content-Length")
			g.gz, _ = gzip.NewWriterLevel(g.ResponseWriter, gzip.BestSpeed)
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(p)
	}
	return g.ResponseWriter.Write(p)
}

// Flush pushes compressed data to the client (used while streaming log files).
func (g *gzipWriter) Flush() {
	if g.gz != nil {
		_ = g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// close ends the gzip stream.
func (g *gzipWriter) close() {
	if g.gz != nil {
		_ = g.gz.Close()
	}
}
