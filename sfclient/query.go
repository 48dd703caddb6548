package sfclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// QueryOptions tunes a query. A nil *QueryOptions means Salesforce's defaults.
type QueryOptions struct {
	// BatchSize asks for pages of this many records (header Sforce-Query-Options:
	// batchSize=N). Salesforce accepts 200 to 2,000 and may send fewer. Zero means Salesforce's
	// default (2,000).
	BatchSize int
}

// queryPage is one answer of the query resource. Records stay raw until the caller decodes them.
type queryPage struct {
	TotalSize      int               `json:"totalSize"`
	Done           *bool             `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl"`
	Records        []json.RawMessage `json:"records"`
}

// Query runs a SOQL query and yields its records one by one, as Salesforce's JSON (with their
// "attributes"). It follows nextRecordsUrl lazily, one page at a time, so memory is bounded by
// one page however large the result; there is no cap on the number of records. The query is
// sent when the iteration starts, and again each time the iterator is ranged over.
//
// A failure ends the iteration with one (nil, err) pair; the records yielded before it are never
// yielded again. A page with done:false and no nextRecordsUrl ends with ErrIncompleteResult.
// Use Decode to get the records as a struct type.
func (c *Client) Query(ctx context.Context, soql string, opts *QueryOptions) iter.Seq2[json.RawMessage, error] {
	return c.query(ctx, "query", soql, opts)
}

// QueryAll is Query through the queryAll resource: the result also holds deleted (in the
// recycle bin or merged) and archived records.
func (c *Client) QueryAll(ctx context.Context, soql string, opts *QueryOptions) iter.Seq2[json.RawMessage, error] {
	return c.query(ctx, "queryAll", soql, opts)
}

// Count runs soql and returns Salesforce's totalSize for it, reading only the first page. It
// is the way to read "SELECT COUNT() FROM …", whose answer holds no records.
func (c *Client) Count(ctx context.Context, soql string) (int, error) {
	v, err := c.APIVersion(ctx)
	if err != nil {
		return 0, err
	}
	r := &request{method: http.MethodGet, path: apiPath(v, "query"), query: url.Values{"q": {soql}}}
	p, err := c.fetchPage(ctx, r, new(bytes.Buffer))
	if err != nil {
		return 0, err
	}
	return p.TotalSize, nil
}

func (c *Client) query(ctx context.Context, resource, soql string, opts *QueryOptions) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		v, err := c.APIVersion(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		var hdr http.Header
		if opts != nil && opts.BatchSize > 0 {
			hdr = http.Header{"Sforce-Query-Options": {"batchSize=" + strconv.Itoa(opts.BatchSize)}}
		}
		r := &request{method: http.MethodGet, path: apiPath(v, resource), query: url.Values{"q": {soql}}, header: hdr}
		var buf bytes.Buffer
		for r != nil {
			p, err := c.fetchPage(ctx, r, &buf)
			if err != nil {
				yield(nil, err)
				return
			}
			for i, rec := range p.Records {
				p.Records[i] = nil // let the consumer's copy be the only reference
				if !yield(rec, nil) {
					return
				}
			}
			if r, err = c.nextPage(p, r); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// fetchPage gets one page; a body cut mid-way is retried as a whole page.
func (c *Client) fetchPage(ctx context.Context, r *request, buf *bytes.Buffer) (*queryPage, error) {
	p := new(queryPage)
	_, err := c.do(ctx, r, func(resp *http.Response) error {
		buf.Reset()
		if _, err := buf.ReadFrom(resp.Body); err != nil {
			return &retryableError{err}
		}
		*p = queryPage{}
		if err := json.Unmarshal(buf.Bytes(), p); err != nil {
			return badBody(resp, buf.Bytes(), err)
		}
		return nil
	})
	if buf.Cap() > 64<<20 {
		*buf = bytes.Buffer{} // do not keep an unusually large page's buffer alive
	}
	return p, err
}

// nextPage returns the request for the page after p, or nil when p was the last.
func (c *Client) nextPage(p *queryPage, prev *request) (*request, error) {
	done := p.Done == nil || *p.Done
	if p.NextRecordsURL == "" {
		if !done {
			return nil, fmt.Errorf("sfclient: %s %s: %w", prev.method, prev.path, ErrIncompleteResult)
		}
		return nil, nil
	}
	if p.Done != nil && *p.Done {
		return nil, nil
	}
	path, q, err := c.serverPath(p.NextRecordsURL)
	if err != nil {
		return nil, fmt.Errorf("sfclient: nextRecordsUrl: %w", err)
	}
	return &request{method: http.MethodGet, path: path, query: q, header: prev.header}, nil
}

// serverPath checks a URL the server gave (nextRecordsUrl, LogFile) and returns its escaped
// path and query. It must be a /services/ path, relative or on the instance's own origin: the
// token is never sent anywhere else.
func (c *Client) serverPath(s string) (string, url.Values, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	if u.Host != "" || u.Scheme != "" {
		base := c.instance
		if base == nil {
			c.mu.Lock()
			base = c.tokInstance
			c.mu.Unlock()
		}
		if base == nil || !sameOrigin(u, base) {
			return "", nil, fmt.Errorf("%w: %s", ErrForeignURL, u.Host)
		}
	}
	if !strings.HasPrefix(u.Path, "/services/") || strings.Contains(u.Path, "/../") {
		return "", nil, fmt.Errorf("%w: path %q is not a REST path", ErrBadResponse, u.Path)
	}
	var q url.Values
	if u.RawQuery != "" {
		q = u.Query()
	}
	return u.EscapedPath(), q, nil
}

// sameOrigin compares scheme, host name and port (the scheme's default when absent).
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "http") {
			return "80"
		}
		return "443"
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// Decode turns a record sequence (from Query, QueryAll or an Incremental reader) into values
// of the caller's type T, decoded with encoding/json one record at a time. A decoding error
// ends the sequence.
func Decode[T any](seq iter.Seq2[json.RawMessage, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for raw, err := range seq {
			var v T
			if err == nil {
				if uerr := json.Unmarshal(raw, &v); uerr != nil {
					err = fmt.Errorf("sfclient: decode record: %w", uerr)
				}
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
