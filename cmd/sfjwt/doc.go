// Command sfjwt replaces the command-line steps of the Salesforce JWT setup guide: it makes the
// key and certificate bundle, builds PKCS#12 and JKS keystores with a valid alias, logs in with
// the JWT bearer flow, reads the org's data and checks the whole set-up.
//
// Usage:
//
//	sfjwt <command> [flags]
//
// The commands, in the order a user meets them:
//
//	cert      the guide's five files: server.pass.key, server.key, server.csr, server.crt, server.pem
//	keystore  export, convert, rename and list JKS and PKCS#12 keystores
//	serve     an emulated Salesforce org over HTTPS on loopback, for trying clients
//	login     the JWT bearer login plus one REST call, with a hint naming the guide step on refusal
//	query     a SOQL query streamed as NDJSON, JSON or CSV
//	logs      list and download EventLogFile CSVs
//	doctor    every check of the set-up, PASS/WARN/FAIL, and the guide's required fields
//	demo      the whole guide offline against an emulated org
//	version   the version
//	help      help for sfjwt or one command
//
// Passwords are never taken as flag values: they come from a file's first line, an environment
// variable (SFJWT_KEY_PASSWORD, SFJWT_STORE_PASSWORD) or a no-echo prompt. Connection settings
// come from flags or the SFJWT_INSTANCE_URL, SFJWT_CLIENT_ID, SFJWT_USERNAME, SFJWT_KEY_FILE,
// SFJWT_LOGIN_URL, SFJWT_AUDIENCE, SFJWT_API_VERSION and SFJWT_CA_FILE environment variables.
//
// Exit status: 0 on success, 1 when the command failed (the message says what to do), 2 when it
// was called wrongly (the usage is printed). No Go panic or stack trace ever reaches the user.
package main
