package certgen_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

// The guide's whole "Creating a Private Key and Self-Signed Digital Certificate" section in
// one call.
func ExampleWriteBundle() {
	dir, err := os.MkdirTemp("", "jwt")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	b, err := certgen.WriteBundle(dir, certgen.BundleOptions{
		Subject: certgen.Subject{
			Country: "US", State: "California", Locality: "San Francisco", Organization: "Acme Corp",
		},
		Password: []byte("correct horse battery staple"), // from a file, env var or prompt in real use
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range b.Paths() {
		st, _ := os.Stat(p)
		fmt.Printf("%-15s %v\n", filepath.Base(p), st.Mode().Perm())
	}
	fmt.Println("RSA bits:", b.Bits)

	// A second run refuses to touch the existing files.
	_, err = certgen.WriteBundle(dir, certgen.BundleOptions{
		Subject:  certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"},
		Password: []byte("another password"),
	})
	fmt.Println("second run refused:", errors.Is(err, os.ErrExist))
	// Output:
	// server.pass.key -rw-------
	// server.key      -rw-------
	// server.csr      -rw-r--r--
	// server.crt      -rw-r--r--
	// server.pem      -rw-------
	// RSA bits: 2048
	// second run refused: true
}

// Generate a key and a self-signed certificate in memory, and check them as Salesforce would.
func ExampleSelfSigned() {
	key, err := certgen.GenerateKey(0) // 0 = the guide's 2048 bits
	if err != nil {
		log.Fatal(err)
	}
	subject := certgen.Subject{Country: "GB", State: "England", Locality: "London", Organization: "Example Ltd", CommonName: "SIEM JWT"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	der, err := certgen.SelfSigned(key, subject, certgen.CertOptions{Days: 365, Now: now})
	if err != nil {
		log.Fatal(err)
	}
	cert, err := certgen.ParseCertificatePEM(certgen.EncodeCertificatePEM(der))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("subject:", cert.Subject)
	fmt.Println("version:", cert.Version)
	fmt.Println("expires:", cert.NotAfter.Format(time.DateOnly))
	fmt.Println("days left on 2026-12-01:", certgen.DaysLeft(cert, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println("key matches:", certgen.CheckKeyMatchesCertificate(key, cert) == nil)
	// Output:
	// subject: CN=SIEM JWT,O=Example Ltd,L=London,ST=England,C=GB
	// version: 3
	// expires: 2027-01-01
	// days left on 2026-12-01: 31
	// key matches: true
}

// Parsing tells the mistakes people make apart.
func ExampleParsePrivateKeyPEM() {
	key, _ := certgen.GenerateKey(2048)
	encrypted, _ := certgen.EncodeEncryptedPKCS8PEM(key, []byte("s3cret"), &certgen.EncryptOptions{Iterations: 2048})
	certDER, _ := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "SF", Organization: "Acme"}, certgen.CertOptions{})

	_, err := certgen.ParsePrivateKeyPEM(encrypted, nil)
	fmt.Println(errors.Is(err, certgen.ErrPasswordRequired))
	_, err = certgen.ParsePrivateKeyPEM(encrypted, []byte("guess"))
	fmt.Println(errors.Is(err, certgen.ErrWrongPassword))
	_, err = certgen.ParsePrivateKeyPEM(certgen.EncodeCertificatePEM(certDER), nil)
	fmt.Println(errors.Is(err, certgen.ErrNotPrivateKey))
	k, err := certgen.ParsePrivateKeyPEM(encrypted, []byte("s3cret"))
	fmt.Println(err == nil && certgen.CheckRSAKey(k.Public()) == nil)
	// Output:
	// true
	// true
	// true
	// true
}
