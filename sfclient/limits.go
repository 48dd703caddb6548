package sfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Version is one REST API version the org offers.
type Version struct {
	Label   string `json:"label"`   // e.g. "Spring '26"
	URL     string `json:"url"`     // e.g. "/services/data/v66.0"
	Version string `json:"version"` // e.g. "66.0"
}

// Versions lists the API versions the org offers (GET /services/data), oldest first as
// Salesforce sends them.
func (c *Client) Versions(ctx context.Context) ([]Version, error) {
	var vs []Version
	r := &request{method: http.MethodGet, path: "/services/data"}
	if _, err := c.do(ctx, r, func(resp *http.Response) error { return decodeJSON(resp, &vs) }); err != nil {
		return nil, err
	}
	return vs, nil
}

// APIVersion returns the API version the client uses ("62.0"): the configured one, else the
// newest the org offers, discovered once and cached. Concurrent first callers share one
// discovery; a failed discovery is not cached.
func (c *Client) APIVersion(ctx context.Context) (string, error) {
	if c.fixedVer != "" {
		return c.fixedVer, nil
	}
	if v := c.cachedVersion(); v != "" {
		return v, nil
	}
	select {
	case c.discover <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("sfclient: discover API version: %w", context.Cause(ctx))
	}
	defer func() { <-c.discover }()
	if v := c.cachedVersion(); v != "" {
		return v, nil
	}
	vs, err := c.Versions(ctx)
	if err != nil {
		return "", err
	}
	best := ""
	for _, v := range vs {
		if n, err := normalizeVersion(v.Version); err == nil && versionLess(best, n) {
			best = n
		}
	}
	if best == "" {
		return "", fmt.Errorf("sfclient: discover API version: %w: no version listed", ErrBadResponse)
	}
	c.mu.Lock()
	c.version = best
	c.mu.Unlock()
	return best, nil
}

func (c *Client) cachedVersion() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// versionLess compares normalized versions numerically; "" is less than any version.
func versionLess(a, b string) bool {
	if a == "" {
		return b != ""
	}
	am, an, _ := strings.Cut(a, ".")
	bm, bn, _ := strings.Cut(b, ".")
	x, _ := strconv.Atoi(am)
	y, _ := strconv.Atoi(bm)
	if x != y {
		return x < y
	}
	x, _ = strconv.Atoi(an)
	y, _ = strconv.Atoi(bn)
	return x < y
}

// Limit is one entry of the org's limits: the allocation and what is left of it.
type Limit struct {
	Max       int64
	Remaining int64
}

// Used is Max − Remaining.
func (l Limit) Used() int64 { return l.Max - l.Remaining }

// UnmarshalJSON accepts numbers and numeric strings (older API versions send strings) and
// ignores nested per-application entries.
func (l *Limit) UnmarshalJSON(b []byte) error {
	var raw struct {
		Max       json.Number `json:"Max"`
		Remaining json.Number `json:"Remaining"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	if l.Max, err = parseLimitNumber(raw.Max); err != nil {
		return fmt.Errorf("sfclient: limit max: %w", err)
	}
	if l.Remaining, err = parseLimitNumber(raw.Remaining); err != nil {
		return fmt.Errorf("sfclient: limit remaining: %w", err)
	}
	return nil
}

func parseLimitNumber(n json.Number) (int64, error) {
	if n == "" {
		return 0, nil
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	return int64(f), err
}

// Limits maps a limit name ("DailyApiRequests", "DailyBulkApiBatches", …) to its values.
type Limits map[string]Limit

// DailyAPIRequests returns the DailyApiRequests entry and whether the org reported it.
func (l Limits) DailyAPIRequests() (Limit, bool) {
	v, ok := l["DailyApiRequests"]
	return v, ok
}

// Limits reads the org's limits (GET /services/data/vXX.X/limits).
func (c *Client) Limits(ctx context.Context) (Limits, error) {
	v, err := c.APIVersion(ctx)
	if err != nil {
		return nil, err
	}
	var l Limits
	r := &request{method: http.MethodGet, path: apiPath(v, "limits")}
	if _, err := c.do(ctx, r, func(resp *http.Response) error { return decodeJSON(resp, &l) }); err != nil {
		return nil, err
	}
	return l, nil
}
