package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient"
	"golang.org/x/oauth2"
)

// maxClockSkew is the clock difference with the server that makes doctor warn.
const maxClockSkew = 60 * time.Second

// checkOrg asks the org for its API versions (no login needed) and compares clocks.
func (d *doctor) checkOrg(ctx context.Context, r *report) []string {
	base := strings.TrimRight(d.conn.InstanceURL, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/services/data", nil)
	if err != nil {
		r.fail("org reachable", err.Error(), stepMyDomain)
		return nil
	}
	req.Header.Set("Accept", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		r.fail("org reachable", "GET /services/data: "+err.Error(), stepMyDomain+"; check the network path and any proxy (HTTPS_PROXY)")
		return nil
	}
	defer resp.Body.Close()
	d.checkClock(r, resp.Header.Get("Date"))
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var versions []struct{ Version string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &versions) != nil || len(versions) == 0 {
		r.fail("org reachable", fmt.Sprintf("GET /services/data answered %s without the version list: this is probably not the org's instance URL", resp.Status), stepMyDomain)
		return nil
	}
	list := make([]string, len(versions))
	for i, v := range versions {
		list[i] = v.Version
	}
	newest := list[len(list)-1]
	r.pass("org reachable", fmt.Sprintf("%s answers; API versions %s to %s", base, list[0], newest))
	if v := d.conn.APIVersion; v != "" && apiVersionOK.MatchString(v) {
		if contains(list, v) {
			r.pass("API version offered", v+" is offered by the org")
		} else {
			r.fail("API version offered", fmt.Sprintf("the org does not offer %s (newest: %s)", v, newest), stepAPIVersion)
		}
	}
	if r.Fields.APIVersion == "" {
		r.Fields.APIVersion = newest
	}
	return list
}

func (d *doctor) checkClock(r *report, date string) {
	if date == "" {
		r.skip("clock", "the server sent no Date header")
		return
	}
	t, err := http.ParseTime(date)
	if err != nil {
		r.skip("clock", "the server's Date header is unreadable")
		return
	}
	skew := d.now().Sub(t)
	if skew < 0 {
		skew = -skew
	}
	if skew > maxClockSkew {
		r.warn("clock", fmt.Sprintf("this machine's clock differs from the server's by %s", skew.Round(time.Second)), stepClock)
		return
	}
	r.pass("clock", fmt.Sprintf("within %s of the server's", maxClockSkew))
}

// checkLogin performs the JWT bearer login and the authenticated calls.
func (d *doctor) checkLogin(ctx context.Context, r *report) {
	if !r.ok("key parses") || d.conn.ClientID == "" || d.conn.Username == "" {
		r.skip("JWT login", "needs a readable key, a Client ID and a username")
		return
	}
	ts, err := d.conn.tokenSource(d.env, d.client)
	if err != nil {
		r.fail("JWT login", err.Error(), stepCert)
		return
	}
	// The audience actually used (derived for sandboxes, sites and loopback when not given)
	// goes into the required fields and the Elastic Agent configuration.
	r.Fields.Audience = ts.Audience()
	start := time.Now()
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		var te *jwtauth.TokenError
		if errors.As(err, &te) {
			r.fail("JWT login", fmt.Sprintf("%s: %s (token URL %s, audience %s)", te.Code, te.Description, te.TokenURL, te.Audience), te.Hint)
		} else {
			r.fail("JWT login", err.Error(), "check the network path to the login URL")
		}
		return
	}
	r.pass("JWT login", fmt.Sprintf("token for user %s in org %s (audience %s, %s)", jwtauth.UserID(tok), jwtauth.OrgID(tok), ts.Audience(), time.Since(start).Round(time.Millisecond)))
	d.checkREST(ctx, r, ts, tok)
}

func (d *doctor) checkREST(ctx context.Context, r *report, ts oauth2.TokenSource, tok *oauth2.Token) {
	c, err := sfclient.New(sfclient.Config{
		TokenSource: ts, InstanceURL: d.conn.InstanceURL, APIVersion: r.Fields.APIVersion,
		HTTPClient: d.client, Retry: sfclient.RetryPolicy{MaxRetries: 1, MaxElapsed: 10 * time.Second},
	})
	if err != nil {
		r.fail("REST API", err.Error(), stepMyDomain)
		return
	}
	if inst := jwtauth.InstanceURL(tok); inst != "" && !sameOrigin(inst, d.conn.InstanceURL) {
		r.warn("instance URL", fmt.Sprintf("the token says the instance is %s, not %s", inst, d.conn.InstanceURL), stepMyDomain)
	}
	var user struct{ Username string }
	raw, err := c.Get(ctx, "User", jwtauth.UserID(tok), "Username")
	if err == nil {
		err = json.Unmarshal(raw, &user)
	}
	if err != nil {
		r.fail("REST API", "reading the user record with the token failed: "+err.Error(), "check that the user's profile has \"API Enabled\"")
		return
	}
	r.pass("REST API", "the token reads the REST API as "+user.Username)
	if limits, err := c.Limits(ctx); err != nil {
		r.warn("limits", "GET limits failed: "+err.Error(), `give the user "View Setup and Configuration"`)
	} else if l, ok := limits["DailyApiRequests"]; ok {
		r.pass("limits", fmt.Sprintf("DailyApiRequests: %d of %d left", l.Remaining, l.Max))
	} else {
		r.pass("limits", "readable")
	}
	d.checkEventLogs(ctx, r, c)
}

func (d *doctor) checkEventLogs(ctx context.Context, r *report, c *sfclient.Client) {
	n, latest := 0, ""
	for rec, err := range c.Query(ctx, "SELECT Id, EventType, LogDate FROM EventLogFile ORDER BY LogDate DESC LIMIT 1", nil) {
		if err != nil {
			r.warn("event log files", "the user cannot read EventLogFile: "+err.Error(), stepEventLogs)
			return
		}
		var f struct{ EventType, LogDate string }
		json.Unmarshal(rec, &f)
		n++
		latest = f.EventType + " " + f.LogDate
	}
	if n == 0 {
		r.pass("event log files", "readable (no files yet: they appear a day after events, or hours for hourly logs)")
		return
	}
	r.pass("event log files", "readable; newest: "+latest)
}

func sameOrigin(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
