package certgen

import (
	"testing"
)

func BenchmarkGenerateKey2048(b *testing.B) {
	for b.Loop() {
		if _, err := GenerateKey(2048); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteBundle measures the guide's whole bundle: key generation, encryption with
// 600,000 PBKDF2 iterations, CSR, certificate and five atomic file writes.
func BenchmarkWriteBundle(b *testing.B) {
	subject := testSubject()
	for b.Loop() {
		dir := b.TempDir()
		if _, err := WriteBundle(dir, BundleOptions{Subject: subject, Password: []byte("bench-password")}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEncryptedKey measures reading server.pass.key (dominated by PBKDF2).
func BenchmarkParseEncryptedKey(b *testing.B) {
	data, err := EncodeEncryptedPKCS8PEM(testKey(), []byte("bench-password"), nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParsePrivateKeyPEM(data, []byte("bench-password")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePKCS8Key(b *testing.B) {
	data, _ := EncodePKCS8PEM(testKey())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePrivateKeyPEM(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
