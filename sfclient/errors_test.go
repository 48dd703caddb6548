package sfclient

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorFromAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		ctype, body string
		wantText    string
		wantIs      error
		wantCode    string
	}{
		{"array", 400, "application/json", `[{"message":"unexpected token: FORM","errorCode":"MALFORMED_QUERY"}]`,
			"sfclient: GET /services/data/v62.0/query: 400 MALFORMED_QUERY: unexpected token: FORM", ErrMalformedQuery, "MALFORMED_QUERY"},
		{"fields", 400, "application/json", `[{"message":"No such column","errorCode":"INVALID_FIELD","fields":["Foo__c"]}]`,
			"sfclient: GET /services/data/v62.0/query: 400 INVALID_FIELD: No such column (fields Foo__c)", nil, "INVALID_FIELD"},
		{"session", 401, "application/json", `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			"sfclient: GET /services/data/v62.0/query: 401 INVALID_SESSION_ID: Session expired or invalid", ErrSessionExpired, "INVALID_SESSION_ID"},
		{"limit", 403, "application/json", `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`,
			"sfclient: GET /services/data/v62.0/query: 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.", ErrRequestLimitExceeded, "REQUEST_LIMIT_EXCEEDED"},
		{"not found", 404, "application/json", `[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`,
			"sfclient: GET /services/data/v62.0/query: 404 NOT_FOUND: The requested resource does not exist", ErrNotFound, "NOT_FOUND"},
		{"object", 400, "application/json", `{"errorCode":"X","message":"y"}`,
			"sfclient: GET /services/data/v62.0/query: 400 X: y", nil, "X"},
		{"oauth", 401, "application/json", `{"error":"invalid_token","error_description":"bad"}`,
			"sfclient: GET /services/data/v62.0/query: 401 invalid_token: bad", ErrSessionExpired, "invalid_token"},
		{"html", 200, "text/html", "<!DOCTYPE html><html><body>Login</body></html>",
			"sfclient: GET /services/data/v62.0/query: 200: answer is HTML: the URL is probably not the org's instance URL", ErrNotInstanceURL, ""},
		{"html sniffed", 404, "text/plain", "  <html>nope</html>",
			"sfclient: GET /services/data/v62.0/query: 404: answer is HTML: the URL is probably not the org's instance URL", ErrNotInstanceURL, ""},
		{"text", 502, "text/plain", "Bad   gateway\nfrom proxy",
			`sfclient: GET /services/data/v62.0/query: 502: "Bad gateway from proxy"`, nil, ""},
		{"empty", 500, "", "", "sfclient: GET /services/data/v62.0/query: 500", nil, ""},
		{"empty array", 400, "application/json", "[]", "sfclient: GET /services/data/v62.0/query: 400", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{"Content-Type": {tt.ctype}},
				Body: nopCloser(strings.NewReader(tt.body))}
			e := readAPIError(resp, &request{method: "GET", path: "/services/data/v62.0/query"})
			if got := e.Error(); got != tt.wantText {
				t.Errorf("Error() = %q, want %q", got, tt.wantText)
			}
			if tt.wantIs != nil && !errors.Is(e, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false, want true", e, tt.wantIs)
			}
			if tt.wantCode != "" && !e.HasCode(tt.wantCode) {
				t.Errorf("HasCode(%q) = false, want true", tt.wantCode)
			}
		})
	}
}

func TestAPIErrorBodyReadThroughLimit(t *testing.T) {
	t.Parallel()
	r := &countingReader{r: strings.NewReader("[" + strings.Repeat(" ", 3<<20) + "]")}
	resp := &http.Response{StatusCode: 400, Header: http.Header{}, Body: nopCloser(r)}
	e := readAPIError(resp, &request{method: "GET", path: "/x"})
	if r.n > maxErrorBody {
		t.Errorf("read %d bytes of the error body, want at most %d", r.n, maxErrorBody)
	}
	if e.StatusCode != 400 || len(e.Errors) != 0 {
		t.Errorf("got status %d errors %v, want 400 and none", e.StatusCode, e.Errors)
	}
}

func TestAPIErrorIsNotConfused(t *testing.T) {
	t.Parallel()
	e := &APIError{StatusCode: 400, Errors: []ErrorDetail{{ErrorCode: "INVALID_FIELD"}}}
	for _, target := range []error{ErrNotFound, ErrSessionExpired, ErrRequestLimitExceeded, ErrMalformedQuery, ErrNotInstanceURL} {
		if errors.Is(e, target) {
			t.Errorf("errors.Is(INVALID_FIELD, %v) = true, want false", target)
		}
	}
	if !IsNotFound(&APIError{StatusCode: 404}) || !IsSessionExpired(&APIError{StatusCode: 401}) ||
		!IsRequestLimitExceeded(&APIError{StatusCode: 403, Errors: []ErrorDetail{{ErrorCode: "REQUEST_LIMIT_EXCEEDED"}}}) ||
		!IsMalformedQuery(&APIError{StatusCode: 400, Errors: []ErrorDetail{{ErrorCode: "MALFORMED_QUERY"}}}) {
		t.Errorf("helper functions do not match their errors")
	}
}
