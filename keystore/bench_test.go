package keystore

import (
	"testing"
)

// Benchmarks: go test ./keystore -run '^$' -bench . -benchmem
// The guide's tool path is timed separately (see the report / BENCHMARKS.md); these measure
// the in-process work only.

func BenchmarkEncodeJKS(b *testing.B) {
	f := testFixtures(b)
	e := f.entry("my_jwt_cert")
	pw := []byte(testPassword)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeJKS(e, pw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodePKCS12(b *testing.B) {
	f := testFixtures(b)
	e := f.entry("")
	pw := []byte(testPassword)
	for _, enc := range []struct {
		name string
		enc  PKCS12Encoding
	}{{"Modern", PKCS12Modern}, {"LegacyDES", PKCS12LegacyDES}} {
		b.Run(enc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EncodePKCS12(e, pw, enc.enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodeJKS(b *testing.B) {
	f := testFixtures(b)
	data := mustJKS(b, f.entry("my_jwt_cert"), testPassword)
	pw := []byte(testPassword)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeJKS(data, pw, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePKCS12(b *testing.B) {
	f := testFixtures(b)
	data := mustPKCS12(b, f.entry(""), testPassword, PKCS12Modern)
	pw := []byte(testPassword)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodePKCS12(data, pw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportBoth is what "sfjwt keystore export --jks --p12" does minus reading the PEM
// files: encode both, read both back as a self-check, write both atomically (fsync included).
func BenchmarkExportBoth(b *testing.B) {
	f := testFixtures(b)
	dir := b.TempDir()
	cfg := ExportConfig{Key: f.key, Certificate: f.cert, Alias: "my_jwt_cert", Password: []byte(testPassword),
		JKSPath: dir + "/servercert.jks", PKCS12Path: dir + "/keystore.p12", Overwrite: true}
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
