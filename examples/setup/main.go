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
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
)

// subject is the certificate subject: put your organisation's details here.
var subject = certgen.Subject{
	Country: "US", State: "California", Locality: "San Francisco",
	Organization: "Example Corp", CommonName: "sfjwt example",
}

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
	for _, path := range []string{p12, jks} { // WriteBundle checks its own five files
		if _, err := os.Lstat(path); err == nil {
			return &fs.PathError{Op: "write", Path: path, Err: fs.ErrExist}
		}
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
	bundle, err := certgen.WriteBundle(dir, certgen.BundleOptions{Subject: subject, Password: password})
	if err != nil {
		return err
	}

	// The guide's openssl pkcs12 -export, keytool -importkeystore and keytool -changealias.
	key, err := certgen.ReadPrivateKeyFile(bundle.Key, nil)
	if err != nil {
		return err
	}
	cert, err := certgen.ReadCertificateFile(bundle.Cert)
	if err != nil {
		return err
	}
	alias := keystore.AliasFromCertificate(cert)
	err = keystore.Export(keystore.ExportConfig{
		Key: key, Certificate: cert, Alias: alias, Password: password, PKCS12Path: p12, JKSPath: jks,
	})
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

// outputDir returns the folder given as the first argument, created if needed, or a new
// temporary folder.
func outputDir(args []string) (string, error) {
	if len(args) == 0 {
		return os.MkdirTemp("", "sfjwt-setup-")
	}
	if err := os.MkdirAll(args[0], 0o700); err != nil {
		return "", err
	}
	return filepath.Abs(args[0])
}

// keyPassword returns SFJWT_KEY_PASSWORD, or a generated password that it writes to
// dir/key-password.txt (mode 0600, never over an existing file) and whose path it returns.
func keyPassword(dir string, getenv func(string) string) ([]byte, string, error) {
	if p := getenv("SFJWT_KEY_PASSWORD"); p != "" {
		// Check it before writing anything, so a bad password leaves nothing behind.
		if err := keystore.ValidatePassword([]byte(p), keystore.FormatJKS); err != nil {
			return nil, "", fmt.Errorf("SFJWT_KEY_PASSWORD: %w", err)
		}
		return []byte(p), "", nil
	}
	password := []byte(rand.Text()) // 26 base32 characters: printable ASCII, as JKS needs
	path := filepath.Join(dir, "key-password.txt")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", err
	}
	_, err = f.Write(append(password, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, "", err
	}
	return password, path, nil
}

// printFile prints a written file's path and permissions.
func printFile(w io.Writer, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s (%04o, %d bytes)\n", path, fi.Mode().Perm(), fi.Size())
	return nil
}
