package keystore_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/keystore"
)

// The guide's last part in one call: servercert.jks for Salesforce's "Import from Keystore",
// straight from the key and certificate, with an alias Salesforce accepts.
func ExampleExport() {
	key, err := certgen.GenerateKey(2048)
	if err != nil {
		log.Fatal(err)
	}
	der, err := certgen.SelfSigned(key, certgen.Subject{Country: "US", State: "CA", Locality: "San Francisco",
		Organization: "Example", CommonName: "Example SIEM JWT"}, certgen.CertOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "keystore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	jksPath := filepath.Join(dir, "servercert.jks")
	password := []byte("example-password") // read it from a file or prompt in real code

	err = keystore.Export(keystore.ExportConfig{
		Key: key, Certificate: cert, Password: password,
		Alias:   keystore.AliasFromCertificate(cert), // "Example_SIEM_JWT"
		JKSPath: jksPath,
	})
	if err != nil {
		log.Fatal(err)
	}
	l, err := keystore.ListFile(jksPath, password)
	if err != nil {
		log.Fatal(err)
	}
	st, _ := os.Stat(jksPath)
	fmt.Println(l.Format, st.Mode().Perm())
	for _, e := range l.Entries {
		fmt.Println(e.Alias, e.Type, e.Subject)
	}
	// Output:
	// JKS -rw-------
	// example_siem_jwt PrivateKeyEntry CN=Example SIEM JWT,O=Example,L=San Francisco,ST=CA,C=US
}

// The guide's keytool -importkeystore leaves the entry called "1", which Salesforce refuses.
// RenameJKSAlias is keytool -changealias.
func ExampleRenameJKSAlias() {
	password := []byte("changeit-123") // the test fixture's password
	data, err := os.ReadFile("testdata/keytool-guide.jks")
	if err != nil {
		log.Fatal(err)
	}
	before, _ := keystore.List(data, password)
	fmt.Println("before:", before.Entries[0].Alias, keystore.ValidateAlias(before.Entries[0].Alias) == nil)

	renamed, err := keystore.RenameJKSAlias(data, password, "1", "My_JWT_Cert")
	if err != nil {
		log.Fatal(err)
	}
	after, _ := keystore.List(renamed, password)
	fmt.Println("after:", after.Entries[0].Alias, after.Entries[0].Type)
	// Output:
	// before: 1 false
	// after: my_jwt_cert PrivateKeyEntry
}

func ExampleValidateAlias() {
	for _, alias := range []string{"My_JWT_Cert", "1", "my cert", "a__b"} {
		var ae *keystore.AliasError
		if err := keystore.ValidateAlias(alias); errors.As(err, &ae) {
			fmt.Printf("%q: %s; try %q\n", alias, ae.Reason, ae.Suggestion)
		} else {
			fmt.Printf("%q: valid\n", alias)
		}
	}
	// Output:
	// "My_JWT_Cert": valid
	// "1": it must begin with a letter; try "cert_1"
	// "my cert": it contains ' '; only letters, digits and underscores are allowed; try "my_cert"
	// "a__b": it must not contain two underscores in a row; try "a_b"
}

// A PKCS#12 file from "openssl pkcs12 -export -name My_JWT_Cert" becomes a JKS whose alias is
// the friendly name; without -name, the alias given (or one derived from the certificate).
func ExampleConvertPKCS12ToJKS() {
	password := []byte("changeit-123") // the test fixture's password
	p12, err := os.ReadFile("testdata/openssl3-named.p12")
	if err != nil {
		log.Fatal(err)
	}
	_, alias, err := keystore.ConvertPKCS12ToJKS(p12, password, password, "")
	fmt.Println(alias, err)

	_, err = keystore.DecodePKCS12(p12, []byte("not-the-password"))
	fmt.Println(errors.Is(err, keystore.ErrWrongPassword))
	// Output:
	// my_jwt_cert <nil>
	// true
}

func ExampleList() {
	l, err := keystore.ListFile("testdata/keytool-two-entries.jks", []byte("changeit-123"))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range l.Entries {
		fmt.Println(e.Alias, e.Type, e.NotAfter.Year(), e.SHA256[:8])
	}
	// Output:
	// 1 PrivateKeyEntry 2036 34:FA:17
	// test_ca trustedCertEntry 2036 34:FA:17
}

func ExampleDetectFormat() {
	for _, name := range []string{"keytool-guide.jks", "openssl3-default.p12", "test-cert.pem"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(name, keystore.DetectFormat(data))
	}
	// Output:
	// keytool-guide.jks JKS
	// openssl3-default.p12 PKCS#12
	// test-cert.pem unknown
}
