package sfclient

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. An *APIError matches the first four with errors.Is when Salesforce's answer
// says so, so callers need not compare error codes themselves.
var (
	// ErrNotFound matches a 404 answer or a NOT_FOUND error code.
	ErrNotFound = errors.New("sfclient: not found")
	// ErrSessionExpired matches a 401 answer or an INVALID_SESSION_ID error code: the access
	// token was refused (after the one refresh the client makes on its own).
	ErrSessionExpired = errors.New("sfclient: session expired or invalid")
	// ErrRequestLimitExceeded matches REQUEST_LIMIT_EXCEEDED: the org's daily API allocation
	// (or the concurrent long-running request limit) is used up. It is never retried.
	ErrRequestLimitExceeded = errors.New("sfclient: request limit exceeded")
	// ErrMalformedQuery matches MALFORMED_QUERY: the SOQL text does not parse.
	ErrMalformedQuery = errors.New("sfclient: malformed query")
	// ErrNotInstanceURL matches an answer in HTML where JSON was expected: the URL is probably
	// not the org's instance URL (a login page, a proxy or a wrong host answered).
	ErrNotInstanceURL = errors.New("sfclient: answer is HTML: the URL is probably not the org's instance URL")

	// ErrIncompleteResult reports a query page that says done:false but gives no
	// nextRecordsUrl: the rest of the result cannot be read, so it is an error, never a silent end.
	ErrIncompleteResult = errors.New("sfclient: query result not done but no nextRecordsUrl")
	// ErrBadConfig reports an invalid Config given to New.
	ErrBadConfig = errors.New("sfclient: invalid config")
	// ErrNoInstanceURL reports that neither Config.InstanceURL nor the token's instance_url
	// names the org.
	ErrNoInstanceURL = errors.New("sfclient: no instance URL: set Config.InstanceURL or use a token carrying instance_url")
	// ErrToken reports that the TokenSource failed to give a token; the source's error is
	// wrapped too.
	ErrToken = errors.New("sfclient: get token")
	// ErrForeignURL reports a URL from the server (nextRecordsUrl, LogFile) that points to
	// another host; the client refuses to send the token there.
	ErrForeignURL = errors.New("sfclient: URL points outside the instance")
	// ErrInvalidArgument reports an argument the client refuses before sending anything, such
	// as an object name or record ID holding a slash.
	ErrInvalidArgument = errors.New("sfclient: invalid argument")
	// ErrBadResponse reports a 2xx answer whose body is not what the resource returns.
	ErrBadResponse = errors.New("sfclient: unexpected response body")
)

// ErrorDetail is one entry of the error list Salesforce returns with a non-2xx status:
// [{"errorCode": …, "message": …, "fields": […]}].
type ErrorDetail struct {
	ErrorCode string   `json:"errorCode"`
	Message   string   `json:"message"`
	Fields    []string `json:"fields,omitempty"`
}

// APIError is returned for every non-2xx answer, and for an HTML page answered with a 2xx
// status where JSON was expected. Use errors.As to get it, errors.Is with the
// sentinels above to classify it, or HasCode for any other Salesforce error code.
type APIError struct {
	// StatusCode is the HTTP status, e.g. 400.
	StatusCode int
	// Method is the HTTP method of the request.
	Method string
	// Path is the request path, without its query string (which may hold SOQL).
	Path string
	// Errors is Salesforce's error list; empty when the body held none.
	Errors []ErrorDetail
	// HTML is true when the body was an HTML page instead of JSON.
	HTML bool
	// RetryAfter is the Retry-After header of the answer, if any.
	RetryAfter string
	// Body is the start of a non-JSON, non-HTML body (at most 256 bytes), for diagnosis.
	Body string
}

// Error describes the failure: method, path, status and the first error code and message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sfclient: %s %s: %d", e.Method, e.Path, e.StatusCode)
	switch {
	case e.HTML:
		b.WriteString(": answer is HTML: the URL is probably not the org's instance URL")
	case len(e.Errors) > 0:
		for i, d := range e.Errors {
			if i == 3 {
				fmt.Fprintf(&b, "; and %d more", len(e.Errors)-i)
				break
			}
			sep := " "
			if i > 0 {
				sep = "; "
			}
			b.WriteString(sep)
			b.WriteString(d.ErrorCode)
			if d.Message != "" {
				b.WriteString(": ")
				b.WriteString(d.Message)
			}
			if len(d.Fields) > 0 {
				fmt.Fprintf(&b, " (fields %s)", strings.Join(d.Fields, ", "))
			}
		}
	case e.Body != "":
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

// HasCode reports whether Salesforce's error list holds code (e.g. "INVALID_FIELD").
func (e *APIError) HasCode(code string) bool {
	for _, d := range e.Errors {
		if d.ErrorCode == code {
			return true
		}
	}
	return false
}

// Is lets errors.Is match an *APIError against ErrNotFound, ErrSessionExpired,
// ErrRequestLimitExceeded, ErrMalformedQuery and ErrNotInstanceURL.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404 || e.HasCode("NOT_FOUND")
	case ErrSessionExpired:
		return e.StatusCode == 401 || e.HasCode("INVALID_SESSION_ID")
	case ErrRequestLimitExceeded:
		return e.HasCode("REQUEST_LIMIT_EXCEEDED")
	case ErrMalformedQuery:
		return e.HasCode("MALFORMED_QUERY")
	case ErrNotInstanceURL:
		return e.HTML
	}
	return false
}

// redact replaces secret (the access token of the request) wherever the server echoed it.
func (e *APIError) redact(secret string) {
	if len(secret) < 8 {
		return
	}
	const mask = "[REDACTED]"
	e.Body = strings.ReplaceAll(e.Body, secret, mask)
	for i := range e.Errors {
		e.Errors[i].Message = strings.ReplaceAll(e.Errors[i].Message, secret, mask)
		e.Errors[i].ErrorCode = strings.ReplaceAll(e.Errors[i].ErrorCode, secret, mask)
	}
}

// IsNotFound reports whether err is (or wraps) a not-found answer.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsSessionExpired reports whether err is (or wraps) a refused access token.
func IsSessionExpired(err error) bool { return errors.Is(err, ErrSessionExpired) }

// IsRequestLimitExceeded reports whether err is (or wraps) REQUEST_LIMIT_EXCEEDED.
func IsRequestLimitExceeded(err error) bool { return errors.Is(err, ErrRequestLimitExceeded) }

// IsMalformedQuery reports whether err is (or wraps) MALFORMED_QUERY.
func IsMalformedQuery(err error) bool { return errors.Is(err, ErrMalformedQuery) }
