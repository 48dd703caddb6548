package sftest

import (
	"net/http"
	"strconv"
)

// restError is one element of a Salesforce REST error body.
type restError struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields,omitempty"`
}

// apiError is a REST failure: an HTTP status and Salesforce's error array.
type apiError struct {
	status int
	errs   []restError
}

func (e *apiError) Error() string {
	if len(e.errs) == 0 {
		return "sftest: HTTP " + strconv.Itoa(e.status)
	}
	return "sftest: " + e.errs[0].ErrorCode + ": " + e.errs[0].Message
}

func newAPIError(status int, code, msg string, fields ...string) *apiError {
	return &apiError{status: status, errs: []restError{{Message: msg, ErrorCode: code, Fields: fields}}}
}

// Common REST errors with Salesforce's wording.
var (
	msgNotFound       = "The requested resource does not exist"
	msgSessionInvalid = "Session expired or invalid"
)

func errNotFound() *apiError { return newAPIError(http.StatusNotFound, "NOT_FOUND", msgNotFound) }

func errInvalidSession() *apiError {
	return newAPIError(http.StatusUnauthorized, "INVALID_SESSION_ID", msgSessionInvalid)
}

func errMethod(method string, allowed string) *apiError {
	return newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
		"HTTP Method '"+method+"' not allowed. Allowed are "+allowed)
}

// writeJSON writes v as the JSON body with Salesforce's REST content type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := appendJSON(nil, v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`[{"message":"sftest: cannot encode response","errorCode":"UNKNOWN_EXCEPTION"}]`)
	}
	if p, ok := w.(interface{ prettyPrint() bool }); ok && p.prettyPrint() {
		body = prettyJSON(body)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeAPIError writes e as a Salesforce REST error array.
func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, e.errs)
}

// oauthError is the body of a failed OAuth request.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// writeOAuth writes an OAuth endpoint response with the headers Salesforce sends on them.
func writeOAuth(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	h.Set("Pragma", "no-cache")
	writeJSON(w, status, v)
}

// writeOAuthError writes a 400 OAuth error.
func writeOAuthError(w http.ResponseWriter, code, desc string) {
	writeOAuth(w, http.StatusBadRequest, oauthError{Error: code, Description: desc})
}
