package sfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SObjectInfo is one object of the global describe.
type SObjectInfo struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	KeyPrefix    string `json:"keyPrefix"`
	Custom       bool   `json:"custom"`
	Queryable    bool   `json:"queryable"`
	Createable   bool   `json:"createable"`
	Updateable   bool   `json:"updateable"`
	Deletable    bool   `json:"deletable"`
	Retrieveable bool   `json:"retrieveable"`
}

// GlobalDescribe is the answer of GET sobjects/: the objects the user can see.
type GlobalDescribe struct {
	Encoding     string        `json:"encoding"`
	MaxBatchSize int           `json:"maxBatchSize"`
	SObjects     []SObjectInfo `json:"sobjects"`
}

// Field is one field of an object's describe.
type Field struct {
	Name         string   `json:"name"`
	Label        string   `json:"label"`
	Type         string   `json:"type"` // "id", "string", "datetime", "reference", …
	Length       int      `json:"length"`
	Nillable     bool     `json:"nillable"`
	Createable   bool     `json:"createable"`
	Updateable   bool     `json:"updateable"`
	Filterable   bool     `json:"filterable"`
	Sortable     bool     `json:"sortable"`
	ReferenceTo  []string `json:"referenceTo"`
	Relationship string   `json:"relationshipName"`
}

// SObjectDescribe is the answer of GET sobjects/{object}/describe: the object's metadata and
// fields. Raw holds the whole answer for what the typed fields do not cover.
type SObjectDescribe struct {
	SObjectInfo
	Fields []Field         `json:"fields"`
	Raw    json.RawMessage `json:"-"`
}

// Field returns the field named name (case-insensitive, as SOQL is) and whether it exists.
func (d *SObjectDescribe) Field(name string) (Field, bool) {
	for _, f := range d.Fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Field{}, false
}

// DescribeGlobal lists the objects the user can see (GET sobjects/).
func (c *Client) DescribeGlobal(ctx context.Context) (*GlobalDescribe, error) {
	v, err := c.APIVersion(ctx)
	if err != nil {
		return nil, err
	}
	var g GlobalDescribe
	r := &request{method: http.MethodGet, path: apiPath(v, "sobjects") + "/"}
	if _, err := c.do(ctx, r, func(resp *http.Response) error { return decodeJSON(resp, &g) }); err != nil {
		return nil, err
	}
	return &g, nil
}

// Describe reads an object's metadata and fields (GET sobjects/{object}/describe).
func (c *Client) Describe(ctx context.Context, object string) (*SObjectDescribe, error) {
	if err := checkNames(object); err != nil {
		return nil, err
	}
	v, err := c.APIVersion(ctx)
	if err != nil {
		return nil, err
	}
	var d SObjectDescribe
	r := &request{method: http.MethodGet, path: apiPath(v, "sobjects", url.PathEscape(object), "describe")}
	if _, err := c.do(ctx, r, func(resp *http.Response) error {
		if err := decodeJSON(resp, &d.Raw); err != nil {
			return err
		}
		if err := json.Unmarshal(d.Raw, &d); err != nil {
			return badBody(resp, d.Raw, err)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return &d, nil
}

// Do sends a request to any REST path and returns the 2xx response with its body open; the
// caller must close it. path is either absolute ("/services/data/v62.0/…", "/services/apexrest/…")
// or relative to the versioned base ("sobjects/Account/describe"), and may carry a query string.
// body, when not nil, is sent as application/json. Retries and the token refresh follow the
// same rules as every other call (by method); any non-2xx answer is an *APIError.
func (c *Client) Do(ctx context.Context, method, path string, body []byte) (*http.Response, error) {
	u, err := url.Parse(path)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return nil, fmt.Errorf("%w: path %q must be a path on the instance", ErrInvalidArgument, path)
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		v, err := c.APIVersion(ctx)
		if err != nil {
			return nil, err
		}
		p = apiPath(v, p)
	}
	r := &request{method: strings.ToUpper(method), path: p, body: body}
	if u.RawQuery != "" {
		r.query = u.Query()
	}
	return c.do(ctx, r, nil)
}
