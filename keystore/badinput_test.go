package keystore

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/cytechint/sfjwt/certgen"
)

// rawJKS builds a JKS with keystore-go directly, for inputs this package refuses to write.
func rawJKS(t testing.TB, storePW string, entries map[string]jks.PrivateKeyEntry, keyPW string) []byte {
	t.Helper()
	ks := jks.New()
	for alias, e := range entries {
		if err := ks.SetPrivateKeyEntry(alias, e, []byte(keyPW)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(storePW)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func rawEntry(t testing.TB, f *fixtures, keyDER []byte, created time.Time) jks.PrivateKeyEntry {
	t.Helper()
	if keyDER == nil {
		var err error
		if keyDER, err = x509.MarshalPKCS8PrivateKey(f.key); err != nil {
			t.Fatal(err)
		}
	}
	return jks.PrivateKeyEntry{CreationTime: created, PrivateKey: keyDER,
		CertificateChain: []jks.Certificate{{Type: "X.509", Content: f.cert.Raw}}}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	pw := []byte(testPassword)
	goodJKS := mustJKS(t, f.entry("my_cert"), testPassword)
	goodP12 := mustPKCS12(t, f.entry(""), testPassword, PKCS12Modern)
	twoJKS := rawJKS(t, testPassword, map[string]jks.PrivateKeyEntry{
		"one": rawEntry(t, f, nil, time.Now()), "two": rawEntry(t, f, nil, time.Now())}, testPassword)
	corrupted := bytes.Clone(goodJKS)
	corrupted[len(corrupted)-30] ^= 0x01 // inside the certificate, before the digest
	noKeyP12, err := pkcs12.Modern2023.EncodeTrustStore([]*x509.Certificate{f.cert}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	encodeJKS := func(e *KeyEntry, pw string) func() error {
		return func() error { _, err := EncodeJKS(e, []byte(pw)); return err }
	}
	decodeJKS := func(data []byte, pw, alias string) func() error {
		return func() error { _, err := DecodeJKS(data, []byte(pw), alias); return err }
	}
	decodeP12 := func(data []byte, pw string) func() error {
		return func() error { _, err := DecodePKCS12(data, []byte(pw)); return err }
	}
	rename := func(data []byte, from, to string) func() error {
		return func() error { _, err := RenameJKSAlias(data, pw, from, to); return err }
	}
	list := func(data []byte) func() error {
		return func() error { _, err := List(data, pw); return err }
	}
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"short password", encodeJKS(f.entry("ok"), "12345"), ErrShortPassword},
		{"short password p12", func() error { _, err := EncodePKCS12(f.entry(""), []byte("abc"), PKCS12Modern); return err }, ErrShortPassword},
		{"non-ASCII JKS password", encodeJKS(f.entry("ok"), "pässwörd"), ErrPasswordNotASCII},
		{"wrong JKS store password", decodeJKS(goodJKS, "wrong-password", ""), ErrWrongPassword},
		{"wrong PKCS#12 password", decodeP12(goodP12, "wrong-password"), ErrWrongPassword},
		{"JKS key password differs", decodeJKS(rawJKS(t, testPassword, map[string]jks.PrivateKeyEntry{"k": rawEntry(t, f, nil, time.Now())}, "other-key-pw"), testPassword, "k"), ErrWrongKeyPassword},
		{"alias 1", encodeJKS(f.entry("1"), testPassword), ErrInvalidAlias},
		{"alias with space", encodeJKS(f.entry("my cert"), testPassword), ErrInvalidAlias},
		{"alias leading underscore", encodeJKS(f.entry("_x"), testPassword), ErrInvalidAlias},
		{"alias trailing underscore", encodeJKS(f.entry("x_"), testPassword), ErrInvalidAlias},
		{"alias double underscore", encodeJKS(f.entry("a__b"), testPassword), ErrInvalidAlias},
		{"alias 65 chars", encodeJKS(f.entry(strings.Repeat("a", 65)), testPassword), ErrInvalidAlias},
		{"alias not found", decodeJKS(goodJKS, testPassword, "nope"), ErrAliasNotFound},
		{"rename alias not found", rename(goodJKS, "1", "new_name"), ErrAliasNotFound},
		{"rename target taken", rename(twoJKS, "one", "TWO"), ErrAliasExists},
		{"rename invalid target", rename(goodJKS, "my_cert", "1"), ErrInvalidAlias},
		{"several keys, no alias", decodeJKS(twoJKS, testPassword, ""), ErrAliasRequired},
		{"key/cert mismatch", encodeJKS(&KeyEntry{Alias: "ok", Key: f.key, Certificate: f.otherCert}, testPassword), certgen.ErrKeyMismatch},
		{"1024-bit key", encodeJKS(&KeyEntry{Alias: "ok", Key: f.small, Certificate: f.smallCert}, testPassword), certgen.ErrKeySize},
		{"EC key", encodeJKS(&KeyEntry{Alias: "ok", Key: f.ec, Certificate: f.ecCert}, testPassword), certgen.ErrNotRSA},
		{"EC key p12", func() error {
			_, err := EncodePKCS12(&KeyEntry{Key: f.ec, Certificate: f.ecCert}, pw, PKCS12Modern)
			return err
		}, certgen.ErrNotRSA},
		{"no certificate", encodeJKS(&KeyEntry{Alias: "ok", Key: f.key}, testPassword), ErrNoCertificate},
		{"corrupted JKS (digest mismatch)", decodeJKS(corrupted, testPassword, ""), ErrCorrupt},
		{"truncated JKS", decodeJKS(goodJKS[:len(goodJKS)-25], testPassword, ""), ErrCorrupt},
		{"JKS trailing data", decodeJKS(append(bytes.Clone(goodJKS), 0), testPassword, ""), ErrCorrupt},
		{"JKS with PKCS#1 key", decodeJKS(rawJKS(t, testPassword, map[string]jks.PrivateKeyEntry{"k": rawEntry(t, f, x509.MarshalPKCS1PrivateKey(f.key), time.Now())}, testPassword), testPassword, ""), ErrCorrupt},
		{"truncated PKCS#12", decodeP12(goodP12[:len(goodP12)/2], testPassword), ErrCorrupt},
		{"BER PKCS#12", decodeP12(append(append([]byte{0x30, 0x80}, goodP12[4:]...), 0, 0), testPassword), ErrUnsupported},
		{"PKCS#12 with no key", decodeP12(noKeyP12, testPassword), ErrNoPrivateKey},
		{"neither format", list([]byte("hello, this is not a keystore")), ErrUnknownFormat},
		{"PEM instead of keystore", list(certgen.EncodeCertificatePEM(f.cert.Raw)), ErrUnknownFormat},
		{"empty file", list(nil), ErrUnknownFormat},
		{"JCEKS", list([]byte{0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0, 2}), ErrUnknownFormat},
		{"JKS given as PKCS#12", decodeP12(goodJKS, testPassword), ErrWrongFormat},
		{"PKCS#12 given as JKS", decodeJKS(goodP12, testPassword, ""), ErrWrongFormat},
		{"export without output", func() error { return Export(ExportConfig{Key: f.key, Certificate: f.cert, Alias: "a", Password: pw}) }, ErrNoOutput},
		{"convert with invalid alias", func() error { _, _, err := ConvertPKCS12ToJKS(goodP12, pw, pw, "my cert"); return err }, ErrInvalidAlias},
		{"convert PKCS#12 with no key", func() error { _, _, err := ConvertPKCS12ToJKS(noKeyP12, pw, pw, "a"); return err }, ErrNoPrivateKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.op()
			if !errors.Is(err, tt.want) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}
