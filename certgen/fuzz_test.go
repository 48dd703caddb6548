package certgen

import (
	"bytes"
	"crypto"
	"testing"
)

// FuzzParsePrivateKeyPEM checks that no input makes the key parser panic, and that a key it
// accepts re-encodes to a key it parses identically.
//
//	go test -run x -fuzz FuzzParsePrivateKeyPEM -fuzztime 5m ./certgen
func FuzzParsePrivateKeyPEM(f *testing.F) {
	key := testKey()
	pkcs8, _ := EncodePKCS8PEM(key)
	f.Add(pkcs8, []byte(""))
	f.Add(EncodePKCS1PEM(key), []byte(""))
	f.Add(fastEncrypt(f, key, "fuzz-pass"), []byte("fuzz-pass"))
	f.Add(fastEncrypt(f, key, "fuzz-pass"), []byte("wrong"))
	f.Add(bytes.ReplaceAll(pkcs8, []byte("\n"), []byte("\r\n")), []byte(""))
	f.Add(EncodeCertificatePEM(mustCert(f, key)), []byte(""))
	f.Add([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"), []byte("x"))
	f.Add([]byte("\xff\xfe-\x00-\x00"), []byte(""))
	f.Fuzz(func(t *testing.T, data, password []byte) {
		k, err := ParsePrivateKeyPEM(data, password)
		if err != nil {
			return
		}
		again, err := EncodePKCS8PEM(k)
		if err != nil {
			return // e.g. a key type PKCS#8 cannot hold
		}
		k2, err := ParsePrivateKeyPEM(again, nil)
		if err != nil {
			t.Fatalf("re-encoded key does not parse: %v", err)
		}
		if !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(k2.Public()) {
			t.Fatalf("re-encoded key differs")
		}
	})
}

// FuzzParseCertificatePEM checks that no input makes the certificate parser panic.
func FuzzParseCertificatePEM(f *testing.F) {
	der := mustCert(f, testKey())
	f.Add(EncodeCertificatePEM(der))
	f.Add(der)
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificatePEM(data)
		if err == nil && c == nil {
			t.Fatal("nil certificate without error")
		}
	})
}
