package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/fsutil"
	"github.com/cytechint/sfjwt/keystore"
)

const keystoreSynopsis = "sfjwt keystore export|convert|rename|list [flags]"

const keystoreDescription = `Make and fix the keystores of the guide's "Converting server.crt to JKS Keystore File",
without openssl pkcs12 or Java's keytool:

  export   write servercert.jks (and/or keystore.p12) straight from server.pem + server.crt
  convert  turn a PKCS#12 file into a JKS with an alias Salesforce accepts
  rename   rename an entry of a JKS, e.g. keytool's "1" (guide step 4)
  list     show the entries of a JKS or PKCS#12 file

Run "sfjwt keystore <subcommand> -h" for its flags.

Passwords are never flag values. The keystore password comes from --password-file (first
line), else SFJWT_STORE_PASSWORD, else a no-echo prompt (asked twice for a new keystore).
It is also the JKS key password: Salesforce asks for one password only. JKS passwords must be
at least 6 characters of printable ASCII.`

func runKeystore(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("keystore", keystoreSynopsis, keystoreDescription)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr(fs, "name a subcommand: export, convert, rename or list")
	}
	sub, rest := fs.Arg(0), fs.Args()[1:]
	switch sub {
	case "export":
		return runKeystoreExport(e, rest)
	case "convert":
		return runKeystoreConvert(e, rest)
	case "rename":
		return runKeystoreRename(e, rest)
	case "list":
		return runKeystoreList(e, rest)
	}
	return usageErr(fs, "unknown subcommand %q: use export, convert, rename or list", sub)
}

// storePassword reads the keystore password and checks it for format f when creating.
func storePassword(e *env, file string, creating bool, f keystore.Format) ([]byte, error) {
	what := "keystore password"
	if creating {
		what = "new keystore password"
	}
	pw, err := readSecret(e, secretSource{what: what, file: file, fileFlag: "--password-file",
		envVar: "SFJWT_STORE_PASSWORD", confirm: creating})
	if err != nil {
		return nil, fmt.Errorf("%w; nothing was written", err)
	}
	if creating {
		if err := keystore.ValidatePassword(pw, f); err != nil {
			return nil, fmt.Errorf("%s; nothing was written", strings.TrimPrefix(err.Error(), "keystore: "))
		}
	}
	return pw, nil
}

// refuseExisting fails if a file to be created exists and --force was not given, before any
// password is asked for.
func refuseExisting(force bool, paths ...string) error {
	if force {
		return nil
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; nothing was written (choose another file name, or add --force to replace it)", p)
		}
	}
	return nil
}

// readKey reads a private key PEM, asking for its password when it is encrypted and none
// was given through --key-password-file or SFJWT_KEY_PASSWORD.
func readKey(e *env, path, pwFile string) (crypto.Signer, error) {
	src := secretSource{what: "password of " + path, file: pwFile, fileFlag: "--key-password-file",
		envVar: "SFJWT_KEY_PASSWORD", optional: true}
	pw, err := readSecret(e, src)
	if err != nil {
		return nil, err
	}
	key, err := certgen.ReadPrivateKeyFile(path, pw)
	if errors.Is(err, certgen.ErrPasswordRequired) && pw == nil && e.stdinIsTerminal != nil && e.stdinIsTerminal() {
		src.optional = false
		if pw, err = readSecret(e, src); err != nil {
			return nil, err
		}
		key, err = certgen.ReadPrivateKeyFile(path, pw)
	}
	clear(pw)
	if errors.Is(err, certgen.ErrPasswordRequired) {
		return nil, fmt.Errorf("%w: give its password with --key-password-file FILE or SFJWT_KEY_PASSWORD (or use the unencrypted server.pem)", err)
	}
	return key, err
}

const exportSynopsis = "sfjwt keystore export --key server.pem --cert server.crt [--jks servercert.jks] [--p12 keystore.p12] --alias NAME [--legacy] [--password-file F] [--key-password-file F] [--force]"

const exportDescription = `Write a JKS (what Salesforce's "Import from Keystore" takes) and/or a PKCS#12 file from a
private key and its certificate, in one step. Replaces the guide's "openssl pkcs12 -export",
"keytool -importkeystore" and "keytool -changealias".

The JKS holds one PrivateKeyEntry named --alias (a Salesforce unique name: a letter first,
then letters, digits and single underscores, at most 64 characters; stored lower-cased, as
Java does), its key password equal to the keystore password. The PKCS#12 file uses AES-256
(read by OpenSSL 3 without -legacy and by Java 17); --legacy writes 3DES for old readers.
With --alias the PKCS#12 key carries that name, so keytool -importkeystore keeps it (without
--alias, keytool calls the entry "1"). Certificates after the first in the --cert PEM file
are written as the chain. The key must be RSA 2048, 3072 or 4096 bits and match the
certificate.

An encrypted key's password comes from --key-password-file or SFJWT_KEY_PASSWORD, else a
prompt. Files are written with mode 0600, both or neither, never over an existing file
unless --force is given.`

func runKeystoreExport(e *env, args []string) error {
	fs := newFlagSet("keystore export", exportSynopsis, exportDescription)
	keyPath := fs.String("key", "", "private key PEM `file` (server.pem / server.key). Required")
	certPath := fs.String("cert", "", "certificate `file`, PEM or DER (server.crt). Required")
	jksPath := fs.String("jks", "", "JKS `file` to write, e.g. servercert.jks")
	p12Path := fs.String("p12", "", "PKCS#12 `file` to write, e.g. keystore.p12")
	alias := fs.String("alias", "", "alias of the JKS entry (the certificate's name in Salesforce) and PKCS#12 friendly name. Required with --jks")
	legacy := fs.Bool("legacy", false, "write the PKCS#12 file with 3DES for old Java/Windows instead of AES-256")
	pwFile := fs.String("password-file", "", "read the keystore password from the first line of `file`")
	keyPwFile := fs.String("key-password-file", "", "read the password of an encrypted --key from the first line of `file`")
	force := fs.Bool("force", false, "replace existing keystore files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkExportFlags(fs.Args(), *keyPath, *certPath, *jksPath, *p12Path, *alias); err != nil {
		return usageErr(fs, "%s", err)
	}
	if err := refuseExisting(*force, *jksPath, *p12Path); err != nil {
		return err
	}
	cert, err := certgen.ReadCertificateFile(*certPath)
	if err != nil {
		return ksErr(err, "; nothing was written")
	}
	chain, err := readChain(*certPath)
	if err != nil {
		return err
	}
	if *jksPath != "" && *alias == "" {
		return fmt.Errorf("--alias is required with --jks: it becomes the certificate's unique name in Salesforce, e.g. --alias %s", keystore.AliasFromCertificate(cert))
	}
	if *alias != "" {
		if err := keystore.ValidateAlias(*alias); err != nil {
			return fmt.Errorf("--alias: %s (or %q, from the certificate); nothing was written",
				strings.TrimPrefix(err.Error(), "keystore: "), keystore.AliasFromCertificate(cert))
		}
	}
	key, err := readKey(e, *keyPath, *keyPwFile)
	if err != nil {
		return ksErr(err, "; nothing was written")
	}
	if err := checkKeyForKeystore(key, cert, *keyPath, *certPath); err != nil {
		return err
	}
	format := keystore.FormatPKCS12
	if *jksPath != "" {
		format = keystore.FormatJKS
	}
	pw, err := storePassword(e, *pwFile, true, format)
	if err != nil {
		return err
	}
	defer clear(pw)
	enc := keystore.PKCS12Modern
	if *legacy {
		enc = keystore.PKCS12LegacyDES
	}
	err = keystore.Export(keystore.ExportConfig{Key: key, Certificate: cert, Chain: chain, Alias: *alias, Password: pw,
		JKSPath: *jksPath, PKCS12Path: *p12Path, PKCS12Encoding: enc, Overwrite: *force})
	if err != nil {
		return ksErr(err, "; nothing was written")
	}
	printExport(e, *jksPath, *p12Path, *alias, *legacy)
	warnValidity(e, cert)
	return nil
}

// warnValidity warns when the certificate is expired or not yet valid: the keystore is
// written anyway, but Salesforce would not accept it for long (or at all).
func warnValidity(e *env, cert *x509.Certificate) {
	now := e.now()
	switch {
	case now.After(cert.NotAfter):
		fmt.Fprintf(e.stderr, "Warning: the certificate expired on %s; make a new one with \"sfjwt cert\" before uploading it.\n", cert.NotAfter.UTC().Format("2006-01-02"))
	case now.Before(cert.NotBefore):
		fmt.Fprintf(e.stderr, "Warning: the certificate is not valid before %s.\n", cert.NotBefore.UTC().Format("2006-01-02 15:04 MST"))
	}
}

// readChain returns the certificates after the first in a PEM file (a CA chain appended to
// the certificate); none for DER or a single certificate.
func readChain(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var chain []*x509.Certificate
	seen := 0 // CERTIFICATE blocks; the first is the leaf
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return chain, nil
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if seen++; seen == 1 {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d: %w; nothing was written", path, seen, err)
		}
		chain = append(chain, c)
	}
}

func checkExportFlags(rest []string, key, cert, jksPath, p12Path, alias string) error {
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected argument %q (all values are given with flags)", rest[0])
	case key == "" || cert == "":
		return errors.New("--key and --cert are required: the private key (server.pem) and its certificate (server.crt)")
	case jksPath == "" && p12Path == "":
		return errors.New("name at least one file to write: --jks servercert.jks and/or --p12 keystore.p12")
	case jksPath != "" && samePath(jksPath, p12Path):
		return errors.New("--jks and --p12 name the same file")
	}
	for _, out := range []string{jksPath, p12Path} {
		if out != "" && (samePath(out, key) || samePath(out, cert)) {
			return fmt.Errorf("%s is an input file; write the keystore to another file", out)
		}
	}
	return nil
}

// samePath reports whether a and b name the same file (after cleaning, or by identity when
// both exist).
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// checkKeyForKeystore refuses, before any password prompt, a key Salesforce would not import.
func checkKeyForKeystore(key crypto.Signer, cert *x509.Certificate, keyPath, certPath string) error {
	if err := certgen.CheckRSAKey(key.Public()); err != nil {
		return fmt.Errorf("%s: %w; Salesforce imports RSA keys of 2048, 3072 or 4096 bits only (make one with \"sfjwt cert\"); nothing was written", keyPath, err)
	}
	if err := certgen.CheckKeyMatchesCertificate(key.Public(), cert); err != nil {
		return fmt.Errorf("%s and %s: %w; nothing was written", keyPath, certPath, err)
	}
	return nil
}

func printExport(e *env, jksPath, p12Path, alias string, legacy bool) {
	if jksPath != "" {
		fmt.Fprintf(e.stdout, "Wrote %s (JKS, alias %q, mode 0600)\n", jksPath, strings.ToLower(alias))
	}
	if p12Path != "" {
		enc := "AES-256"
		if legacy {
			enc = "legacy 3DES"
		}
		name := "no friendly name: keytool will call the entry \"1\""
		if alias != "" {
			name = fmt.Sprintf("friendly name %q", alias)
		}
		fmt.Fprintf(e.stdout, "Wrote %s (PKCS#12, %s, %s, mode 0600)\n", p12Path, enc, name)
	}
	if jksPath != "" {
		fmt.Fprintf(e.stdout, "\nNext: in Salesforce Setup → Certificate and Key Management → Import from Keystore, choose\n%s and enter the same keystore password.\n", jksPath)
	}
}

const convertSynopsis = "sfjwt keystore convert --p12 keystore.p12 --jks servercert.jks [--alias NAME] [--password-file F] [--p12-password-file F] [--force]"

const convertDescription = `Turn a PKCS#12 file (from openssl pkcs12 -export, keytool or "sfjwt keystore export") into
a JKS with one PrivateKeyEntry. Replaces the guide's "keytool -importkeystore" and
"keytool -changealias" steps.

The alias is the PKCS#12 friendly name when it is a valid Salesforce name (openssl -name),
else --alias, else one derived from the certificate subject (CN, else O).

The JKS password comes from --password-file, else SFJWT_STORE_PASSWORD, else a prompt. The
PKCS#12 password comes from --p12-password-file, else SFJWT_P12_PASSWORD, else it is taken to
be the same as the JKS password.`

func runKeystoreConvert(e *env, args []string) error {
	fs := newFlagSet("keystore convert", convertSynopsis, convertDescription)
	p12Path := fs.String("p12", "", "PKCS#12 `file` to read. Required")
	jksPath := fs.String("jks", "", "JKS `file` to write. Required")
	alias := fs.String("alias", "", "alias when the PKCS#12 file has no valid friendly name (default: from the certificate subject)")
	pwFile := fs.String("password-file", "", "read the JKS password from the first line of `file`")
	p12PwFile := fs.String("p12-password-file", "", "read the PKCS#12 password from the first line of `file` (default: the JKS password)")
	force := fs.Bool("force", false, "replace an existing JKS file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErr(fs, "unexpected argument %q (all values are given with flags)", fs.Arg(0))
	case *p12Path == "" || *jksPath == "":
		return usageErr(fs, "--p12 (the file to read) and --jks (the file to write) are required")
	case samePath(*p12Path, *jksPath):
		return usageErr(fs, "--p12 and --jks name the same file")
	}
	if *alias != "" {
		if err := keystore.ValidateAlias(*alias); err != nil {
			return fmt.Errorf("--alias: %s; nothing was written", strings.TrimPrefix(err.Error(), "keystore: "))
		}
	}
	if err := refuseExisting(*force, *jksPath); err != nil {
		return err
	}
	p12pw, err := readSecret(e, secretSource{what: "PKCS#12 password", file: *p12PwFile,
		fileFlag: "--p12-password-file", envVar: "SFJWT_P12_PASSWORD", optional: true})
	if err != nil {
		return ksErr(err, "; nothing was written")
	}
	defer clear(p12pw)
	pw, err := storePassword(e, *pwFile, true, keystore.FormatJKS)
	if err != nil {
		return err
	}
	defer clear(pw)
	used, err := keystore.Convert(keystore.ConvertConfig{PKCS12Path: *p12Path, PKCS12Password: p12pw,
		JKSPath: *jksPath, Password: pw, Alias: *alias, Overwrite: *force})
	switch {
	case errors.Is(err, keystore.ErrWrongPassword) && p12pw == nil:
		return ksErr(err, "; if the PKCS#12 password differs from the new JKS password, give it with --p12-password-file FILE or SFJWT_P12_PASSWORD; nothing was written")
	case errors.Is(err, certgen.ErrNotRSA) || errors.Is(err, certgen.ErrKeySize):
		return ksErr(err, "; Salesforce imports RSA keys of 2048, 3072 or 4096 bits only (make a new key and certificate with \"sfjwt cert\"); nothing was written")
	case err != nil:
		return ksErr(err, "; nothing was written")
	}
	note := ""
	if *alias != "" && used != strings.ToLower(*alias) {
		note = " (the PKCS#12 friendly name; --alias was not needed)"
	}
	fmt.Fprintf(e.stdout, "Wrote %s (JKS, alias %q%s, mode 0600)\n", *jksPath, used, note)
	return nil
}

const renameSynopsis = "sfjwt keystore rename --jks servercert.jks --from OLD --to NEW [--password-file F]"

const renameDescription = `Rename an entry of a JKS, like "keytool -changealias" (guide step 4): the guide's
keytool -importkeystore names the entry "1", which Salesforce refuses. Other entries and the
creation dates are kept; the file is replaced atomically, or left unchanged on any error.

--to must be a valid Salesforce name (a letter first, then letters, digits and single
underscores, at most 64 characters); JKS stores it lower-cased. The entry's key password must
be the keystore password, as Salesforce requires.`

func runKeystoreRename(e *env, args []string) error {
	fs := newFlagSet("keystore rename", renameSynopsis, renameDescription)
	jksPath := fs.String("jks", "", "JKS `file` to change. Required")
	from := fs.String("from", "", "current alias, e.g. 1. Required")
	to := fs.String("to", "", "new alias. Required")
	pwFile := fs.String("password-file", "", "read the keystore password from the first line of `file`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErr(fs, "unexpected argument %q (all values are given with flags)", fs.Arg(0))
	case *jksPath == "" || *from == "" || *to == "":
		return usageErr(fs, "--jks, --from and --to are required, e.g. --jks servercert.jks --from 1 --to my_jwt_cert")
	}
	if err := keystore.ValidateAlias(*to); err != nil {
		return fmt.Errorf("--to: %s; the file was not changed", strings.TrimPrefix(err.Error(), "keystore: "))
	}
	pw, err := storePassword(e, *pwFile, false, keystore.FormatJKS)
	if err != nil {
		return err
	}
	defer clear(pw)
	if err := keystore.RenameFile(*jksPath, pw, *from, *to); err != nil {
		return ksErr(err, "; the file was not changed")
	}
	fmt.Fprintf(e.stdout, "Renamed %q to %q in %s\n", strings.ToLower(*from), strings.ToLower(*to), *jksPath)
	return nil
}

const listSynopsis = "sfjwt keystore list [--password-file F] FILE"

const listDescription = `Show the entries of a JKS or PKCS#12 file (told apart by content, not by name): alias,
entry type, certificate subject, expiry and SHA-256 fingerprint (as keytool -list -v and
Salesforce show it). Warns about aliases Salesforce refuses, such as "1".`

func runKeystoreList(e *env, args []string) error {
	fs := newFlagSet("keystore list", listSynopsis, listDescription)
	pwFile := fs.String("password-file", "", "read the keystore password from the first line of `file`")
	pos, err := parseInterspersed(fs, args) // flags may follow the file name
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr(fs, "name one keystore file, e.g. sfjwt keystore list servercert.jks")
	}
	path := pos[0]
	data, err := fsutil.ReadFileLimit(path, keystore.MaxFileSize)
	if err != nil {
		return err
	}
	if keystore.DetectFormat(data) == keystore.FormatUnknown {
		// Say what the file is before asking for a password it cannot use.
		_, err := keystore.List(data, nil)
		return ksErr(err, "")
	}
	pw, err := readSecret(e, secretSource{what: "keystore password", file: *pwFile, fileFlag: "--password-file",
		envVar: "SFJWT_STORE_PASSWORD"})
	if err != nil {
		return err
	}
	defer clear(pw)
	l, err := keystore.List(data, pw)
	if err != nil {
		return ksErr(err, "")
	}
	printListing(e, path, l)
	return nil
}

func printListing(e *env, path string, l *keystore.Listing) {
	fmt.Fprintf(e.stdout, "%s: %s keystore, %d %s\n", path, l.Format, len(l.Entries), plural(len(l.Entries), "entry", "entries"))
	now := e.now()
	for _, en := range l.Entries {
		alias := en.Alias
		switch {
		case alias == "" && en.Type == keystore.TrustedCertEntry:
			alias = "(stored encrypted, not shown)"
		case alias == "":
			alias = `(none; keytool names it "1")`
		}
		expiry := en.NotAfter.UTC().Format("2006-01-02 15:04:05 MST")
		if en.NotAfter.Before(now) {
			expiry += " (EXPIRED)"
		}
		fmt.Fprintf(e.stdout, "\nAlias:      %s\nEntry type: %s\nSubject:    %s\nNot after:  %s\nSHA-256:    %s\n",
			alias, en.Type, en.Subject, expiry, en.SHA256)
		if en.ChainLength > 1 {
			fmt.Fprintf(e.stdout, "Chain:      %d certificates\n", en.ChainLength)
		}
		if l.Format == keystore.FormatJKS && en.Type == keystore.PrivateKeyEntry && keystore.ValidateAlias(en.Alias) != nil {
			fmt.Fprintf(e.stdout, "Warning:    Salesforce refuses this alias; fix it with: sfjwt keystore rename --jks %s --from %s --to %s\n",
				path, en.Alias, strings.ToLower(en.SuggestedAlias))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// cliError shows an error from a package without its "keystore: " or "certgen: " prefix (the
// command name already says where it comes from) and keeps it for errors.Is.
type cliError struct {
	msg string
	err error
}

func (c *cliError) Error() string { return c.msg }
func (c *cliError) Unwrap() error { return c.err }

func ksErr(err error, suffix string) error {
	msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "keystore: "), "certgen: ")
	return &cliError{msg: msg + suffix, err: err}
}
