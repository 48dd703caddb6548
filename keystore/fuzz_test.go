package keystore

import (
	"crypto/sha1"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for the parsers of untrusted keystore bytes. Run each for a few minutes:
//
//	go test ./keystore -run '^$' -fuzz '^FuzzJKS$' -fuzztime 2m
//	go test ./keystore -run '^$' -fuzz '^FuzzPKCS12$' -fuzztime 2m
//
// Crashers found are fixed and kept under testdata/fuzz as regression seeds, which plain
// "go test" runs every time.

// knownErrors are the sentinels every error of this package must wrap.
var knownErrors = []error{
	ErrInvalidAlias, ErrAliasNotFound, ErrAliasExists, ErrAliasRequired, ErrShortPassword,
	ErrPasswordNotASCII, ErrWrongPassword, ErrWrongKeyPassword, ErrUnknownFormat, ErrWrongFormat,
	ErrCorrupt, ErrUnsupported, ErrNoPrivateKey, ErrNoCertificate,
}

func checkKnownError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, k := range knownErrors {
		if errors.Is(err, k) {
			return
		}
	}
	t.Errorf("%s: error %q wraps none of the package's sentinels", what, err)
}

// withJKSDigest replaces the last 20 bytes of data by the JKS integrity digest for password,
// so fuzzed bodies get past the digest check into entry parsing and key decryption.
func withJKSDigest(data []byte, password string) []byte {
	if len(data) < jksDigest {
		return data
	}
	body := data[:len(data)-jksDigest]
	h := sha1.New()
	for _, c := range []byte(password) {
		h.Write([]byte{0, c})
	}
	h.Write([]byte("Mighty Aphrodite"))
	h.Write(body)
	return h.Sum(append([]byte(nil), body...))
}

func addFixtureSeeds(f *testing.F, ext string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*."+ext))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

func FuzzJKS(f *testing.F) {
	addFixtureSeeds(f, "jks")
	fx := testFixtures(f)
	f.Add(mustJKS(f, fx.entry("seed"), testPassword))
	f.Add([]byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, withJKSDigest(data, testPassword), withJKSDigest(data, fixturePassword)} {
			for _, pw := range []string{testPassword, fixturePassword} {
				_, err := DecodeJKS(d, []byte(pw), "")
				checkKnownError(t, "DecodeJKS", err)
				_, err = List(d, []byte(pw))
				checkKnownError(t, "List", err)
				out, err := RenameJKSAlias(d, []byte(pw), "1", "renamed")
				checkKnownError(t, "RenameJKSAlias", err)
				if err == nil {
					if _, err := List(out, []byte(pw)); err != nil {
						t.Errorf("renamed keystore does not list: %v", err)
					}
				}
			}
		}
	})
}

func FuzzPKCS12(f *testing.F) {
	addFixtureSeeds(f, "p12")
	fx := testFixtures(f)
	f.Add(mustPKCS12(f, fx.entry(""), fixturePassword, PKCS12Modern))
	f.Add(mustPKCS12(f, fx.entry(""), fixturePassword, PKCS12LegacyDES))
	f.Fuzz(func(t *testing.T, data []byte) {
		findFriendlyName(data) // must not panic on anything
		e, err := DecodePKCS12(data, []byte(fixturePassword))
		checkKnownError(t, "DecodePKCS12", err)
		if err == nil && (e.Key == nil || e.Certificate == nil) {
			t.Errorf("DecodePKCS12 returned no error but an incomplete entry")
		}
		_, err = List(data, []byte(fixturePassword))
		checkKnownError(t, "List", err)
		_, _, err = ConvertPKCS12ToJKS(data, []byte(fixturePassword), []byte(testPassword), "")
		if err != nil && !errorsIsAnyCertgen(err) {
			checkKnownError(t, "ConvertPKCS12ToJKS", err)
		}
	})
}
