// Package sftest is an in-process Salesforce org for tests, in the spirit of
// net/http/httptest: an HTTPS server that answers the OAuth 2.0 token endpoint and the REST
// API the way Salesforce does — same status codes, same error bodies — so that clients
// written for Salesforce can be tested without a real org.
//
// # Getting started
//
//	srv := sftest.NewServer(t)      // HTTPS on 127.0.0.1, closed when the test ends
//	srv.AddCertificate(cert)        // the certificate of the key your client signs with
//	// log in at srv.URL with iss=sftest.DefaultClientID, sub=sftest.DefaultUsername,
//	// aud=srv.URL (or https://login.salesforce.com), then call srv.URL+"/services/data/…"
//	// with srv.Client(), which trusts the server's certificate.
//
// A zero Config is a production org with one active user (DefaultUsername), one installed
// External Client App (DefaultClientID / DefaultClientSecret) with the JWT bearer and client
// credentials flows on, admin-approved for the user's profile, a 15-minute session timeout,
// a daily allocation of 100,000 API requests, and a few sample rows. Config describes
// everything else: sandbox or production, users (inactive, frozen, profiles, permission
// sets), apps (certificates, flows, Permitted Users policy, scopes, session timeout,
// installed or not), API versions, limits, seeded records and event log files, and the clock.
//
// # What it emulates
//
// OAuth (POST /services/oauth2/token): the JWT bearer flow checks, like Salesforce, that the
// assertion is RS256-signed by a certificate of the app named by iss, that aud is the org's
// login host (https://login.salesforce.com, or https://test.salesforce.com for a sandbox),
// the server's own URL (with or without a trailing slash) or an extra audience, that exp is
// not past (a JSON number or numeric string, in seconds or in milliseconds as the sf CLI
// sends it; one minute of skew), and that the user is active and approved for the app. Every
// refusal is HTTP 400 with Salesforce's {"error","error_description"} body, for example
// invalid_grant / "user hasn't approved this consumer". Success bodies carry access_token,
// scope, instance_url, id and token_type, and no expires_in or refresh_token. The client
// credentials flow (form or HTTP Basic) runs as the app's run-as user. Logins are limited to
// 3,600 per user per hour. Access tokens expire after the app's session timeout without use;
// each use extends them. /services/oauth2/revoke, /services/oauth2/userinfo,
// /services/oauth2/introspect and the identity URL /id/<org>/<user> are served too.
//
// REST (/services/data): the version list (no authentication), the resource map per version
// and "latest"; query and queryAll with the SOQL subset of internal/soql plus parent
// relationship fields in the SELECT list, pagination through
// root-relative nextRecordsUrl locators (2,000 rows per page, Sforce-Query-Options
// batchSize 200–2,000) and the sf CLI's &columns=true; sObject describe global, describe,
// get, create, update and delete; /limits; EventLogFile rows and their LogFile bodies,
// streamed CSV that can be generated on the fly. Every authenticated response carries
// Sforce-Limit-Info; a missing, revoked or expired token gives 401 INVALID_SESSION_ID; a used
// up daily allocation 403 REQUEST_LIMIT_EXCEEDED. Responses are gzip-compressed when the
// client asks (never br), and gzip request bodies are accepted. JSON is written the way
// Salesforce writes it: fields in SELECT order after "attributes", double and currency values
// in Java's notation (5199.0, 1.39E8), date-times as 2026-01-31T10:00:00.000+0000, and no
// HTML escaping. Record IDs are 18 characters with the right key prefix (00D, 005, 001, 003,
// 0AT, 0Ya, 0Ym, …) and case-safe checksum.
//
// Other objects: AddRecords with an unknown sObject name defines it on the fly (key prefix
// a00, a01, …; field types inferred from the values), and DefineObject adds one with its own
// key prefix and field types, such as an event object a connector reads.
//
// # Faults
//
// FailNext, CutAfter, SetLatency, RevokeAllTokens and ExhaustDailyLimit make the next
// requests fail the ways real networks and orgs fail; UpdateUser and UpdateApp change the org
// under a running client (a user frozen, a certificate rotated, a flow turned off); Requests
// and TokenRequests record what the client did. Neither the request log nor Config.Log ever
// holds an assertion, a secret or an access token.
//
// # What it does not do
//
// It holds one org; it has no login hosts of its own, so the client credentials flow's
// "request not supported on this domain" (posting to login.salesforce.com) and HTTP-only
// failures cannot happen; there is no web-server, refresh-token or username-password flow,
// no Bulk, SOAP, Tooling, composite or streaming API, no sharing model (every user sees
// every row); parent relationship fields (Owner.Name, Account.Owner.Email) work in the
// SELECT list only, not in WHERE or ORDER BY, and child subqueries are refused. The error
// code that goes with "External client app is not installed in this org" is not documented;
// invalid_grant is assumed.
//
// All Server methods are safe for concurrent use.
package sftest
