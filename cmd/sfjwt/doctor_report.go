package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Check outcomes, in increasing order of gravity.
const (
	statusPass = "PASS"
	statusSkip = "SKIP"
	statusWarn = "WARN"
	statusFail = "FAIL"
)

// The setup-guide steps doctor points to. They use the guide's own headings and step
// numbers so a person can find them.
const (
	stepCert       = `guide "Creating a Private Key and Self-Signed Digital Certificate" steps 3-6 (or: sfjwt cert)`
	stepUpload     = `guide "Creating an External Client App" step 9: upload server.crt (the certificate made from this key)`
	stepFlows      = `guide "Creating an External Client App" step 8: Enable JWT Bearer Flow`
	stepPolicies   = `guide "Creating an External Client App" step 12: Permitted Users = Admin approved users are pre-authorized, and add the user's profile or a permission set in App Policies`
	stepSession    = `guide "Creating an External Client App" step 17: Session Timeout`
	stepClientID   = `guide "How to Find Client ID (Consumer Key)"`
	stepMyDomain   = `guide "Creating an External Client App" step 6: Setup → My Domain → Current My Domain URL`
	stepUsername   = `guide "Required fields": Username (Setup → Users)`
	stepAPIVersion = `guide "Required fields": API Version (Setup → Apex Classes)`
	stepKeyPath    = `guide "Required fields": the full path of server.pem, not in the root folder`
	stepEventLogs  = `give the user "View Event Log Files" and "API Enabled" (profile or permission set); Event Monitoring must be licensed`
	stepClock      = `synchronise the clock (NTP): Salesforce refuses assertions whose exp has passed`
)

// checkResult is one line of the report.
type checkResult struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// requiredFields is the guide's "Required fields for JWT Authentication Integration" block.
type requiredFields struct {
	KeyPath     string `json:"key_path"`
	Username    string `json:"username"`
	ClientID    string `json:"client_id"`
	InstanceURL string `json:"instance_url"`
	APIVersion  string `json:"api_version"`
	Audience    string `json:"audience,omitempty"`
}

// report is the whole doctor result; it is also the --json document.
type report struct {
	Checks  []checkResult  `json:"checks"`
	Summary summary        `json:"summary"`
	Fields  requiredFields `json:"required_fields"`
}

type summary struct {
	Passed   int  `json:"passed"`
	Warnings int  `json:"warnings"`
	Failed   int  `json:"failed"`
	Skipped  int  `json:"skipped"`
	OK       bool `json:"ok"`
}

func (r *report) add(name, status, detail, fix string) {
	r.Checks = append(r.Checks, checkResult{Name: name, Status: status, Detail: detail, Fix: fix})
}

func (r *report) pass(name, detail string)      { r.add(name, statusPass, detail, "") }
func (r *report) skip(name, detail string)      { r.add(name, statusSkip, detail, "") }
func (r *report) warn(name, detail, fix string) { r.add(name, statusWarn, detail, fix) }
func (r *report) fail(name, detail, fix string) { r.add(name, statusFail, detail, fix) }

// failed reports whether the named check failed or was skipped.
func (r *report) ok(name string) bool {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Status == statusPass || c.Status == statusWarn
		}
	}
	return false
}

func (r *report) summarize() {
	r.Summary = summary{}
	for _, c := range r.Checks {
		switch c.Status {
		case statusPass:
			r.Summary.Passed++
		case statusWarn:
			r.Summary.Warnings++
		case statusFail:
			r.Summary.Failed++
		case statusSkip:
			r.Summary.Skipped++
		}
	}
	r.Summary.OK = r.Summary.Failed == 0
}

func (r *report) writeText(w io.Writer) {
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(w, "%s  %-*s  %s\n", c.Status, width, c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(w, "      %*s  fix: %s\n", width, "", c.Fix)
		}
	}
	s := r.Summary
	fmt.Fprintf(w, "\n%d passed, %d %s, %d failed, %d skipped\n", s.Passed, s.Warnings, plural(s.Warnings, "warning", "warnings"), s.Failed, s.Skipped)
}

// writeFields prints the required-fields block in format text, json or yaml.
func (f requiredFields) write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	case "yaml":
		return f.writeYAML(w)
	}
	fmt.Fprintln(w, "Required fields for JWT Authentication Integration:")
	fmt.Fprintf(w, "  JWT Authentication Client Key Path: %s\n", orUnknown(f.KeyPath))
	fmt.Fprintf(w, "  Username:                           %s\n", orUnknown(f.Username))
	fmt.Fprintf(w, "  Client ID (Consumer Key):           %s\n", orUnknown(f.ClientID))
	fmt.Fprintf(w, "  Instance URL:                       %s\n", orUnknown(f.InstanceURL))
	fmt.Fprintf(w, "  API Version:                        %s\n", orUnknown(f.APIVersion))
	if f.Audience != "" {
		fmt.Fprintf(w, "  JWT Authentication Audience URL:    %s\n", f.Audience)
	}
	return nil
}

// writeYAML prints the fields as an Elastic Agent / Filebeat "salesforce" input.
func (f requiredFields) writeYAML(w io.Writer) error {
	version := strings.TrimSuffix(f.APIVersion, ".0")
	if _, err := strconv.Atoi(version); err != nil {
		version = yamlString(f.APIVersion)
	}
	aud := f.Audience
	if aud == "" {
		aud = "https://login.salesforce.com"
	}
	_, err := fmt.Fprintf(w, `# Elastic Agent / Filebeat "salesforce" input (generated by sfjwt doctor)
- type: salesforce
  enabled: true
  url: %s
  version: %s
  auth.oauth2.jwt_bearer_flow:
    enabled: true
    client.id: %s
    client.username: %s
    client.key_path: %s
    url: %s
`, yamlString(f.InstanceURL), version, yamlString(f.ClientID), yamlString(f.Username), yamlString(f.KeyPath), yamlString(aud))
	return err
}

// yamlString quotes s as a YAML double-quoted scalar (JSON strings are valid YAML).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func orUnknown(s string) string {
	if s == "" {
		return "(not given)"
	}
	return s
}
