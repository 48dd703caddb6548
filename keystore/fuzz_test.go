package keystore

import (
	"crypto/sha1"
	"encoding/asn1"
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
		// The fixtures and the seeds share one password (testPassword == fixturePassword).
		pw := []byte(testPassword)
		for _, d := range [][]byte{data, withJKSDigest(data, testPassword)} {
			_, err := DecodeJKS(d, pw, "")
			checkKnownError(t, "DecodeJKS", err)
			_, err = List(d, pw)
			checkKnownError(t, "List", err)
			out, err := RenameJKSAlias(d, pw, "1", "renamed")
			checkKnownError(t, "RenameJKSAlias", err)
			if err == nil {
				if _, err := List(out, pw); err != nil {
					t.Errorf("renamed keystore does not list: %v", err)
				}
			}
		}
	})
}

// withPKCS12MAC recomputes the MAC of a PKCS#12 file for password, so fuzzed content gets
// past the integrity check into bag parsing and decryption. Data that does not parse as a
// PFX is returned unchanged.
func withPKCS12MAC(data []byte, password string) []byte {
	top, err := children(data, asn1.TagSequence)
	if err != nil || len(top) != 3 {
		return data
	}
	content, err := dataContentInfoOctets(top[1])
	if err != nil {
		return data
	}
	mac, err := remac(top[2], content, []byte(password))
	if err != nil {
		return data
	}
	return seq(top[0], top[1], mac)
}

func FuzzPKCS12(f *testing.F) {
	addFixtureSeeds(f, "p12")
	fx := testFixtures(f)
	f.Add(mustPKCS12(f, fx.entry("Seed_Name"), fixturePassword, PKCS12Modern))
	f.Add(mustPKCS12(f, fx.entry(""), fixturePassword, PKCS12LegacyDES))
	pw := []byte(fixturePassword)
	f.Fuzz(func(t *testing.T, data []byte) {
		findFriendlyName(data) // must not panic on anything
		for _, d := range [][]byte{data, withPKCS12MAC(data, fixturePassword)} {
			e, err := DecodePKCS12(d, pw)
			checkKnownError(t, "DecodePKCS12", err)
			if errors.Is(err, ErrNoPrivateKey) {
				_, lerr := List(d, pw)
				checkKnownError(t, "List", lerr)
			}
			if err != nil {
				continue
			}
			if e.Key == nil || e.Certificate == nil {
				t.Fatalf("DecodePKCS12 returned no error but an incomplete entry")
			}
			_, _, err = ConvertPKCS12ToJKS(d, pw, pw, "")
			if err != nil && !errorsIsAnyCertgen(err) {
				checkKnownError(t, "ConvertPKCS12ToJKS", err)
			}
		}
	})
}
