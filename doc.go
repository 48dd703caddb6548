// Package sfjwt is the root of the sfjwt module: a Go SDK and one command-line tool that
// replace the command-line steps of the Salesforce JWT bearer setup guide (OpenSSL, keytool and
// a support e-mail), check the result, and do the part the guide leaves to the SIEM: log in to
// the org and read its data. This package holds only documentation; the code lives in the
// packages below.
//
// # The flow, and which package does each step
//
//	guide step                                         package / command
//	-------------------------------------------------  ------------------------------------------
//	Install OpenSSL (steps 1-2)                        not needed: pure Go
//	openssl genpkey -aes-256-cbc → server.pass.key     certgen.EncodeEncryptedPKCS8PEM
//	openssl rsa → server.key                           certgen.EncodePKCS8PEM
//	openssl req -new → server.csr                      certgen.CSR
//	openssl x509 -req -signkey → server.crt            certgen.SelfSigned (X.509 v3, not v1)
//	cp server.key server.pem                           certgen.WriteBundle writes all five files
//	                                                   → "sfjwt cert"
//	External Client App steps 1-19 (Salesforce UI)     stay in the UI; the emulator models them:
//	                                                   sfclient/sftest.App
//	openssl pkcs12 -export → keystore.p12              keystore (PKCS#12 export)
//	keytool -importkeystore → servercert.jks           keystore (JKS export, no Java needed)
//	keytool -changealias -alias 1                      keystore alias rules and rename
//	                                                   → "sfjwt keystore"
//	"Provide these required fields to CyTech Support"  "sfjwt doctor" checks them and prints them
//	the SIEM's JWT bearer login                        jwtauth → "sfjwt login"
//	the SIEM reading the org (event logs, queries)     sfclient → "sfjwt query", "sfjwt logs"
//
// # Key → certificate → keystore → token → REST call
//
//  1. certgen makes an RSA key and a self-signed certificate and writes the guide's files
//     (keys 0600, atomically, never over existing files unless asked).
//  2. The certificate is uploaded to the External Client App (guide step 9); in tests and in
//     "sfjwt serve" it is registered with the emulated app in sfclient/sftest.
//  3. keystore builds the PKCS#12 and JKS files with a Salesforce-valid alias, for
//     Salesforce-to-Salesforce set-ups that import a keystore.
//  4. jwtauth signs a short RS256 assertion (iss = Client ID, sub = username, aud = login, test or
//     site URL), posts it to /services/oauth2/token and returns a cached, concurrency-safe
//     oauth2.TokenSource whose errors name the guide step that fixes them.
//  5. sfclient takes any oauth2.TokenSource and reads the org: versions, limits, SOQL queries
//     streamed page by page, sObjects, and EventLogFile downloads streamed to disk, with bounded
//     retries and one token refresh on 401.
//
// sfclient/sftest is an in-process Salesforce org (like net/http/httptest) that behaves like
// Salesforce, so all of the above runs offline; "sfjwt demo" runs the whole flow against it.
package sfjwt
