package sftest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// versionInfo is one entry of GET /services/data.
type versionInfo struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Version string `json:"version"`
}

// releaseLabel names the release of API version v: 20.0 was Winter '11, three a year since.
func releaseLabel(v int) string {
	k := v - 20
	if k < 0 {
		return "Pre-Winter '11"
	}
	season := []string{"Winter", "Spring", "Summer"}[k%3]
	return fmt.Sprintf("%s '%02d", season, 11+k/3)
}

// handleVersions serves GET /services/data (no authentication, not counted).
func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeAPIError(w, errMethod(r.Method, "GET,HEAD"))
		return
	}
	out := make([]versionInfo, 0, len(s.versions))
	for _, v := range s.versions {
		n, _ := versionNumber(v)
		out = append(out, versionInfo{Label: releaseLabel(n), URL: "/services/data/v" + v, Version: v})
	}
	writeJSON(w, http.StatusOK, out)
}

// restCall is an authenticated REST request, split into its parts.
type restCall struct {
	version string   // "66.0"
	parts   []string // path segments after the version
	trail   bool     // the path ended in "/"
	sess    *session
}

// handleREST serves /services/data/<version>/…: version, session, API limit, then resource.
func (s *Server) handleREST(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/services/data/")
	verText, tail, _ := strings.Cut(rest, "/")
	version, ok := s.resolveVersion(verText)
	if !ok {
		writeAPIError(w, errNotFound())
		return
	}
	c := &restCall{version: version, trail: strings.HasSuffix(tail, "/")}
	if t := strings.Trim(tail, "/"); t != "" {
		c.parts = strings.Split(t, "/")
	}
	if apiErr := s.authorize(w, r, c); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	var apiErr *apiError
	switch {
	case len(c.parts) == 0:
		apiErr = s.handleResources(w, r, c)
	case c.parts[0] == "query" || c.parts[0] == "queryAll":
		apiErr = s.handleQuery(w, r, c)
	case c.parts[0] == "sobjects":
		apiErr = s.handleSObjects(w, r, c)
	case c.parts[0] == "limits" && len(c.parts) == 1:
		apiErr = s.handleLimits(w, r, c)
	default:
		apiErr = errNotFound()
	}
	if apiErr != nil {
		writeAPIError(w, apiErr)
	}
}

// resolveVersion maps "v66.0" or "latest" to a served version.
func (s *Server) resolveVersion(text string) (string, bool) {
	if text == "latest" {
		return s.versions[len(s.versions)-1], true
	}
	if !strings.HasPrefix(text, "v") {
		return "", false
	}
	for _, v := range s.versions {
		if v == text[1:] {
			return v, true
		}
	}
	return "", false
}

// authorize checks the bearer token and the daily API allocation, counts the call and sets
// Sforce-Limit-Info.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, c *restCall) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.sess = s.sessionFor(bearer(r))
	if c.sess == nil {
		w.Header().Set("WWW-Authenticate", `Token`)
		return errInvalidSession()
	}
	now := s.now()
	if s.apiDay.IsZero() || now.Sub(s.apiDay) >= 24*time.Hour {
		s.apiDay, s.apiUsed = now, 0
	}
	limit := s.cfg.DailyAPILimit
	if s.apiUsed >= limit {
		w.Header().Set("Sforce-Limit-Info", "api-usage="+strconv.Itoa(s.apiUsed)+"/"+strconv.Itoa(limit))
		return newAPIError(http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
	}
	s.apiUsed++
	w.Header().Set("Sforce-Limit-Info", "api-usage="+strconv.Itoa(s.apiUsed)+"/"+strconv.Itoa(limit))
	return nil
}

// ExhaustDailyLimit uses up the daily API allocation: every following authenticated REST call
// gets 403 REQUEST_LIMIT_EXCEEDED until the 24-hour window rolls over.
func (s *Server) ExhaustDailyLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apiDay.IsZero() {
		s.apiDay = s.now()
	}
	s.apiUsed = s.cfg.DailyAPILimit
}

// APIUsage returns the API requests counted in the current 24-hour window and the allocation.
func (s *Server) APIUsage() (used, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apiUsed, s.cfg.DailyAPILimit
}

// handleResources serves GET /services/data/vXX.X/: the resources of the version.
func (s *Server) handleResources(w http.ResponseWriter, r *http.Request, c *restCall) *apiError {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethod(r.Method, "GET,HEAD")
	}
	base := "/services/data/v" + c.version + "/"
	out := map[string]string{}
	for _, name := range []string{"sobjects", "query", "queryAll", "limits", "search", "composite",
		"recent", "tooling", "metadata", "analytics", "connect", "chatter", "tabs", "theme",
		"actions", "process", "quickActions", "appMenu", "compactLayouts", "parameterizedSearch"} {
		out[name] = base + name
	}
	s.mu.Lock()
	out["identity"] = baseURL(r) + "/id/" + s.orgID + "/" + c.sess.userID
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
	return nil
}

// limitValue is one entry of /limits.
type limitValue struct {
	Max       int `json:"Max"`
	Remaining int `json:"Remaining"`
}

// handleLimits serves GET /services/data/vXX.X/limits.
func (s *Server) handleLimits(w http.ResponseWriter, r *http.Request, _ *restCall) *apiError {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethod(r.Method, "GET,HEAD")
	}
	s.mu.Lock()
	used, limit := s.apiUsed, s.cfg.DailyAPILimit
	s.mu.Unlock()
	full := func(m int) limitValue { return limitValue{Max: m, Remaining: m} }
	writeJSON(w, http.StatusOK, map[string]limitValue{
		"DailyApiRequests":                  {Max: limit, Remaining: max(limit-used, 0)},
		"ConcurrentAsyncGetReportInstances": full(200),
		"ConcurrentSyncReportRuns":          full(20),
		"DailyAsyncApexExecutions":          full(250000),
		"DailyBulkApiBatches":               full(15000),
		"DailyBulkV2QueryJobs":              full(10000),
		"DailyBulkV2QueryFileStorageMB":     full(976562),
		"DailyStreamingApiEvents":           full(1000000),
		"DataStorageMB":                     full(5120),
		"FileStorageMB":                     full(20480),
		"HourlyAsyncReportRuns":             full(1200),
		"HourlyODataCallout":                full(20000),
		"HourlySyncReportRuns":              full(500),
		"MassEmail":                         full(5000),
		"SingleEmail":                       full(5000),
		"StreamingApiConcurrentClients":     full(2000),
	})
	return nil
}
