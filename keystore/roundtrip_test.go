package keystore

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
)

func TestJKSRoundTrip(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	created := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	e := &KeyEntry{Alias: "My_JWT_Cert", Key: f.key, Certificate: f.leaf, Chain: []*x509.Certificate{f.ca}, Created: created}
	data := mustJKS(t, e, testPassword)
	got, err := DecodeJKS(data, []byte(testPassword), "")
	if err != nil {
		t.Fatalf("DecodeJKS: %v", err)
	}
	if got.Alias != "my_jwt_cert" {
		t.Errorf("alias = %q, want my_jwt_cert (lower-cased as Java does)", got.Alias)
	}
	if !f.key.Equal(got.Key) || !got.Certificate.Equal(f.leaf) || len(got.Chain) != 1 || !got.Chain[0].Equal(f.ca) {
		t.Errorf("decoded entry differs from the one encoded")
	}
	if !got.Created.Equal(created) {
		t.Errorf("created = %v, want %v", got.Created, created)
	}
	// What is inside: PKCS#8 key, type X.509, key password == store password.
	ks := jks.New()
	if err := ks.Load(bytesReader(data), []byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	pke, err := ks.GetPrivateKeyEntry("my_jwt_cert", []byte(testPassword))
	if err != nil {
		t.Fatalf("key password is not the store password: %v", err)
	}
	if _, err := x509.ParsePKCS8PrivateKey(pke.PrivateKey); err != nil {
		t.Errorf("key is not PKCS#8: %v", err)
	}
	for i, c := range pke.CertificateChain {
		if c.Type != "X.509" {
			t.Errorf("certificate %d type = %q, want X.509", i, c.Type)
		}
	}
	if got := ks.Aliases(); len(got) != 1 || got[0] != "my_jwt_cert" {
		t.Errorf("aliases in file = %q, want [my_jwt_cert]", got)
	}
}

func TestPKCS12RoundTrip(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	for _, enc := range []PKCS12Encoding{PKCS12Modern, PKCS12LegacyDES} {
		data := mustPKCS12(t, &KeyEntry{Key: f.key, Certificate: f.leaf, Chain: []*x509.Certificate{f.ca}}, "pässwörd-ünicode", enc)
		got, err := DecodePKCS12(data, []byte("pässwörd-ünicode"))
		if err != nil {
			t.Fatalf("encoding %d: DecodePKCS12: %v", enc, err)
		}
		if !f.key.Equal(got.Key) || !got.Certificate.Equal(f.leaf) || len(got.Chain) != 1 || !got.Chain[0].Equal(f.ca) {
			t.Errorf("encoding %d: decoded entry differs", enc)
		}
		if got.Alias != "" {
			t.Errorf("encoding %d: alias = %q, want none", enc, got.Alias)
		}
		// With an alias, the key bag gets a friendly name and the MAC still verifies.
		named := mustPKCS12(t, &KeyEntry{Alias: "My_JWT_Cert", Key: f.key, Certificate: f.cert}, "pässwörd-ünicode", enc)
		got, err = DecodePKCS12(named, []byte("pässwörd-ünicode"))
		if err != nil || got.Alias != "My_JWT_Cert" || !f.key.Equal(got.Key) {
			t.Errorf("encoding %d: named PKCS#12: alias %v, %v", enc, got, err)
		}
		if _, err := DecodePKCS12(named, []byte("wrong-password")); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("encoding %d: named PKCS#12 with a wrong password: %v", enc, err)
		}
	}
	if _, err := EncodePKCS12(&KeyEntry{Alias: "1", Key: f.key, Certificate: f.cert}, []byte(testPassword), PKCS12Modern); !errors.Is(err, ErrInvalidAlias) {
		t.Errorf("PKCS#12 with alias 1: %v, want ErrInvalidAlias", err)
	}
	if _, err := PKCS12Encoding(7).encoder(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown encoding: %v, want ErrUnsupported", err)
	}
}

func TestConvertAliasChoice(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	pw := []byte(testPassword)
	p12 := mustPKCS12(t, f.entry(""), testPassword, PKCS12Modern)
	tests := []struct {
		name, alias, want string
	}{
		{"given alias when no friendly name", "Given_Name", "given_name"},
		{"derived from CN when none given", "", "my_jwt_cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, alias, err := ConvertPKCS12ToJKS(p12, pw, pw, tt.alias)
			if err != nil {
				t.Fatal(err)
			}
			if alias != tt.want {
				t.Errorf("alias = %q, want %q", alias, tt.want)
			}
			if _, err := DecodeJKS(data, pw, tt.want); err != nil {
				t.Errorf("DecodeJKS(%q): %v", tt.want, err)
			}
		})
	}
}

func TestRenameKeepsOtherEntries(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	d1 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	d2 := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	ks := jks.New()
	if err := ks.SetPrivateKeyEntry("1", rawEntry(t, f, nil, d1), []byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	other := rawEntry(t, f, nil, d2)
	if err := ks.SetPrivateKeyEntry("other", other, []byte("other-key-password")); err != nil {
		t.Fatal(err)
	}
	if err := ks.SetTrustedCertificateEntry("ca", jks.TrustedCertificateEntry{CreationTime: d2, Certificate: jks.Certificate{Type: "X.509", Content: f.ca.Raw}}); err != nil {
		t.Fatal(err)
	}
	data := storeRaw(t, ks, testPassword)

	out, err := RenameJKSAlias(data, []byte(testPassword), "1", "Salesforce_Cert")
	if err != nil {
		t.Fatalf("RenameJKSAlias: %v", err)
	}
	back := jks.New()
	if err := back.Load(bytesReader(out), []byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	if got := back.Aliases(); len(got) != 3 || !contains(got, "salesforce_cert") || contains(got, "1") {
		t.Errorf("aliases = %q, want ca, other, salesforce_cert", got)
	}
	renamed, err := back.GetPrivateKeyEntry("salesforce_cert", []byte(testPassword))
	if err != nil || !renamed.CreationTime.Equal(d1) {
		t.Errorf("renamed entry: created %v err %v, want %v", renamed.CreationTime, err, d1)
	}
	kept, err := back.GetPrivateKeyEntry("other", []byte("other-key-password"))
	if err != nil || !kept.CreationTime.Equal(d2) {
		t.Errorf("other entry: created %v err %v, want %v", kept.CreationTime, err, d2)
	}
	tce, err := back.GetTrustedCertificateEntry("ca")
	if err != nil || !tce.CreationTime.Equal(d2) {
		t.Errorf("ca entry: created %v err %v", tce.CreationTime, err)
	}
	// Renaming a trusted certificate entry works too, and same-name is a no-op.
	out2, err := RenameJKSAlias(out, []byte(testPassword), "ca", "root_ca")
	if err != nil {
		t.Fatalf("rename trusted entry: %v", err)
	}
	l, err := List(out2, []byte(testPassword))
	if err != nil || len(l.Entries) != 3 || l.Entries[1].Alias != "root_ca" || l.Entries[1].Type != TrustedCertEntry {
		t.Errorf("after renaming ca: %+v, %v", l, err)
	}
	same, err := RenameJKSAlias(out, []byte(testPassword), "SALESFORCE_CERT", "Salesforce_Cert")
	if err != nil || string(same) != string(out) {
		t.Errorf("same-name rename changed the data or failed: %v", err)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	pw := []byte(testPassword)
	jksData := mustJKS(t, &KeyEntry{Alias: "My_Cert", Key: f.key, Certificate: f.cert}, testPassword)
	p12 := mustPKCS12(t, f.entry(""), testPassword, PKCS12LegacyDES)
	for _, tc := range []struct {
		data   []byte
		format Format
		alias  string
	}{{jksData, FormatJKS, "my_cert"}, {p12, FormatPKCS12, ""}} {
		l, err := List(tc.data, pw)
		if err != nil {
			t.Fatalf("%v: List: %v", tc.format, err)
		}
		if l.Format != tc.format || len(l.Entries) != 1 {
			t.Fatalf("%v: listing = %+v", tc.format, l)
		}
		e := l.Entries[0]
		want := EntryInfo{Alias: tc.alias, Type: PrivateKeyEntry, Subject: "CN=My JWT Cert,O=Example",
			NotAfter: f.cert.NotAfter, SHA256: fingerprint(f.cert), ChainLength: 1, SuggestedAlias: "My_JWT_Cert"}
		if e != want {
			t.Errorf("%v: entry = %+v, want %+v", tc.format, e, want)
		}
	}
}
