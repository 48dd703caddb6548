package jwtauth

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultAudience returns the assertion audience Salesforce expects for a token host
// (a login, My Domain, Experience Cloud or loopback URL):
//
//   - https://test.salesforce.com for sandboxes: test.salesforce.com itself,
//     *.sandbox.my.salesforce.com, *.scratch.my.salesforce.com, a My Domain with "--" in its
//     name (acme--uat.my.salesforce.com) and legacy csNN.salesforce.com instances;
//   - the site URL itself (with its path, e.g. https://acme.my.site.com/customers) for
//     Experience Cloud sites on *.site.com and *.force.com;
//   - the URL itself for a loopback host (a local emulator such as sfjwt serve);
//   - https://login.salesforce.com for everything else (production and Developer Edition
//     My Domains, login.salesforce.com).
//
// Some orgs want something else (GovCloud, or External Client Apps that since Spring '26
// want the My Domain URL); set Config.Audience for those. The URL must be absolute; errors
// wrap ErrConfig or ErrInsecureURL.
func DefaultAudience(loginURL string) (string, error) {
	u, err := parseBaseURL("login URL", loginURL)
	if err != nil {
		return "", err
	}
	return deriveAudience(u), nil
}

func deriveAudience(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	first, _, _ := strings.Cut(host, ".")
	switch {
	case isLoopback(host), isSiteHost(host):
		return u.String()
	case host == "test.salesforce.com",
		strings.HasSuffix(host, ".sandbox.my.salesforce.com"),
		strings.HasSuffix(host, ".scratch.my.salesforce.com"),
		strings.Contains(first, "--") && strings.HasSuffix(host, ".salesforce.com"),
		isLegacySandboxInstance(first, host):
		return SandboxLoginURL
	default:
		return DefaultLoginURL
	}
}

// isSiteHost reports an Experience Cloud (community) site host.
func isSiteHost(host string) bool {
	return strings.HasSuffix(host, ".site.com") ||
		(strings.HasSuffix(host, ".force.com") && !strings.HasSuffix(host, ".lightning.force.com"))
}

// isLegacySandboxInstance reports csNN.salesforce.com, the old sandbox instance hosts.
func isLegacySandboxInstance(first, host string) bool {
	if host != first+".salesforce.com" || len(first) < 3 || !strings.HasPrefix(first, "cs") {
		return false
	}
	for _, r := range first[2:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseBaseURL parses a login, instance or audience URL: absolute, https (http only toward
// loopback), no user info, query or fragment. A trailing slash and a trailing TokenPath are
// removed, so "https://h/", "https://h" and "https://h/services/oauth2/token" are the same.
func parseBaseURL(what, raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a URL", ErrConfig, what, raw)
	}
	switch {
	case u.Scheme == "" || u.Host == "":
		return nil, fmt.Errorf("%w: %s %q must be absolute, like https://acme.my.salesforce.com", ErrConfig, what, raw)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%w: %s %q must not carry user info, a query or a fragment", ErrConfig, what, u.Redacted())
	}
	host := strings.ToLower(u.Hostname())
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(host) {
			return nil, fmt.Errorf("%w: %s %q", ErrInsecureURL, what, raw)
		}
	default:
		return nil, fmt.Errorf("%w: %s %q has scheme %q", ErrInsecureURL, what, raw, u.Scheme)
	}
	if strings.HasSuffix(host, ".lightning.force.com") {
		return nil, fmt.Errorf("%w: %s %q is the Lightning UI address; use the My Domain URL (Setup → My Domain), like https://%s.my.salesforce.com",
			ErrConfig, what, raw, strings.TrimSuffix(host, ".lightning.force.com"))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(strings.TrimSuffix(strings.TrimRight(u.Path, "/"), TokenPath), "/")
	u.RawPath = ""
	return u, nil
}
