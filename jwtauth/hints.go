package jwtauth

import (
	"fmt"
	"net/http"
	"strings"
)

// hintContext is what the hints may mention: nothing secret.
type hintContext struct {
	tokenURL          string
	audience          string
	username          string
	clientCredentials bool
}

// oauthHint maps an OAuth error and description to what fixes it, naming the setup-guide
// step, or returns "" for an error it does not know. Salesforce's descriptions are the only
// diagnostics it gives.
func oauthHint(code, desc string, hc hintContext) string {
	d := strings.ToLower(desc)
	c := strings.ToLower(code)
	switch {
	case strings.Contains(d, "hasn't approved") || strings.Contains(d, "has not approved"):
		return fmt.Sprintf("the user %q is not pre-authorized for this app: in the app's Policies (guide Step 12) set Permitted Users to "+
			"\"Admin approved users are pre-authorized\" and add the user's profile or a permission set under App Policies; "+
			"also check the token host and the audience: orgs with My Domain login (and GovCloud) want the request posted to the "+
			"My Domain URL with the audience left at https://login.salesforce.com (https://test.salesforce.com for a sandbox) "+
			"(posted to %s with audience %s); check too that the username is exact and belongs to this org (sandbox usernames "+
			"end in .sandboxname); a brand-new sandbox may need a few minutes", hc.username, hc.tokenURL, hc.audience)
	case strings.Contains(d, "invalid assertion"):
		return "Salesforce could not verify the assertion's signature: the private key does not match the certificate uploaded " +
			"to the app in Step 9 (upload the server.crt made from this key), or the login went to another org than the app's"
	case c == "app_not_found" || strings.Contains(d, "app not found"):
		return fmt.Sprintf("Salesforce found no app for this login with audience %s: since Spring '26 some External Client Apps "+
			"want the org's My Domain URL as the audience: set the audience (--audience) to the My Domain URL", hc.audience)
	case strings.Contains(d, "audience"):
		return fmt.Sprintf("the audience %s is not accepted by this org: use https://login.salesforce.com for production and "+
			"Developer Edition orgs, https://test.salesforce.com for sandboxes, or the Experience Cloud site URL for site users "+
			"(the older guide's \"JWT Authentication Audience URL\")", hc.audience)
	case strings.Contains(d, "expired authorization code"):
		return "Salesforce saw the assertion as already expired: clock skew, this computer's clock is probably behind or wrong " +
			"(the exp claim is UTC now + up to 3 minutes); sync the clock with NTP"
	case c == "invalid_client_id" || strings.Contains(d, "client identifier invalid"):
		return "the Client ID (Consumer Key) is not known to this org: copy it again from the External Client App Manager " +
			"(guide \"How to Find Client ID (Consumer Key)\"), from the app of this same org; new apps take up to 10 minutes to propagate"
	case strings.Contains(d, "not installed"):
		return "the External Client App is not installed in this org (an app made in production is not in a refreshed sandbox): " +
			"create or install it in this org (guide Steps 3-12), or log in to the org that has it"
	case c == "invalid_app_access" || strings.Contains(d, "not admin approved"):
		return "the user is not approved for this app: add the user's profile or a permission set under App Policies (guide " +
			"Step 12); if the org restricts API access (API Access Control), approve the app there too"
	case c == "inactive_user" || strings.Contains(d, "inactive user") || strings.Contains(d, "frozen"):
		return fmt.Sprintf("the user %q is inactive or frozen: reactivate or unfreeze it in Setup → Users, or use another integration user", hc.username)
	case c == "inactive_org" || strings.Contains(d, "inactive org"):
		return "the org is inactive (expired trial or locked): log in to an active org"
	case strings.Contains(d, "rate exceeded") || c == "rate_limit_exceeded":
		return "too many logins for this user (Salesforce allows 3,600 per hour): cache and reuse tokens instead of logging in " +
			"for each request (keep one TokenSource per process) and wait up to an hour"
	case strings.Contains(d, "ip restricted") || strings.Contains(d, "ip address"):
		return "this computer's IP address is outside the user's or app's Login IP Ranges: add it, or relax IP restrictions in the app's policies"
	case strings.Contains(d, "no client credentials user"):
		return "the client credentials flow is not enabled or has no run-as user: enable it and set the username (guide Steps 8 and 14)"
	case strings.Contains(d, "not supported on this domain"):
		return "this flow works only on the org's My Domain URL (https://yourdomain.my.salesforce.com), not login.salesforce.com or test.salesforce.com"
	case c == "invalid_client" || strings.Contains(d, "invalid client credentials"):
		return "the consumer key or consumer secret is wrong: copy both again from the app's OAuth Settings (guide \"How to Find Client ID (Consumer Key)\")"
	case c == "unsupported_grant_type":
		return fmt.Sprintf("%s did not accept the grant type: the URL must be https and a Salesforce login or My Domain host, and the app must have the flow enabled (guide Step 8)", hc.tokenURL)
	case strings.Contains(d, "authentication failure"):
		return "Salesforce refused the login: check the username, that the user is active, and the app's policies (guide Step 12)"
	}
	return ""
}

// genericHint is the hint of an OAuth error oauthHint does not know.
func genericHint(status int, hc hintContext) string {
	switch {
	case status >= 500:
		return serverErrorHint
	case hc.clientCredentials:
		return "see the app's client credentials settings (guide Steps 8 and 14)"
	}
	return "compare the app settings with guide Steps 5-12 (JWT bearer flow enabled, certificate uploaded, user pre-authorized)"
}

const serverErrorHint = "the server had an error (Salesforce maintenance or a proxy in between); it was retried, try again later"

// nonJSONHint explains an answer that is not an OAuth JSON body.
func nonJSONHint(resp *http.Response, hc hintContext) string {
	switch {
	case resp.StatusCode >= 500:
		return serverErrorHint
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fmt.Sprintf("%s redirects elsewhere: use the final address (the org's current My Domain URL) as the login or instance URL", hc.tokenURL)
	}
	return fmt.Sprintf("%s is not a Salesforce token endpoint: the login or instance URL should look like https://yourdomain.my.salesforce.com "+
		"(Setup → My Domain), https://login.salesforce.com or https://test.salesforce.com", hc.tokenURL)
}
