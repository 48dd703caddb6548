package sfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Get reads one record (GET sobjects/{object}/{id}). With fields, only those fields are
// returned (?fields=a,b); without, all of them. The record is Salesforce's JSON; decode it
// with encoding/json.
func (c *Client) Get(ctx context.Context, object, id string, fields ...string) (json.RawMessage, error) {
	if err := checkNames(object, id); err != nil {
		return nil, err
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return nil, err
	}
	r := &request{method: http.MethodGet, path: apiPath(v, "sobjects", url.PathEscape(object), url.PathEscape(id))}
	if len(fields) > 0 {
		r.query = url.Values{"fields": {strings.Join(fields, ",")}}
	}
	var rec json.RawMessage
	if _, err := c.do(ctx, r, func(resp *http.Response) error { return decodeJSON(resp, &rec) }); err != nil {
		return nil, err
	}
	return rec, nil
}

// CreateResult is Salesforce's answer to a create.
type CreateResult struct {
	ID      string        `json:"id"`
	Success bool          `json:"success"`
	Errors  []ErrorDetail `json:"errors"`
}

// Create inserts a record (POST sobjects/{object}/) and returns its ID. fields is marshalled
// with encoding/json: a map, a struct with json tags, or a json.RawMessage. A create is never
// resent once it may have reached the server.
func (c *Client) Create(ctx context.Context, object string, fields any) (string, error) {
	if err := checkNames(object); err != nil {
		return "", err
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return "", fmt.Errorf("sfclient: create %s: encode fields: %w", object, err)
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return "", err
	}
	r := &request{method: http.MethodPost, path: apiPath(v, "sobjects", url.PathEscape(object)) + "/", body: body}
	var res CreateResult
	if _, err := c.do(ctx, r, func(resp *http.Response) error { return decodeJSON(resp, &res) }); err != nil {
		return "", err
	}
	if !res.Success || res.ID == "" {
		return "", &APIError{StatusCode: http.StatusOK, Method: r.method, Path: r.path, Errors: res.Errors}
	}
	return res.ID, nil
}

// Update changes the given fields of a record (PATCH sobjects/{object}/{id}). fields is
// marshalled with encoding/json. An update is never resent once it may have reached the server.
func (c *Client) Update(ctx context.Context, object, id string, fields any) error {
	if err := checkNames(object, id); err != nil {
		return err
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("sfclient: update %s: encode fields: %w", object, err)
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodPatch, path: apiPath(v, "sobjects", url.PathEscape(object), url.PathEscape(id)), body: body}
	_, err = c.do(ctx, r, discardBody)
	return err
}

// Delete deletes a record (DELETE sobjects/{object}/{id}). A retried delete whose first try
// succeeded ends with an error matching ErrNotFound or the code ENTITY_IS_DELETED.
func (c *Client) Delete(ctx context.Context, object, id string) error {
	if err := checkNames(object, id); err != nil {
		return err
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, path: apiPath(v, "sobjects", url.PathEscape(object), url.PathEscape(id))}
	_, err = c.do(ctx, r, discardBody)
	return err
}

func discardBody(resp *http.Response) error {
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody)); err != nil {
		return &retryableError{err}
	}
	return nil
}

// checkNames refuses empty names and names that would change the request path.
func checkNames(names ...string) error {
	for _, n := range names {
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/?#\\ \t\r\n") {
			return fmt.Errorf("%w: %q is not a valid object name or record ID", ErrInvalidArgument, n)
		}
	}
	return nil
}
