package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cytechint/sfjwt/certgen"
)

const certSynopsis = "sfjwt cert --out DIR --country C --state S --locality L --org O [--org-unit U] [--common-name CN] [--email E] [--bits N] [--days N] [--password-file F] [--force]"

const certDescription = `Create the guide's five files in DIR in one step, replacing the openssl commands of
"Creating a Private Key and Self-Signed Digital Certificate":

  server.pass.key  encrypted private key (PKCS#8, AES-256-CBC)   mode 0600
  server.key       private key (PKCS#8)                          mode 0600
  server.pem       same bytes as server.key, for the SIEM         mode 0600
  server.csr       certificate signing request                   mode 0644
  server.crt       self-signed certificate to upload (step 9)    mode 0644

The password for server.pass.key comes from --password-file (first line), else the
SFJWT_KEY_PASSWORD environment variable, else a prompt (asked twice) when run in a terminal.
It is never taken as a flag value. Existing files are never replaced without --force, and
then all five are replaced together or none is.`

func runCert(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("cert", certSynopsis, certDescription)
	out := fs.String("out", "", "output `folder` (created if missing). Required")
	bits := fs.Int("bits", certgen.DefaultKeyBits, "RSA key size: 2048, 3072 or 4096")
	days := fs.Int("days", certgen.DefaultValidityDays, "certificate validity in days")
	var s certgen.Subject
	fs.StringVar(&s.Country, "country", "", "country, exactly 2 letters (e.g. US). Required")
	fs.StringVar(&s.State, "state", "", "state or province. Required")
	fs.StringVar(&s.Locality, "locality", "", "locality (city). Required")
	fs.StringVar(&s.Organization, "org", "", "organization name. Required")
	fs.StringVar(&s.OrganizationalUnit, "org-unit", "", "organizational unit (optional)")
	fs.StringVar(&s.CommonName, "common-name", "", "common name (optional)")
	fs.StringVar(&s.Email, "email", "", "e-mail address (optional)")
	pwFile := fs.String("password-file", "", "read the server.pass.key password from the first line of `file`")
	force := fs.Bool("force", false, "replace existing files in the output folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(fs, "unexpected argument %q (all values are given with flags)", fs.Arg(0))
	}
	if err := checkCertFlags(*out, *bits, *days, s); err != nil {
		return usageErr(fs, "%s", err)
	}
	if !*force {
		// Refuse before asking for a password that would not be used.
		if existing := existingBundleFiles(*out); len(existing) > 0 {
			return fmt.Errorf("%s already exists; nothing was written (use another --out folder, or --force to replace all five files)", existing[0])
		}
	}
	pw, err := readSecret(e, secretSource{
		what: "password for server.pass.key", file: *pwFile, fileFlag: "--password-file",
		envVar: "SFJWT_KEY_PASSWORD", confirm: true,
	})
	if err != nil {
		return fmt.Errorf("%w; nothing was written", err)
	}
	b, err := certgen.WriteBundle(*out, certgen.BundleOptions{
		Subject: s, Password: pw, Bits: *bits, Days: *days, Overwrite: *force, Now: e.now(),
	})
	if err != nil {
		return err
	}
	printBundle(e, b)
	return nil
}

// checkCertFlags reports flag values that are wrong before any password is asked for.
func checkCertFlags(out string, bits, days int, s certgen.Subject) error {
	if out == "" {
		return fmt.Errorf("--out is required: the folder for the five files, e.g. --out ./jwt")
	}
	if bits != 2048 && bits != 3072 && bits != 4096 {
		return fmt.Errorf("--bits %d: RSA key size must be 2048, 3072 or 4096 (the sizes Salesforce accepts)", bits)
	}
	if days < 1 || days > 36500 {
		return fmt.Errorf("--days %d: validity must be between 1 and 36500 days", days)
	}
	var missing []string
	for _, f := range []struct{ flag, v string }{{"--country", s.Country}, {"--state", s.State}, {"--locality", s.Locality}, {"--org", s.Organization}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.flag)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s: the guide's certificate subject needs country, state, locality and organization", strings.Join(missing, ", "))
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "certgen: "))
	}
	return nil
}

// existingBundleFiles returns the bundle files that already exist in dir.
func existingBundleFiles(dir string) []string {
	var found []string
	for _, name := range []string{certgen.FilePassKey, certgen.FileKey, certgen.FileCSR, certgen.FileCert, certgen.FilePEM} {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			found = append(found, p)
		}
	}
	return found
}

func printBundle(e *env, b certgen.Bundle) {
	fmt.Fprintf(e.stdout, "Created in %s:\n", b.Dir)
	for _, f := range []struct{ path, note string }{
		{b.PassKey, "encrypted private key (0600)"},
		{b.Key, "private key (0600)"},
		{b.PEM, "private key for the SIEM, same as server.key (0600)"},
		{b.CSR, "certificate signing request"},
		{b.Cert, "certificate"},
	} {
		fmt.Fprintf(e.stdout, "  %-40s %s\n", f.path, f.note)
	}
	fmt.Fprintf(e.stdout, "\nCertificate: RSA %d, valid until %s\nSHA-256 fingerprint: %s\n",
		b.Bits, b.NotAfter.Format("2006-01-02"), b.SHA256Fingerprint)
	fmt.Fprintf(e.stdout, "\nNext: upload %s to your External Client App (guide step 9: Enable JWT Bearer Flow →\nUpload Files), then give the SIEM the full path of %s.\n", b.Cert, b.PEM)
}
