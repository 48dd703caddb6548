package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/jwtauth"
)

const loginSynopsis = "sfjwt login --instance-url URL --client-id ID --username U --key FILE [--login-url URL] [--audience URL] [--api-version V] [--ca-file F] [--json] [--show-token]"

const loginDescription = `Log in with the JWT bearer flow exactly as the SIEM will, confirm the token with one
authenticated REST call, and print the org ID, user ID, instance URL, granted scopes, the API
version and how long it took. The access token is printed only with --show-token.

When Salesforce refuses the login, its error is printed with a hint naming the setup-guide
step that fixes it, and the exit status is 1.

` + connFlagsDescription

// maxRESTBody bounds the REST answers login reads.
const maxRESTBody = 1 << 20

// loginResult is what sfjwt login prints (--json field names).
type loginResult struct {
	Username      string   `json:"username"`
	OrgID         string   `json:"orgId"`
	UserID        string   `json:"userId"`
	InstanceURL   string   `json:"instanceUrl"`
	Scopes        []string `json:"scopes"`
	APIVersion    string   `json:"apiVersion"`
	NewestVersion string   `json:"newestApiVersion"`
	TokenURL      string   `json:"tokenUrl"`
	Audience      string   `json:"audience"`
	ElapsedMS     int64    `json:"elapsedMs"`
	AccessToken   string   `json:"accessToken,omitempty"`
}

func runLogin(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("login", loginSynopsis, loginDescription)
	cf := addConnFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	showToken := fs.Bool("show-token", false, "also print the access token (a secret: keep it out of logs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q (all values are given with flags)", fs.Arg(0))
	}
	c, err := cf.resolve(e, fs)
	if err != nil {
		return err
	}
	client, err := c.httpClient()
	if err != nil {
		return err
	}
	ts, err := c.tokenSource(e, client)
	if err != nil {
		return err
	}
	start := e.now()
	res, err := login(ctx, c, client, ts)
	if err != nil {
		return loginFailure(e, *asJSON, err)
	}
	res.ElapsedMS = e.now().Sub(start).Milliseconds()
	if !*showToken {
		res.AccessToken = ""
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printLogin(e, res)
	return nil
}

// login gets a token, finds the API version and makes one authenticated REST call with it.
func login(ctx context.Context, c *conn, client *http.Client, ts *jwtauth.TokenSource) (*loginResult, error) {
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		return nil, err
	}
	res := &loginResult{
		Username: c.Username, OrgID: jwtauth.OrgID(tok), UserID: jwtauth.UserID(tok),
		InstanceURL: strings.TrimRight(jwtauth.InstanceURL(tok), "/"), Scopes: jwtauth.Scopes(tok),
		TokenURL: ts.TokenURL(), Audience: ts.Audience(), AccessToken: tok.AccessToken,
	}
	if res.InstanceURL == "" {
		res.InstanceURL = strings.TrimRight(c.InstanceURL, "/")
	}
	if res.Scopes == nil {
		res.Scopes = []string{}
	}
	versions, err := apiVersions(ctx, client, res.InstanceURL)
	if err != nil {
		return nil, err
	}
	res.NewestVersion = versions[len(versions)-1]
	res.APIVersion = res.NewestVersion
	if c.APIVersion != "" {
		if !slices.Contains(versions, c.APIVersion) {
			return nil, fmt.Errorf("API version %s is not offered by %s (it offers %s to %s)", c.APIVersion, res.InstanceURL, versions[0], res.NewestVersion)
		}
		res.APIVersion = c.APIVersion
	}
	// The one authenticated call: the version's resource map.
	if err := restGet(ctx, client, res.InstanceURL+"/services/data/v"+res.APIVersion+"/", tok.AccessToken, nil); err != nil {
		return nil, fmt.Errorf("the login worked but the token was refused by the REST API: %w", err)
	}
	return res, nil
}

// apiVersions returns the versions GET /services/data offers, oldest first.
func apiVersions(ctx context.Context, client *http.Client, instance string) ([]string, error) {
	var list []struct {
		Version string `json:"version"`
	}
	if err := restGet(ctx, client, instance+"/services/data", "", &list); err != nil {
		return nil, fmt.Errorf("list API versions: %w", err)
	}
	var versions []string
	for _, v := range list {
		if _, err := strconv.ParseFloat(v.Version, 64); err == nil {
			versions = append(versions, v.Version)
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("list API versions: %s/services/data offers none", instance)
	}
	slices.SortFunc(versions, func(a, b string) int {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		return cmp.Compare(x, y)
	})
	return versions, nil
}

// restGet GETs url (with the bearer token when not empty) and decodes a 2xx JSON answer into
// out (when not nil). Error text names the status and Salesforce's error codes, never the token.
func restGet(ctx context.Context, client *http.Client, url, token string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "sfjwt/"+buildVersion())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRESTBody))
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("GET %s: HTTP %d%s", url, resp.StatusCode, restErrorCodes(body))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("GET %s: not the JSON Salesforce sends: %w", url, err)
	}
	return nil
}

// restErrorCodes formats Salesforce's [{"errorCode","message"}] error body, if it is one.
func restErrorCodes(body []byte) string {
	var list []struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	}
	if json.Unmarshal(body, &list) != nil || len(list) == 0 {
		return ""
	}
	var parts []string
	for _, e := range list {
		parts = append(parts, e.ErrorCode+": "+e.Message)
	}
	return " " + strings.Join(parts, "; ")
}

func printLogin(e *env, r *loginResult) {
	w := e.stdout
	fmt.Fprintf(w, "Logged in to Salesforce as %s\n", r.Username)
	fmt.Fprintf(w, "  org ID:        %s\n", r.OrgID)
	fmt.Fprintf(w, "  user ID:       %s\n", r.UserID)
	fmt.Fprintf(w, "  instance URL:  %s\n", r.InstanceURL)
	fmt.Fprintf(w, "  scopes:        %s\n", strings.Join(r.Scopes, " "))
	note := "newest offered"
	if r.APIVersion != r.NewestVersion {
		note = "newest offered: " + r.NewestVersion
	}
	fmt.Fprintf(w, "  API version:   %s (%s)\n", r.APIVersion, note)
	fmt.Fprintf(w, "  token URL:     %s\n", r.TokenURL)
	fmt.Fprintf(w, "  audience:      %s\n", r.Audience)
	fmt.Fprintf(w, "  took:          %v\n", time.Duration(r.ElapsedMS)*time.Millisecond)
	if r.AccessToken != "" {
		fmt.Fprintf(w, "  access token:  %s\n", r.AccessToken)
	}
}

// loginRefusal prints a TokenError over several lines, the hint last.
type loginRefusal struct{ te *jwtauth.TokenError }

func (r *loginRefusal) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "login refused: HTTP %d", r.te.Status)
	if r.te.Code != "" {
		fmt.Fprintf(&b, " %s", r.te.Code)
	}
	if r.te.Description != "" {
		fmt.Fprintf(&b, ": %s", r.te.Description)
	}
	fmt.Fprintf(&b, "\n  token URL: %s", r.te.TokenURL)
	if r.te.Audience != "" {
		fmt.Fprintf(&b, "\n  audience:  %s", r.te.Audience)
	}
	if r.te.Hint != "" {
		fmt.Fprintf(&b, "\n  hint:      %s", r.te.Hint)
	}
	return b.String()
}

func (r *loginRefusal) Unwrap() error { return r.te }

// loginFailure turns a failed login into the command's error; with --json it also prints
// {"error": …} on standard output.
func loginFailure(e *env, asJSON bool, err error) error {
	var te *jwtauth.TokenError
	if errors.As(err, &te) {
		err = &loginRefusal{te: te}
	}
	if asJSON {
		out := map[string]any{"error": err.Error()}
		if te != nil {
			out["status"], out["code"], out["description"], out["hint"] = te.Status, te.Code, te.Description, te.Hint
			out["tokenUrl"], out["audience"], out["retryable"] = te.TokenURL, te.Audience, te.Retryable
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	}
	return err
}
