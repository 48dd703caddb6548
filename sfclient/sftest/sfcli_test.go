package sftest_test

// Interop with the official Salesforce CLI (@salesforce/cli, pinned in .ci/sf-cli): the real
// `sf` binary, which nobody on this team wrote, logs in to the emulator with the JWT bearer
// flow and runs its data, limits and display commands unchanged. Install it with
// `bash .ci/sf-cli/install.sh` (about 30 s); the test finds it through SFJWT_SF_CLI or at
// .ci/sf-cli/node_modules/.bin/sf, skips when it is absent and fails instead when
// SFJWT_REQUIRE_SF_CLI=1. Each sf command costs 1.5–3 s of Node start-up, so the tests are
// skipped under -short. See .ci/sf-cli/README.md. jsforce is in sfcli_jsforce_test.go, the CLI
// against a real `sfjwt serve` process in sfcli_serve_test.go.

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// sfCommandTimeout bounds one sf invocation; a healthy one takes 1–3 s.
const sfCommandTimeout = 90 * time.Second

// sfCLI runs the official Salesforce CLI against one emulated org, in a throwaway HOME.
type sfCLI struct {
	bin string
	env []string
}

// sfEnvelope is the JSON document every `sf … --json` prints on stdout.
type sfEnvelope struct {
	Status   int             `json:"status"`
	Result   json.RawMessage `json:"result"`
	Warnings []string        `json:"warnings"`
	Name     string          `json:"name"`
	Message  string          `json:"message"`
}

// findSFCLI returns the sf binary, or skips (fails with SFJWT_REQUIRE_SF_CLI=1) when it or
// Node.js is missing.
func findSFCLI(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("SFJWT_SF_CLI")
	if bin == "" {
		bin = filepath.Join("..", "..", ".ci", "sf-cli", "node_modules", ".bin", "sf")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatalf("sf CLI path %q: %v", bin, err)
	}
	if _, err := os.Stat(abs); err != nil {
		interopUnavailable(t, "Salesforce CLI not found at %s", abs)
	}
	if _, err := exec.LookPath("node"); err != nil {
		interopUnavailable(t, "node not found on PATH: the Salesforce CLI needs Node.js")
	}
	return abs
}

// interopUnavailable skips the test, or fails it when SFJWT_REQUIRE_SF_CLI=1 (CI, after
// .ci/sf-cli/install.sh), so a broken install can never pass as a skip there.
func interopUnavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("SFJWT_REQUIRE_SF_CLI") == "1" {
		t.Fatalf("SFJWT_REQUIRE_SF_CLI=1 but "+format, args...)
	}
	t.Skipf(format+" (install with: bash .ci/sf-cli/install.sh)", args...)
}

// newSFCLI prepares an sf environment that trusts the server certificate serverCert (DER).
//
// The environment is built from scratch, not inherited, so a developer's own SF_*/SFDX_*
// settings (SF_TARGET_ORG, SF_AUDIENCE_URL, proxies, …) cannot change what the CLI does:
//   - HOME and XDG_*: a throwaway home, so auth files never touch the developer's ~/.sfdx
//     and no other authed org exists to be scanned or refreshed.
//   - NODE_EXTRA_CA_CERTS: the emulator's certificate, so TLS stays fully verified
//     (never NODE_TLS_REJECT_UNAUTHORIZED=0).
//   - SF_DISABLE_TELEMETRY: no telemetry upload attempts.
//   - SF_AUTOUPDATE_DISABLE and SF_DISABLE_AUTOUPDATE: both, because on a fresh HOME oclif's
//     update hook reads only the second and otherwise spawns `sf update --autoupdate`.
//   - SF_SKIP_NEW_VERSION_CHECK: otherwise a detached Node process asks the npm registry for
//     the newest CLI version.
//   - SF_SKIP_SCRATCH_ORG_CHECK: login skips querying other authed Dev Hubs for this org
//     (none exist in the throwaway HOME; this makes it explicit).
//   - SF_DISABLE_DNS_CHECK is deliberately NOT set: the instance URL is 127.0.0.1, which
//     Node's dns.lookup answers at once, so the CLI's real DNS check runs and passes.
//   - NO_COLOR, SF_USE_PROGRESS_BAR=false: plain text for the CSV output.
//
// PATH gets the CLI's own .bin folder first, so the CLI finds `sf` if it re-invokes itself.
func newSFCLI(t *testing.T, bin string, serverCert []byte) *sfCLI {
	t.Helper()
	home := t.TempDir()
	caFile := filepath.Join(home, "sftest-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: serverCert})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatalf("write server certificate: %v", err)
	}
	env := []string{
		"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"TMPDIR=" + os.TempDir(),
		"LANG=C.UTF-8",
		"NODE_EXTRA_CA_CERTS=" + caFile,
		"SF_DISABLE_TELEMETRY=true",
		"SF_AUTOUPDATE_DISABLE=true",
		"SF_DISABLE_AUTOUPDATE=true",
		"SF_SKIP_NEW_VERSION_CHECK=true",
		"SF_SKIP_SCRATCH_ORG_CHECK=true",
		"SF_USE_PROGRESS_BAR=false",
		"NO_COLOR=1",
	}
	return &sfCLI{bin: bin, env: env}
}

// runRaw runs sf with args and returns stdout; a non-zero exit is reported by the caller.
func (c *sfCLI) runRaw(t *testing.T, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), sfCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = c.env
	cmd.WaitDelay = 5 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err = cmd.Run()
	t.Logf("sf %s: %v", args[0]+" "+args[1], time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatalf("sf %s: no answer within %v; stderr:\n%s", strings.Join(args, " "), sfCommandTimeout, errOut.Bytes())
	}
	return out.Bytes(), errOut.Bytes(), err
}

// runJSON runs `sf args… --json`, fails the test unless it exits 0 with status 0, and decodes
// the result into result.
func (c *sfCLI) runJSON(t *testing.T, result any, args ...string) sfEnvelope {
	t.Helper()
	stdout, stderr, err := c.runRaw(t, append(args, "--json")...)
	var env sfEnvelope
	if jerr := json.Unmarshal(stdout, &env); jerr != nil {
		t.Fatalf("sf %s: stdout is not JSON (%v), exit %v\nstdout:\n%.2000s\nstderr:\n%.2000s",
			strings.Join(args, " "), jerr, err, stdout, stderr)
	}
	if err != nil || env.Status != 0 {
		t.Fatalf("sf %s: exit %v, status %d, %s: %s\nstderr:\n%.2000s",
			strings.Join(args, " "), err, env.Status, env.Name, env.Message, stderr)
	}
	if result != nil {
		if err := json.Unmarshal(env.Result, result); err != nil {
			t.Fatalf("sf %s: decode result: %v\n%.2000s", strings.Join(args, " "), err, env.Result)
		}
	}
	return env
}

// writeInteropKey writes the package's test key (helpers_test.go, generated once) as the
// unencrypted PKCS#8 PEM the CLI's --jwt-key-file reads, and returns its path. The key's
// certificate, testCert(), is what the tests register with the emulated app.
func writeInteropKey(t *testing.T) string {
	t.Helper()
	p8, err := x509.MarshalPKCS8PrivateKey(testKey())
	if err != nil {
		t.Fatalf("marshal key: %v", err)
	}
	path := filepath.Join(t.TempDir(), "server.key")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600); err != nil {
		t.Fatalf("write key: %v", err)
	}
	return path
}

// exitCode returns the process exit code in err, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// sfInteropAccounts is how many Accounts the query test reads: more than the default batch
// of 2,000, so the CLI must follow nextRecordsUrl.
const sfInteropAccounts = 2001

// sfInteropOrg returns the org the CLI logs in to.
func sfInteropOrg() sftest.Org {
	return sftest.Org{Name: "Interop Org", InstanceName: "EMU7", OrganizationType: "Developer Edition"}
}

// sfLoginResult is the part of `sf org login jwt --json` the test checks.
type sfLoginResult struct {
	OrgID              string `json:"orgId"`
	LoginURL           string `json:"loginUrl"`
	InstanceURL        string `json:"instanceUrl"`
	Username           string `json:"username"`
	ClientID           string `json:"clientId"`
	IsDevHub           bool   `json:"isDevHub"`
	InstanceAPIVersion string `json:"instanceApiVersion"`
	Name               string `json:"name"`
	InstanceName       string `json:"instanceName"`
	IsSandbox          bool   `json:"isSandbox"`
	OrgEdition         string `json:"orgEdition"`
}

// TestSFCLI logs in with `sf org login jwt` and runs `data query`, `org list limits` and
// `org display` against the emulator, then revokes the session and checks the CLI's silent
// re-login.
//
// A refused login is deliberately not tested: after a refusal the CLI retries its audience
// ladder against the real login.salesforce.com and test.salesforce.com, which a test must
// never contact.
func TestSFCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: each sf command takes 1.5–3 s of Node start-up")
	}
	bin := findSFCLI(t)
	srv := sftest.NewServer(t, sftest.Config{Org: sfInteropOrg(), NoSampleData: true})
	srv.AddCertificate(testCert())
	ids, err := srv.AddAccounts(sfInteropAccounts)
	if err != nil {
		t.Fatalf("AddAccounts: %v", err)
	}
	keyFile := writeInteropKey(t)
	sf := newSFCLI(t, bin, srv.Certificate().Raw)
	steps := []struct {
		name string
		run  func(*testing.T, *sfCLI, *sftest.Server)
	}{
		{"org login jwt", func(t *testing.T, sf *sfCLI, srv *sftest.Server) { sfLogin(t, sf, srv, keyFile) }},
		{"data query json", func(t *testing.T, sf *sfCLI, srv *sftest.Server) { sfQueryJSON(t, sf, srv, ids) }},
		{"data query csv", sfQueryCSV},
		{"org list limits", sfLimits},
		{"org display", sfDisplay},
		{"relogin after revoke", sfRelogin},
	}
	for _, st := range steps {
		if !t.Run(st.name, func(t *testing.T) { st.run(t, sf, srv) }) {
			t.Fatalf("step %q failed; later steps need it", st.name)
		}
	}
	checkSFCLIErrors(t, srv.Requests())
}

// checkSFCLIErrors fails on any error answer the CLI got besides the two expected ones: the
// Dev Hub probe (ScratchOrgInfo is INVALID_TYPE in a non-Dev-Hub org) and the one 401 after
// the revoke. The CLI swallows others (org details at login, connectedStatus), so a
// degraded answer would otherwise pass unseen.
func checkSFCLIErrors(t *testing.T, reqs []sftest.RequestRecord) {
	t.Helper()
	unauthorized := 0
	for _, r := range reqs {
		switch {
		case r.Status < 400:
		case r.Status == 400 && strings.Contains(r.Query, "ScratchOrgInfo"):
		case r.Status == 401:
			unauthorized++
		default:
			t.Errorf("unexpected answer to the CLI: %s %s?%s → %d", r.Method, r.Path, r.Query, r.Status)
		}
	}
	if unauthorized != 1 {
		t.Errorf("401 answers = %d, want 1 (after the revoke)", unauthorized)
	}
}

// sfLogin: `sf org login jwt` succeeds on the first (instance URL, instance URL) pair and
// reports the org sftest serves.
func sfLogin(t *testing.T, sf *sfCLI, srv *sftest.Server, keyFile string) {
	var got sfLoginResult
	sf.runJSON(t, &got, "org", "login", "jwt", "--username", sftest.DefaultUsername,
		"--jwt-key-file", keyFile, "--client-id", sftest.DefaultClientID,
		"--instance-url", srv.URL, "--alias", "emu")
	org := sfInteropOrg()
	want := sfLoginResult{
		OrgID: srv.OrgID(), LoginURL: srv.URL + "/", InstanceURL: srv.URL,
		Username: sftest.DefaultUsername, ClientID: sftest.DefaultClientID, IsDevHub: false,
		InstanceAPIVersion: sftest.DefaultAPIVersion, Name: org.Name,
		InstanceName: org.InstanceName, IsSandbox: false, OrgEdition: org.OrganizationType,
	}
	if got != want {
		t.Errorf("login result:\ngot  %+v\nwant %+v", got, want)
	}
	if n := srv.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 (the CLI's first audience pair must succeed)", n)
	}
}

// sfQueryJSON: `sf data query --json` returns every seeded Account, across two pages.
func sfQueryJSON(t *testing.T, sf *sfCLI, srv *sftest.Server, ids []string) {
	var got struct {
		TotalSize int  `json:"totalSize"`
		Done      bool `json:"done"`
		Records   []struct {
			Attributes struct {
				Type string `json:"type"`
			} `json:"attributes"`
			ID   string `json:"Id"`
			Name string `json:"Name"`
		} `json:"records"`
	}
	sf.runJSON(t, &got, "data", "query", "--query", "SELECT Id, Name FROM Account ORDER BY Name", "-o", "emu")
	if got.TotalSize != len(ids) || len(got.Records) != len(ids) || !got.Done {
		t.Fatalf("query: totalSize %d, %d records, done %v; want %d, %d, true",
			got.TotalSize, len(got.Records), got.Done, len(ids), len(ids))
	}
	want := sftest.AccountRecords(len(ids))
	for i, rec := range got.Records {
		if rec.ID != ids[i] || rec.Name != want[i]["Name"] || rec.Attributes.Type != "Account" {
			t.Fatalf("record %d = {%s %q %s}, want {%s %q Account}",
				i, rec.ID, rec.Name, rec.Attributes.Type, ids[i], want[i]["Name"])
		}
	}
	pages := 0
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/query/") {
			pages++
		}
	}
	if pages != 1 {
		t.Errorf("nextRecordsUrl requests = %d, want 1 (2,001 rows in batches of 2,000)", pages)
	}
}

// sfQueryCSV: the CSV output's header comes from the `columns=true` column metadata (a
// parent relationship comes back as joinColumns, which the CLI flattens to Owner.Name), so
// this checks sftest's answer to that request.
func sfQueryCSV(t *testing.T, sf *sfCLI, srv *sftest.Server) {
	stdout, stderr, err := sf.runRaw(t, "data", "query", "--query",
		"SELECT Name, Id, Owner.Name FROM Account ORDER BY Name LIMIT 2", "--result-format", "csv", "-o", "emu")
	if err != nil {
		t.Fatalf("sf data query csv: exit %d\nstdout:\n%s\nstderr:\n%s", exitCode(err), stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
	want := sftest.AccountRecords(2)
	if len(lines) != 3 || lines[0] != "Name,Id,Owner.Name" ||
		!strings.HasPrefix(lines[1], want[0]["Name"].(string)+",") ||
		!strings.HasPrefix(lines[2], want[1]["Name"].(string)+",") {
		t.Errorf("csv output:\n%s\nwant header Name,Id,Owner.Name then %q and %q rows", stdout, want[0]["Name"], want[1]["Name"])
	}
}

// sfLimits: `sf org list limits` reads /limits.
func sfLimits(t *testing.T, sf *sfCLI, srv *sftest.Server) {
	var got []struct {
		Name      string `json:"name"`
		Max       int    `json:"max"`
		Remaining int    `json:"remaining"`
	}
	sf.runJSON(t, &got, "org", "list", "limits", "-o", "emu")
	for _, l := range got {
		if l.Name == "DailyApiRequests" {
			if l.Max != sftest.DefaultDailyAPILimit || l.Remaining <= 0 || l.Remaining > l.Max {
				t.Errorf("DailyApiRequests = max %d remaining %d, want max %d, 0 < remaining <= max",
					l.Max, l.Remaining, sftest.DefaultDailyAPILimit)
			}
			return
		}
	}
	t.Errorf("limits %+v: no DailyApiRequests", got)
}

// sfDisplay: `sf org display` shows the org as connected.
func sfDisplay(t *testing.T, sf *sfCLI, srv *sftest.Server) {
	var got struct {
		ID              string `json:"id"`
		APIVersion      string `json:"apiVersion"`
		InstanceURL     string `json:"instanceUrl"`
		Username        string `json:"username"`
		ClientID        string `json:"clientId"`
		ConnectedStatus string `json:"connectedStatus"`
		Alias           string `json:"alias"`
	}
	env := sf.runJSON(t, &got, "org", "display", "-o", "emu")
	if got.ID != srv.OrgID() || got.APIVersion != sftest.DefaultAPIVersion || got.InstanceURL != srv.URL ||
		got.Username != sftest.DefaultUsername || got.ClientID != sftest.DefaultClientID ||
		got.ConnectedStatus != "Connected" || got.Alias != "emu" {
		t.Errorf("org display = %+v (warnings %q)\nwant id %s, apiVersion %s, instanceUrl %s, connectedStatus Connected, alias emu",
			got, env.Warnings, srv.OrgID(), sftest.DefaultAPIVersion, srv.URL)
	}
}

// sfRelogin: after every session is revoked, the CLI's next call gets 401 INVALID_SESSION_ID,
// logs in again with the JWT (one token request) and replays the call.
func sfRelogin(t *testing.T, sf *sfCLI, srv *sftest.Server) {
	before := srv.TokenRequests()
	srv.RevokeAllTokens()
	var got []json.RawMessage
	sf.runJSON(t, &got, "org", "list", "limits", "-o", "emu")
	if len(got) == 0 {
		t.Errorf("limits after re-login: empty result")
	}
	if n := srv.TokenRequests() - before; n != 1 {
		t.Errorf("token requests after revoke = %d, want 1", n)
	}
}
