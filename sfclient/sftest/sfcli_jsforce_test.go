package sftest_test

// jsforce interop: see sfcli_test.go for how the Node tools are found and installed.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestJSForce drives .ci/sf-cli/jsforce-interop.js: jsforce 3.12 (the build the CLI ships)
// logs in with a jsonwebtoken-signed assertion through conn.authorize, runs an autoFetch
// query across pages (jsforce rebuilds each locator URL on its own API version) and reads
// /limits, on jsforce's default API version and on the newest one.
func TestJSForce(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts Node.js")
	}
	bin := findSFCLI(t) // same install, same skip/require rule
	script, err := filepath.Abs(filepath.Join("..", "..", ".ci", "sf-cli", "jsforce-interop.js"))
	if err != nil {
		t.Fatalf("script path: %v", err)
	}
	jsforce := filepath.Join(filepath.Dir(script), "node_modules", "@jsforce", "jsforce-node", "package.json")
	if _, err := os.Stat(jsforce); err != nil {
		interopUnavailable(t, "jsforce not installed at %s", filepath.Dir(jsforce))
	}
	srv := sftest.NewServer(t, sftest.Config{NoSampleData: true})
	srv.AddCertificate(testCert())
	const n = 1234
	if _, err := srv.AddAccounts(n); err != nil {
		t.Fatalf("AddAccounts: %v", err)
	}
	keyFile := writeInteropKey(t)
	sf := newSFCLI(t, bin, srv.Certificate().Raw)
	userID, err := srv.UserID(sftest.DefaultUsername)
	if err != nil {
		t.Fatalf("UserID: %v", err)
	}
	tests := []struct {
		name, version, wantVersion string
		batch, wantPages           int
	}{
		{"default version 50.0, batch 200", "", "50.0", 200, 7},
		{"newest version, batch 2000", sftest.DefaultAPIVersion, sftest.DefaultAPIVersion, 2000, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runJSForce(t, sf, script, srv, keyFile, tc.version, tc.batch)
			want := jsforceResult{OrgID: srv.OrgID(), UserID: userID, InstanceURL: srv.URL, Version: tc.wantVersion,
				TotalSize: n, Done: true, Fetched: n, Pages: tc.wantPages}
			want.First.Name, want.Last.Name = "Account 0001", "Account 1234"
			want.DailyAPIRequests.Max = sftest.DefaultDailyAPILimit
			want.LimitInfo.APIUsage.Limit = sftest.DefaultDailyAPILimit
			want.CRUD = jsforceCRUD{IDPrefix: "001", IDLength: 18, Name: "jsforce interop", Updated: true,
				Industry: "Retail", Destroyed: true, AfterDelete: "ENTITY_IS_DELETED"}
			got.DailyAPIRequests.Remaining, got.LimitInfo.APIUsage.Used = 0, 0 // vary with the calls made
			if got != want {
				t.Errorf("jsforce:\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

// jsforceResult is what jsforce-interop.js prints.
type jsforceResult struct {
	OrgID       string `json:"orgId"`
	UserID      string `json:"userId"`
	InstanceURL string `json:"instanceUrl"`
	Version     string `json:"version"`
	TotalSize   int    `json:"totalSize"`
	Done        bool   `json:"done"`
	Fetched     int    `json:"fetched"`
	Pages       int    `json:"pages"`
	First, Last struct {
		Name string `json:"Name"`
	}
	DailyAPIRequests struct {
		Max       int `json:"Max"`
		Remaining int `json:"Remaining"`
	} `json:"dailyApiRequests"`
	LimitInfo struct {
		APIUsage struct {
			Used  int `json:"used"`
			Limit int `json:"limit"`
		} `json:"apiUsage"`
	} `json:"limitInfo"`
	CRUD jsforceCRUD `json:"crud"`
}

// jsforceCRUD is what the probe saw creating, reading, updating and deleting an Account.
type jsforceCRUD struct {
	IDPrefix    string `json:"idPrefix"`
	IDLength    int    `json:"idLength"`
	Name        string `json:"name"`
	Updated     bool   `json:"updated"`
	Industry    string `json:"industry"`
	Destroyed   bool   `json:"destroyed"`
	AfterDelete string `json:"afterDelete"`
}

// runJSForce runs the jsforce probe once and decodes its output.
func runJSForce(t *testing.T, sf *sfCLI, script string, srv *sftest.Server, keyFile, version string, batch int) jsforceResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), sfCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = append(sf.env[:len(sf.env):len(sf.env)],
		"SFTEST_URL="+srv.URL, "SFTEST_CLIENT_ID="+sftest.DefaultClientID,
		"SFTEST_USERNAME="+sftest.DefaultUsername, "SFTEST_KEY_FILE="+keyFile,
		"SFTEST_QUERY=SELECT Id, Name FROM Account ORDER BY Name",
		"SFTEST_BATCH_SIZE="+strconv.Itoa(batch), "SFTEST_API_VERSION="+version)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var got jsforceResult
	if err != nil || json.Unmarshal(out, &got) != nil {
		t.Fatalf("jsforce probe: exit %d\nstdout: %s\nstderr: %.2000s", exitCode(err), out, stderr.Bytes())
	}
	return got
}
