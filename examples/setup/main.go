// Command setup makes the key material of the Salesforce JWT setup guide in one step, with no
// OpenSSL or Java: the guide's five files (server.pass.key, server.key, server.csr,
// server.crt, server.pem) and the keystores keystore.p12 (PKCS#12) and servercert.jks (JKS,
// with an alias Salesforce accepts, not keytool's "1").
//
// Usage:
//
//	go run ./examples/setup [DIR]
//
// The files go to DIR (created if needed; existing files are never overwritten), or to a new
// temporary folder. The password of server.pass.key and of both keystores is taken from
// SFJWT_KEY_PASSWORD (at least 6 printable ASCII characters); without it one is generated and
// written to DIR/key-password.txt (mode 0600). It is never printed. Key files and keystores
// are written with mode 0600.
//
// This program makes no network call; it is the same offline or with an org. Next, upload
// server.crt to the External Client App (guide step 9) and try examples/login with
// SFJWT_KEY_FILE=DIR/server.key.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, stdout io.Writer, args []string, getenv func(string) string) (err error) {
	if len(args) > 1 {
		return errors.New("usage: setup [DIR]")
	}
	dir, err := outputDir(args)
	if err != nil {
		return err
	}
	p12, jks := filepath.Join(dir, "keystore.p12"), filepath.Join(dir, "servercert.jks")
	if err := refuseExisting(p12, jks); err != nil { // WriteBundle checks its own five files
		return err
	}
	password, pwFile, err := keyPassword(dir, getenv)
	if err != nil {
		return err
	}
	if pwFile != "" {
		// Without its password file the other files would be useless: remove it on failure.
		defer func() {
			if err != nil {
				os.Remove(pwFile)
			}
		}()
	}

	// The guide's openssl genpkey, rsa, req and x509 commands, and cp server.key server.pem.
	// Put your organisation's details in the subject.
	subject := certgen.Subject{
		Country: "US", State: "California", Locality: "San Francisco",
		Organization: "Example Corp", CommonName: "sfjwt example",
	}
	bundle, err := certgen.WriteBundle(dir, certgen.BundleOptions{Subject: subject, Password: password})
	if err != nil {
		return err
	}

	alias, err := writeKeystores(bundle, password, p12, jks)
	if err != nil {
		return err
	}

	written := append(bundle.Paths(), p12, jks)
	if pwFile != "" {
		written = append(written, pwFile)
	}
	for _, path := range written {
		if err := printFile(stdout, path); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "JKS alias: %s\n", alias)
	fmt.Fprintf(stdout, "certificate: RSA %d, expires %s, SHA-256 %s\n",
		bundle.Bits, bundle.NotAfter.Format("2006-01-02"), bundle.SHA256Fingerprint)
	fmt.Fprintf(stdout, "next: upload %s to the External Client App (guide step 9)\n", bundle.Cert)
	return nil
}

// writeKeystores does the guide's openssl pkcs12 -export, keytool -importkeystore and keytool
// -changealias in one call, with an alias derived from the certificate's common name.
func writeKeystores(b certgen.Bundle, password []byte, p12, jks string) (string, error) {
	key, err := certgen.ReadPrivateKeyFile(b.Key, nil)
	if err != nil {
		return "", err
	}
	cert, err := certgen.ReadCertificateFile(b.Cert)
	if err != nil {
		return "", err
	}
	alias := keystore.AliasFromCertificate(cert)
	return alias, keystore.Export(keystore.ExportConfig{
		Key: key, Certificate: cert, Alias: alias, Password: password, PKCS12Path: p12, JKSPath: jks,
	})
}
