// Package e2e holds the project's end-to-end hardening tests (issue 8): jwtauth, sfclient and
// the sfjwt command run together against the sftest emulator while it fails the ways real
// networks and orgs fail, and the catalogue of malformed server answers.
//
// The package has no code of its own, only tests:
//
//   - faults_test.go and faults_session_test.go: a 503 storm longer than the retry budget (on
//     the REST API and on the token endpoint), 429 with Retry-After, a connection cut mid-page
//     and mid-EventLogFile, tokens revoked between pages and mid-download, a session timing out
//     during a long run, the daily limit exhausted, a slow server against a context deadline
//     and the token endpoint down while the cached token is still valid. Each checks that no
//     record is lost or duplicated, that no goroutine is left behind and that nothing is
//     written half. faults_org_test.go changes the org under a running client (user
//     deactivated, certificate replaced) and revokes the tokens of sixteen concurrent readers
//     (one login, no record lost). faults_incremental_test.go resumes an incremental reader
//     from its persisted cursor across a 500, a cut page and a revocation, with timestamp ties
//     split by page boundaries: every record exactly once.
//   - cli_faults_test.go and cli_interrupt_test.go: the same kind of faults, and Ctrl-C, against
//     the sfjwt binary (built once per run by main_test.go), checking that no partial file is
//     left in its output folder.
//   - answers_test.go: every malformed answer a token endpoint or REST API can give
//     (HTML, non-JSON, truncated, wrong content type, bad nextRecordsUrl, …) and the exact
//     error a caller sees, with a check that a failed call leaves nothing behind (no cached
//     token, no record yielded twice, no byte written before a body starts); sfjwt login, query
//     and doctor meet the same answers without a panic, a stack trace or a file left.
//   - cli_limits_test.go: password files without a line end must not exhaust memory.
//   - redirect_test.go: a REST answer redirecting to another origin must not take the access
//     token with it.
//
// Run them with go test ./internal/e2e/. They listen on 127.0.0.1 only.
package e2e
