package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// This file is the bad-input catalogue of the sfjwt command (issue 8, item 2): one table per
// layer — files, flags, environment variables — listing every bad input the command handles,
// the exact text the user sees, and a check that nothing was written or changed. The server
// answers' catalogue is in internal/e2e.

// TestCatalogueFiles: key, certificate, keystore and password files given to the command.
func TestCatalogueFiles(t *testing.T) {
	f := newCatFiles(t)
	out := filepath.Join(f.out, "servercert.jks")
	export := func(key, cert string, extra ...string) []string {
		return append([]string{"keystore", "export", "--key", key, "--cert", cert, "--jks", out, "--alias", "my_app"}, extra...)
	}
	login := func(extra ...string) []string { return append([]string{"login"}, extra...) }
	rows := []catRow{
		// Private keys.
		{"key missing", export(filepath.Join(f.root, "nope.pem"), f.cert), catStoreEnv, 1, "sfjwt keystore: read key: open " + filepath.Join(f.root, "nope.pem") + ": no such file or directory; nothing was written"},
		{"key empty", export(f.empty, f.cert), catStoreEnv, 1, "parse key: not PEM data: the file is empty (file " + f.empty + "); nothing was written"},
		{"key not PEM", export(f.garbage, f.cert), catStoreEnv, 1, `parse key: not PEM data: expected text starting with "-----BEGIN PRIVATE KEY-----"`},
		{"key binary", export(f.binaryFile, f.cert), catStoreEnv, 1, `parse key: not PEM data: expected text starting with "-----BEGIN PRIVATE KEY-----"`},
		{"key UTF-16", export(f.utf16Key, f.cert), catStoreEnv, 1, "file is UTF-16 text, not UTF-8/ASCII PEM"},
		{"key is a certificate", export(f.cert, f.cert), catStoreEnv, 1, `found "CERTIFICATE": not a private key; give the private key file (server.key or server.pem), not the certificate (server.crt)`},
		{"key is a CSR", export(f.csr, f.cert), catStoreEnv, 1, `found "CERTIFICATE REQUEST": not a private key; give the private key file (server.key or server.pem), not the certificate signing request (server.csr)`},
		{"key is a public key", export(f.publicKey, f.cert), catStoreEnv, 1, `found "PUBLIC KEY": not a private key; give the private key file (server.key or server.pem), not the public key`},
		{"key truncated", export(f.truncKey, f.cert), catStoreEnv, 1, "key or certificate data is truncated or corrupted: PRIVATE KEY: asn1: syntax error: data truncated (file " + f.truncKey + "); nothing was written"},
		{"key legacy encrypted PEM", export(f.legacyKey, f.cert), catStoreEnv, 1, "legacy encrypted PEM key (Proc-Type: 4,ENCRYPTED) is not supported; convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc"},
		{"key encrypted, no password", export(f.encKey, f.cert), catStoreEnv, 1,
			"the private key is encrypted and needs a password (give the password the key was encrypted with, or use the unencrypted server.key) (file " + f.encKey +
				"): give its password with --key-password-file FILE or SFJWT_KEY_PASSWORD (or use the unencrypted server.pem); nothing was written"},
		{"key encrypted, wrong password file", export(f.encKey, f.cert, "--key-password-file", f.pwWrong), catStoreEnv, 1, "parse key: wrong password for the encrypted private key (file " + f.encKey + ")"},
		{"key EC", export(f.ecKey, f.ecCert), catStoreEnv, 1, "key is not an RSA key (Salesforce JWT bearer needs RSA/RS256)"},
		{"key RSA 1024", export(f.smallKey, f.smallCert), catStoreEnv, 1, "key has 1024 bits: RSA key size must be 2048, 3072 or 4096 bits (the sizes Salesforce accepts); Salesforce imports RSA keys of 2048, 3072 or 4096 bits only"},
		{"key is a folder", export(f.aDir, f.cert), catStoreEnv, 1, "read key: read " + f.aDir + ": is a directory, not a file; nothing was written"},
		// Certificates.
		{"cert missing", export(f.key, filepath.Join(f.root, "nope.crt")), catStoreEnv, 1, "read certificate: open " + filepath.Join(f.root, "nope.crt") + ": no such file or directory; nothing was written"},
		{"cert is a key", export(f.key, f.key), catStoreEnv, 1, `parse certificate: found "PRIVATE KEY": not a certificate; give the certificate file (server.crt)`},
		{"cert garbage", export(f.key, f.garbage), catStoreEnv, 1, `parse certificate: not PEM data: expected text starting with "-----BEGIN CERTIFICATE-----" (file ` + f.garbage + "); nothing was written"},
		{"cert UTF-16", export(f.key, f.utf16Key), catStoreEnv, 1, "file is UTF-16 text"},
		{"cert of another key", export(f.key, f.otherCert), catStoreEnv, 1, "private key does not match the certificate: the certificate (subject \"CN=Other\", SHA-256 "},
		// Password files.
		{"password file missing", export(f.key, f.cert, "--password-file", filepath.Join(f.root, "pw/nope.txt")), nil, 1, "--password-file: read password file: open "},
		{"password file empty", export(f.key, f.cert, "--password-file", f.pwEmpty), nil, 1, "password file " + f.pwEmpty + " is empty"},
		{"password file blank first line", export(f.key, f.cert, "--password-file", f.pwBlankLine), nil, 1, "the first line of password file " + f.pwBlankLine + " is empty"},
		{"password file UTF-16", export(f.key, f.cert, "--password-file", f.pwUTF16), nil, 1, "is not UTF-8 text (saved as UTF-16? save it as UTF-8)"},
		{"password file too short", export(f.key, f.cert, "--password-file", f.pwShort), nil, 1, "keystore password too short"},
		{"password file not ASCII for JKS", export(f.key, f.cert, "--password-file", f.pwNonASCII), nil, 1, "JKS password must be printable ASCII"},
		{"password file is a folder", export(f.key, f.cert, "--password-file", f.pwDir), nil, 1, "--password-file: read password file: read " + f.pwDir + ": is a directory"},
		{"password file without a line end", export(f.key, f.cert, "--password-file", f.pwLong), nil, 1, "--password-file: "},
		{"key password file missing", export(f.encKey, f.cert, "--key-password-file", filepath.Join(f.root, "pw/nope.txt")), catStoreEnv, 1, "--key-password-file: read password file"},
		// Keystores.
		{"list not a keystore", []string{"keystore", "list", f.notKeystore}, catStoreEnv, 1, "not a JKS or PKCS#12 keystore"},
		{"list a PEM file", []string{"keystore", "list", f.cert}, catStoreEnv, 1, "this is a PEM file"},
		{"list truncated JKS", []string{"keystore", "list", f.truncJKS}, catStoreEnv, 1, "keystore is truncated or damaged"},
		{"list truncated PKCS#12", []string{"keystore", "list", f.truncP12}, catStoreEnv, 1, "keystore is truncated or damaged"},
		{"list wrong password", []string{"keystore", "list", "--password-file", f.pwWrong, f.jks}, nil, 1, "wrong keystore password"},
		{"list missing file", []string{"keystore", "list", filepath.Join(f.root, "nope.jks")}, catStoreEnv, 1, " " + filepath.Join(f.root, "nope.jks") + ": no such file or directory"},
		{"list empty file", []string{"keystore", "list", f.empty}, catStoreEnv, 1, "not a JKS or PKCS#12 keystore"},
		{"convert a JKS as PKCS#12", []string{"keystore", "convert", "--p12", f.jks, "--jks", out}, catStoreEnv, 1, "this is a JKS file, not PKCS#12"},
		{"convert wrong PKCS#12 password", []string{"keystore", "convert", "--p12", f.p12, "--jks", out, "--p12-password-file", f.pwWrong}, catStoreEnv, 1, "wrong keystore password for the PKCS#12 file; nothing was written"},
		{"convert truncated PKCS#12", []string{"keystore", "convert", "--p12", f.truncP12, "--jks", out}, catStoreEnv, 1, "keystore is truncated or damaged"},
		{"convert missing PKCS#12", []string{"keystore", "convert", "--p12", filepath.Join(f.root, "nope.p12"), "--jks", out}, catStoreEnv, 1, "no such file or directory"},
		{"rename in a PKCS#12", []string{"keystore", "rename", "--jks", f.p12, "--from", "my_app", "--to", "other"}, catStoreEnv, 1, "the file was not changed"},
		{"rename missing alias", []string{"keystore", "rename", "--jks", f.jks, "--from", "1", "--to", "other"}, catStoreEnv, 1, `alias not found: "1" (the keystore has aliases my_app); the file was not changed`},
		{"rename wrong password", []string{"keystore", "rename", "--jks", f.jks, "--from", "my_app", "--to", "other", "--password-file", f.pwWrong}, nil, 1, "wrong keystore password for the JKS file (or the file was changed after it was written); the file was not changed"},
		{"rename truncated JKS", []string{"keystore", "rename", "--jks", f.truncJKS, "--from", "my_app", "--to", "other"}, catStoreEnv, 1, "keystore is truncated or damaged: JKS structure: an entry runs past the end of the file; the file was not changed"},
		{"export over an existing keystore", []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", f.existingJKS, "--alias", "my_app"}, catStoreEnv, 1,
			f.existingJKS + " already exists; nothing was written (choose another file name, or add --force to replace it)"},
		{"export into a missing folder", []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", filepath.Join(f.root, "nodir", "x.jks"), "--alias", "my_app"}, catStoreEnv, 1,
			": no such file or directory; nothing was written"},
		// serve's certificate and secret files, refused before it listens.
		{"serve --cert missing", []string{"serve", "--addr", "127.0.0.1:0", "--cert", filepath.Join(f.root, "nope.crt")}, nil, 1,
			"sfjwt serve: --cert " + filepath.Join(f.root, "nope.crt") + ": certgen: read certificate: open " + filepath.Join(f.root, "nope.crt") + ": no such file or directory"},
		{"serve --cert a key", []string{"serve", "--addr", "127.0.0.1:0", "--cert", f.key}, nil, 1, `sfjwt serve: --cert ` + f.key + `: certgen: parse certificate: found "PRIVATE KEY": not a certificate`},
		{"serve --client-secret-file empty", []string{"serve", "--addr", "127.0.0.1:0", "--client-secret-file", f.pwEmpty}, nil, 1,
			"sfjwt serve: --client-secret-file: password file " + f.pwEmpty + " is empty"},
		// Output folders of cert.
		{"cert bundle over existing files", []string{"cert", "--out", f.bundle, "--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"},
			map[string]string{"SFJWT_KEY_PASSWORD": catKeyPassword}, 1, filepath.Join(f.bundle, "server.key") + " already exists; nothing was written"},
		{"cert --out is a file", []string{"cert", "--out", f.aFile, "--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"},
			map[string]string{"SFJWT_KEY_PASSWORD": catKeyPassword}, 1, f.aFile + " exists and is not a folder; give a folder path"},
		// Files of the connection commands, refused before any request.
		{"login key missing", login("--key", filepath.Join(f.root, "nope.pem")), catConnEnv(f, nil), 1, "read key: open " + filepath.Join(f.root, "nope.pem") + ": no such file or directory"},
		{"login key is a certificate", login("--key", f.cert), catConnEnv(f, nil), 1, "not a private key"},
		{"login key EC", login("--key", f.ecKey), catConnEnv(f, nil), 1, "key is not an RSA key"},
		{"login key encrypted, no password", login("--key", f.encKey), catConnEnv(f, nil), 1,
			"the private key is encrypted and needs a password (give the password the key was encrypted with, or use the unencrypted server.key) (file " + f.encKey +
				"); give the password with --key-password-file FILE or SFJWT_KEY_PASSWORD"},
		{"login key password file wrong", login("--key", f.encKey, "--key-password-file", f.pwWrong), catConnEnv(f, nil), 1, "parse key: wrong password for the encrypted private key (file " + f.encKey + ")"},
		{"login CA file missing", login("--ca-file", filepath.Join(f.root, "nope.pem")), catConnEnv(f, nil), 1, "sfjwt login: --ca-file: open " + filepath.Join(f.root, "nope.pem") + ": no such file or directory"},
		{"login CA file not PEM", login("--ca-file", f.garbage), catConnEnv(f, nil), 1, "--ca-file " + f.garbage + " holds no PEM certificate"},
		{"query key UTF-16", []string{"query", "--key", f.utf16Key, "SELECT Id FROM Account"}, catConnEnv(f, nil), 1, "file is UTF-16 text"},
		{"query --output into a missing folder", []string{"query", "--output", filepath.Join(f.root, "nodir", "x.ndjson"), "SELECT Id FROM Account"}, catConnEnv(f, nil), 1,
			"sfjwt query: --output " + filepath.Join(f.root, "nodir", "x.ndjson") + ": the folder " + filepath.Join(f.root, "nodir") + " does not exist; create it first"},
		{"logs download --out is a file", []string{"logs", "download", "--out", f.aFile}, catConnEnv(f, nil), 1, "sfjwt logs: --out " + f.aFile + " is a file; give a folder for the CSV files (it is created if missing)"},
		{"logs key truncated", []string{"logs", "list", "--key", f.truncKey}, catConnEnv(f, nil), 1, "truncated or corrupted"},
	}
	runCatalogue(t, f, rows, nil)
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written by a failing row", out)
	}
}

// TestCatalogueFlags: command lines the command refuses. Usage mistakes exit 2.
func TestCatalogueFlags(t *testing.T) {
	f := newCatFiles(t)
	out := filepath.Join(f.out, "x.jks")
	bundle := filepath.Join(f.out, "jwt")
	subject := []string{"--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"}
	cert := func(extra ...string) []string {
		return append(append([]string{"cert", "--out", bundle}, subject...), extra...)
	}
	export := func(extra ...string) []string {
		return append([]string{"keystore", "export", "--key", f.key, "--cert", f.cert}, extra...)
	}
	conn := catConnEnv(f, nil)
	rows := []catRow{
		{"no command", nil, nil, 2, "Usage:\n  sfjwt <command> [flags]"},
		{"unknown command", []string{"frobnicate"}, nil, 2, `sfjwt: unknown command "frobnicate"`},
		{"help with two names", []string{"help", "cert", "login"}, nil, 2, "sfjwt help: help takes at most one command name"},
		{"help for an unknown command", []string{"help", "nope"}, nil, 2, `sfjwt help: unknown command "nope"`},
		{"version with an argument", []string{"version", "x"}, nil, 2, "version takes no arguments"},
		// cert
		{"cert unknown flag", cert("--bogus"), nil, 2, "sfjwt cert: flag provided but not defined: -bogus"},
		{"cert password as a flag", cert("--password", "secret"), nil, 2, "sfjwt cert: flag provided but not defined: -password"},
		{"cert --bits 1024", cert("--bits", "1024"), nil, 2, "sfjwt cert: --bits 1024: RSA key size must be 2048, 3072 or 4096 (the sizes Salesforce accepts)"},
		{"cert --bits not a number", cert("--bits", "big"), nil, 2, `sfjwt cert: invalid value "big" for flag -bits: parse error`},
		{"cert --days 0", cert("--days", "0"), nil, 2, "sfjwt cert: --days 0: validity must be between 1 and 36500 days"},
		{"cert --days 40000", cert("--days", "40000"), nil, 2, "sfjwt cert: --days 40000: validity must be between 1 and 36500 days"},
		{"cert --country USA", []string{"cert", "--out", bundle, "--country", "USA", "--state", "CA", "--locality", "SF", "--org", "Acme"}, nil, 2, `sfjwt cert: country "USA": invalid certificate subject: must be exactly 2 letters (ISO 3166 code, e.g. US, GB, PH)`},
		{"cert without --out", append([]string{"cert"}, subject...), nil, 2, "sfjwt cert: --out is required: the folder for the five files, e.g. --out ./jwt"},
		{"cert without subject", []string{"cert", "--out", bundle}, nil, 2,
			"sfjwt cert: missing --country, --state, --locality, --org: the guide's certificate subject needs country, state, locality and organization"},
		{"cert stray argument", cert("now"), nil, 2, `sfjwt cert: unexpected argument "now" (all values are given with flags)`},
		{"cert no password, no terminal", cert(), nil, 1, "sfjwt cert: no password given: the password for server.pass.key comes from --password-file FILE (first line) or the SFJWT_KEY_PASSWORD environment variable, or a prompt when run in a terminal; nothing was written"},
		// keystore
		{"keystore without subcommand", []string{"keystore"}, nil, 2, "sfjwt keystore: name a subcommand: export, convert, rename or list"},
		{"keystore unknown subcommand", []string{"keystore", "import"}, nil, 2, `sfjwt keystore: unknown subcommand "import": use export, convert, rename or list`},
		{"export without --key", []string{"keystore", "export", "--cert", f.cert, "--jks", out, "--alias", "a"}, catStoreEnv, 2,
			"--key and --cert are required: the private key (server.pem) and its certificate (server.crt)"},
		{"export without outputs", export("--alias", "a"), catStoreEnv, 2, "name at least one file to write: --jks servercert.jks and/or --p12 keystore.p12"},
		{"export --jks and --p12 the same", export("--jks", out, "--p12", out, "--alias", "a"), catStoreEnv, 2, "--jks and --p12 name the same file"},
		{"export over its own key", export("--p12", f.key, "--force"), catStoreEnv, 2, f.key + " is an input file; write the keystore to another file"},
		{"export --jks without --alias", export("--jks", out), catStoreEnv, 1, "--alias is required with --jks: it becomes the certificate's unique name in Salesforce, e.g. --alias My_App"},
		{"export --alias 1", export("--jks", out, "--alias", "1"), catStoreEnv, 1, `--alias: invalid alias "1": it must begin with a letter`},
		{"export --alias with a space", export("--jks", out, "--alias", "my cert"), catStoreEnv, 1, `--alias: invalid alias "my cert": it contains ' '; only letters, digits and underscores are allowed`},
		{"export --alias a__b", export("--jks", out, "--alias", "a__b"), catStoreEnv, 1, `--alias: invalid alias "a__b": it must not contain two underscores in a row`},
		{"export --alias too long", export("--jks", out, "--alias", "a"+strings.Repeat("b", 64)), catStoreEnv, 1, "it is 65 characters long, more than 64"},
		{"export stray argument", export("--jks", out, "--alias", "a", "extra"), catStoreEnv, 2, `unexpected argument "extra" (all values are given with flags)`},
		{"convert without --p12", []string{"keystore", "convert", "--jks", out}, catStoreEnv, 2, "--p12 (the file to read) and --jks (the file to write) are required"},
		{"convert onto itself", []string{"keystore", "convert", "--p12", f.p12, "--jks", f.p12}, catStoreEnv, 2, "--p12 and --jks name the same file"},
		{"convert --alias _x", []string{"keystore", "convert", "--p12", f.p12, "--jks", out, "--alias", "_x"}, catStoreEnv, 1, `--alias: invalid alias "_x": it must begin with a letter`},
		{"rename without --to", []string{"keystore", "rename", "--jks", f.jks, "--from", "my_app"}, catStoreEnv, 2,
			"--jks, --from and --to are required, e.g. --jks servercert.jks --from 1 --to my_jwt_cert"},
		{"rename --to x_", []string{"keystore", "rename", "--jks", f.jks, "--from", "my_app", "--to", "x_"}, catStoreEnv, 1, `--to: invalid alias "x_": it must not end with an underscore`},
		{"list without a file", []string{"keystore", "list"}, catStoreEnv, 2, "name one keystore file, e.g. sfjwt keystore list servercert.jks"},
		{"list two files", []string{"keystore", "list", f.jks, f.p12}, catStoreEnv, 2, "name one keystore file"},
		// login, query, logs
		{"login without settings", []string{"login"}, nil, 2,
			"missing --instance-url or SFJWT_INSTANCE_URL (the org's My Domain URL, Setup → My Domain); --client-id or SFJWT_CLIENT_ID (the Consumer Key, guide \"How to Find Client ID\"); --username or SFJWT_USERNAME (the integration user's username); --key or SFJWT_KEY_FILE (server.key or server.pem)"},
		{"login --api-version sixty", []string{"login", "--api-version", "sixty"}, conn, 2, `sfjwt login: API version "sixty": want a version like 66.0 (Setup → Apex Classes → API Version)`},
		{"login --api-version 6.0", []string{"login", "--api-version", "6.0"}, conn, 2, `API version "6.0": want a version like 66.0`},
		{"login stray argument", []string{"login", "now"}, conn, 2, `sfjwt login: unexpected argument "now" (all values are given with flags)`},
		{"login --login-url over http", []string{"login", "--login-url", "http://login.salesforce.com"}, conn, 1, `sfjwt login: jwtauth: URL must use https (plain http only toward loopback): LoginURL "http://login.salesforce.com"`},
		{"login --instance-url over http", []string{"login", "--instance-url", "http://acme.my.salesforce.com"}, conn, 1, `sfjwt login: jwtauth: URL must use https (plain http only toward loopback): InstanceURL "http://acme.my.salesforce.com"`},
		{"query without SOQL", []string{"query"}, conn, 2, `sfjwt query: give exactly one SOQL query, quoted, e.g. sfjwt query "SELECT Id, Name FROM Account"`},
		{"query with two SOQL", []string{"query", "SELECT Id FROM Account", "SELECT Id FROM Contact"}, conn, 2, "give exactly one SOQL query"},
		{"query --format xml", []string{"query", "--format", "xml", "SELECT Id FROM Account"}, conn, 2, `sfjwt query: --format "xml": want ndjson, json or csv`},
		{"query --batch-size 100", []string{"query", "--batch-size", "100", "SELECT Id FROM Account"}, conn, 2, "sfjwt query: --batch-size 100: Salesforce accepts 200 to 2000"},
		{"query --batch-size 5000", []string{"query", "--batch-size", "5000", "SELECT Id FROM Account"}, conn, 2, "--batch-size 5000: Salesforce accepts 200 to 2000"},
		{"logs without sub-command", []string{"logs"}, conn, 2, "sfjwt logs: logs needs a sub-command: list or download"},
		{"logs unknown sub-command", []string{"logs", "fetch"}, conn, 2, `sfjwt logs: unknown logs sub-command "fetch": want list or download`},
		{"logs download without --out", []string{"logs", "download"}, conn, 2, "sfjwt logs: --out DIR is required"},
		{"logs --since yesterday", []string{"logs", "list", "--since", "yesterday"}, conn, 2, `sfjwt logs: --since: "yesterday" is not a date like 2026-11-20 or 2026-11-20T15:00:00Z`},
		{"logs --until before --since", []string{"logs", "list", "--since", "2026-11-21", "--until", "2026-11-20"}, conn, 2, "sfjwt logs: --until 2026-11-20 is not after --since 2026-11-21"},
		{"logs --interval weekly", []string{"logs", "list", "--interval", "weekly"}, conn, 2, `sfjwt logs: --interval "weekly": want Daily or Hourly`},
		{"logs stray argument", []string{"logs", "list", "now"}, conn, 2, `sfjwt logs: unexpected argument "now"`},
		// serve and doctor
		{"serve on a public address", []string{"serve", "--addr", "0.0.0.0:0"}, nil, 2, `sfjwt serve: --addr "0.0.0.0:0" is not a loopback address; add --listen-any to listen on it`},
		{"serve --addr without a port", []string{"serve", "--addr", "localhost"}, nil, 2, `sfjwt serve: --addr "localhost": address localhost: missing port in address`},
		{"serve --session-timeout 0", []string{"serve", "--session-timeout", "0s"}, nil, 2, "sfjwt serve: --session-timeout must be positive"},
		{"serve --records -1", []string{"serve", "--records", "-1"}, nil, 2, "sfjwt serve: --records and --event-log-files must not be negative"},
		{"serve empty --username", []string{"serve", "--username", ""}, nil, 2, "sfjwt serve: --client-id and --username must not be empty"},
		{"serve stray argument", []string{"serve", "now"}, nil, 2, "sfjwt serve: serve takes no arguments (all values are given with flags)"},
		{"doctor --format xml", []string{"doctor", "--format", "xml"}, conn, 2, `sfjwt doctor: --format "xml": want text, json or yaml`},
		{"doctor stray argument", []string{"doctor", "now"}, conn, 2, `sfjwt doctor: unexpected argument "now"`},
	}
	runCatalogue(t, f, rows, nil)
}

// TestCatalogueEnv: environment variables holding bad values. Flags are left out, so each value
// comes from the environment.
func TestCatalogueEnv(t *testing.T) {
	f := newCatFiles(t)
	out := filepath.Join(f.out, "x.jks")
	export := []string{"keystore", "export", "--key", f.key, "--cert", f.cert, "--jks", out, "--alias", "my_app"}
	rows := []catRow{
		{"SFJWT_INSTANCE_URL missing", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_INSTANCE_URL": ""}), 2,
			"sfjwt login: missing --instance-url or SFJWT_INSTANCE_URL (the org's My Domain URL, Setup → My Domain)"},
		{"SFJWT_USERNAME blank", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_USERNAME": "   "}), 2,
			"sfjwt login: missing --username or SFJWT_USERNAME (the integration user's username)"},
		{"SFJWT_CLIENT_ID and SFJWT_KEY_FILE missing", []string{"query", "SELECT Id FROM Account"}, catConnEnv(f, map[string]string{"SFJWT_CLIENT_ID": "", "SFJWT_KEY_FILE": ""}), 2,
			"sfjwt query: missing --client-id or SFJWT_CLIENT_ID (the Consumer Key, guide \"How to Find Client ID\"); --key or SFJWT_KEY_FILE (server.key or server.pem)"},
		{"SFJWT_INSTANCE_URL over http", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_INSTANCE_URL": "http://acme.my.salesforce.com"}), 1, `jwtauth: URL must use https (plain http only toward loopback): InstanceURL "http://acme.my.salesforce.com"`},
		{"SFJWT_INSTANCE_URL not a URL", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_INSTANCE_URL": "acme"}), 1, `jwtauth: invalid config: InstanceURL "acme" must be absolute, like https://acme.my.salesforce.com`},
		{"SFJWT_LOGIN_URL over http", []string{"logs", "list"}, catConnEnv(f, map[string]string{"SFJWT_LOGIN_URL": "http://login.salesforce.com"}), 1, `sfjwt logs: jwtauth: URL must use https (plain http only toward loopback): LoginURL "http://login.salesforce.com"`},
		{"SFJWT_AUDIENCE not a URL", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_AUDIENCE": "login.salesforce.com"}), 1, `jwtauth: invalid config: Audience "login.salesforce.com" must be absolute`},
		{"SFJWT_API_VERSION malformed", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_API_VERSION": "v66.0.1"}), 2, `API version "v66.0.1": want a version like 66.0`},
		{"SFJWT_KEY_FILE missing file", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_KEY_FILE": filepath.Join(f.root, "nope.pem")}), 1,
			"read key: open " + filepath.Join(f.root, "nope.pem") + ": no such file or directory"},
		{"SFJWT_KEY_FILE a certificate", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_KEY_FILE": f.cert}), 1, `found "CERTIFICATE": not a private key`},
		{"SFJWT_KEY_PASSWORD wrong", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_KEY_FILE": f.encKey, "SFJWT_KEY_PASSWORD": "wrong-pass-9"}), 1,
			"wrong password for the encrypted private key (file " + f.encKey + ")"},
		{"SFJWT_CA_FILE missing", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_CA_FILE": filepath.Join(f.root, "nope.pem")}), 1, "--ca-file: open " + filepath.Join(f.root, "nope.pem")},
		{"SFJWT_CA_FILE a key", []string{"login"}, catConnEnv(f, map[string]string{"SFJWT_CA_FILE": f.key}), 1, "--ca-file " + f.key + " holds no PEM certificate"},
		{"SFJWT_STORE_PASSWORD too short", export, map[string]string{"SFJWT_STORE_PASSWORD": "12345"}, 1,
			"keystore password too short: it has 5 characters, keytool and Salesforce need at least 6; nothing was written"},
		{"SFJWT_STORE_PASSWORD not ASCII", export, map[string]string{"SFJWT_STORE_PASSWORD": "pässwörd-1"}, 1, "JKS password must be printable ASCII"},
		{"SFJWT_STORE_PASSWORD missing", export, nil, 1,
			"no password given: the new keystore password comes from --password-file FILE (first line) or the SFJWT_STORE_PASSWORD environment variable, or a prompt when run in a terminal; nothing was written"},
		{"SFJWT_STORE_PASSWORD wrong for list", []string{"keystore", "list", f.jks}, map[string]string{"SFJWT_STORE_PASSWORD": "wrong-pass-9"}, 1, "wrong keystore password for the JKS file"},
		{"SFJWT_P12_PASSWORD wrong", []string{"keystore", "convert", "--p12", f.p12, "--jks", out}, map[string]string{"SFJWT_STORE_PASSWORD": catPassword, "SFJWT_P12_PASSWORD": "wrong-pass-9"}, 1,
			"wrong keystore password for the PKCS#12 file; nothing was written"},
		{"SFJWT_KEY_PASSWORD for cert missing", []string{"cert", "--out", filepath.Join(f.out, "jwt"), "--country", "US", "--state", "CA", "--locality", "SF", "--org", "Acme"}, nil, 1,
			"no password given"},
	}
	runCatalogue(t, f, rows, nil)
}
