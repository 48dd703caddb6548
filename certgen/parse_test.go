package certgen

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParsePrivateKeyPEMForms(t *testing.T) {
	t.Parallel()
	key := testKey()
	pkcs8, err := EncodePKCS8PEM(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := EncodePKCS1PEM(key)
	enc := fastEncrypt(t, key, "s3cret-pass")
	crlf := bytes.ReplaceAll(pkcs8, []byte("\n"), []byte("\r\n"))
	bom := append([]byte("\xef\xbb\xbf"), pkcs1...)
	withPrefix := append([]byte("Bag Attributes\n    friendlyName: x\n"), pkcs8...)
	certPlusKey := append(EncodeCertificatePEM(mustCert(t, key)), pkcs8...)
	tests := []struct {
		name     string
		data     []byte
		password string
	}{
		{"PKCS#8", pkcs8, ""},
		{"PKCS#1", pkcs1, ""},
		{"encrypted PKCS#8", enc, "s3cret-pass"},
		{"password ignored for plain key", pkcs8, "unused"},
		{"CRLF line ends", crlf, ""},
		{"UTF-8 byte order mark", bom, ""},
		{"text before the PEM block", withPrefix, ""},
		{"certificate before the key", certPlusKey, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePrivateKeyPEM(tt.data, []byte(tt.password))
			if err != nil {
				t.Fatalf("ParsePrivateKeyPEM: %v", err)
			}
			if !key.Equal(got) {
				t.Errorf("parsed key differs from the original")
			}
		})
	}
}

func TestParsePrivateKeyPEMReturnsECKeysForCheckRSAKey(t *testing.T) {
	t.Parallel()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil)
	if err != nil {
		t.Fatalf("ParsePrivateKeyPEM(EC): %v", err)
	}
	if err := CheckRSAKey(got.Public()); !errors.Is(err, ErrNotRSA) || !strings.Contains(err.Error(), "found an ECDSA (elliptic curve) key") {
		t.Errorf("CheckRSAKey(EC) = %v, want ErrNotRSA naming the ECDSA key", err)
	}
}

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// reArmour rewrites the body of the first PEM block of data with f applied to its bytes.
func reArmour(t testing.TB, data []byte, f func([]byte) []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block")
	}
	block.Bytes = f(bytes.Clone(block.Bytes))
	return pem.EncodeToMemory(block)
}

// encryptedWithParams builds an EncryptedPrivateKeyInfo PEM whose algorithm identifier is
// replaced by alg (DER), to exercise unsupported and hostile parameters.
func encryptedWithAlgorithm(t testing.TB, alg []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(struct {
		Algorithm asn1.RawValue
		Data      []byte
	}{asn1.RawValue{FullBytes: alg}, make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type algID struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

func pbes2Alg(t testing.TB, kdf algID, enc algID) []byte {
	params := mustMarshal(t, struct{ KDF, Enc algID }{kdf, enc})
	return mustMarshal(t, algID{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, asn1.RawValue{FullBytes: params}})
}

func TestParsePrivateKeyPEMBadInput(t *testing.T) {
	t.Parallel()
	key := testKey()
	pkcs8, _ := EncodePKCS8PEM(key)
	enc := fastEncrypt(t, key, "right-password")
	cert := EncodeCertificatePEM(mustCert(t, key))
	csrDER, err := CSR(key, testSubject())
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(key.Public())
	aes256 := algID{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, asn1.RawValue{FullBytes: mustMarshal(t, make([]byte, 16))}}
	pbkdf2 := func(iter int) algID {
		return algID{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, asn1.RawValue{FullBytes: mustMarshal(t, struct {
			Salt []byte
			Iter int
		}{make([]byte, 8), iter})}}
	}
	scrypt := algID{asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}, asn1.RawValue{FullBytes: asn1.NullBytes}}
	camellia := algID{asn1.ObjectIdentifier{1, 2, 392, 200011, 61, 1, 1, 1, 4}, asn1.RawValue{FullBytes: mustMarshal(t, make([]byte, 16))}}
	shortIV := algID{aes256.Algorithm, asn1.RawValue{FullBytes: mustMarshal(t, make([]byte, 3))}}
	pbes1 := mustMarshal(t, algID{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}, asn1.RawValue{FullBytes: mustMarshal(t, struct {
		Salt []byte
		Iter int
	}{make([]byte, 8), 2048})}})
	legacy := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{
		"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: make([]byte, 1200)})

	tests := []struct {
		name     string
		data     []byte
		password string
		want     error
		wantText string
	}{
		{"empty file", nil, "", ErrNotPEM, "empty"},
		{"plain text", []byte("hello, I am not a key\n"), "", ErrNotPEM, "BEGIN PRIVATE KEY"},
		{"DER bytes", mustMarshal(t, 42), "", ErrNotPEM, ""},
		{"certificate instead of key", cert, "", ErrNotPrivateKey, "server.crt"},
		{"CSR instead of key", EncodeCSRPEM(csrDER), "", ErrNotPrivateKey, "server.csr"},
		{"public key instead of key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), "", ErrNotPrivateKey, "public key"},
		{"UTF-16LE with BOM", utf16LE(string(pkcs8), true), "", ErrUTF16, "UTF-8"},
		{"UTF-16LE without BOM", utf16LE(string(pkcs8), false), "", ErrUTF16, ""},
		{"UTF-16BE with BOM", utf16BE(string(pkcs8)), "", ErrUTF16, ""},
		{"legacy Proc-Type encryption", legacy, "pw", ErrLegacyEncryptedPEM, "openssl pkcs8 -topk8"},
		{"encrypted key without password", enc, "", ErrPasswordRequired, "unencrypted server.key"},
		{"encrypted key with wrong password", enc, "wrong-password", ErrWrongPassword, ""},
		{"missing END line", pkcs8[:len(pkcs8)-30], "", ErrCorrupt, "armour"},
		{"bad base64", bytes.Replace(pkcs8, []byte("MII"), []byte("M!I"), 1), "", ErrCorrupt, ""},
		{"PKCS#8 truncated DER", reArmour(t, pkcs8, func(b []byte) []byte { return b[:len(b)/2] }), "", ErrCorrupt, ""},
		{"PKCS#1 garbage DER", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1, 2, 3}}), "", ErrCorrupt, ""},
		{"encrypted ciphertext truncated", reArmour(t, enc, func(b []byte) []byte { return b[:len(b)-5] }), "right-password", ErrCorrupt, ""},
		{"encrypted structure garbage", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0x03, 1, 2, 3}}), "pw", ErrCorrupt, ""},
		{"encrypted last block tampered", reArmour(t, enc, func(b []byte) []byte { b[len(b)-1] ^= 0x55; return b }), "right-password", ErrWrongPassword, ""},
		{"scrypt key derivation", encryptedWithAlgorithm(t, pbes2Alg(t, scrypt, aes256)), "pw", ErrUnsupportedEncryption, "scrypt"},
		{"unknown cipher", encryptedWithAlgorithm(t, pbes2Alg(t, pbkdf2(2048), camellia)), "pw", ErrUnsupportedEncryption, "AES"},
		{"PBES1 (PKCS#12 3DES)", encryptedWithAlgorithm(t, pbes1), "pw", ErrUnsupportedEncryption, "openssl pkcs8 -topk8"},
		{"hostile iteration count", encryptedWithAlgorithm(t, pbes2Alg(t, pbkdf2(2_000_000_000), aes256)), "pw", ErrCorrupt, "iteration count"},
		{"zero iteration count", encryptedWithAlgorithm(t, pbes2Alg(t, pbkdf2(0), aes256)), "pw", ErrCorrupt, "iteration count"},
		{"IV of wrong length", encryptedWithAlgorithm(t, pbes2Alg(t, pbkdf2(2048), shortIV)), "pw", ErrCorrupt, "IV"},
		{"encrypted key labelled PRIVATE KEY", reArmourType(t, enc, "PRIVATE KEY"), "", ErrCorrupt, "ENCRYPTED PRIVATE KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePrivateKeyPEM(tt.data, []byte(tt.password))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to say %q", err, tt.wantText)
			}
			if tt.password != "" && strings.Contains(err.Error(), tt.password) {
				t.Errorf("error text contains the password")
			}
		})
	}
}

func reArmourType(t testing.TB, data []byte, typ string) []byte {
	t.Helper()
	block, _ := pem.Decode(data)
	block.Type = typ
	return pem.EncodeToMemory(block)
}

func TestReadPrivateKeyFileErrorsNameTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := ReadPrivateKeyFile(dir+"/missing.key", nil)
	if err == nil || !strings.Contains(err.Error(), "missing.key") {
		t.Errorf("missing file: err = %v, want it to name the file", err)
	}
	_, err = ReadPrivateKeyFile(dir, nil)
	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("folder: err = %v, want it to say it is a directory", err)
	}
}

func TestCheckRSAKey(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		name string
		key  any
		want error
	}{
		{"RSA 2048 public", &testKey().PublicKey, nil},
		{"RSA 2048 private", testKey(), nil},
		{"RSA 1024", &small.PublicKey, ErrKeySize},
		{"ECDSA", &ec.PublicKey, ErrNotRSA},
		{"nil", nil, ErrNotRSA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckRSAKey(tt.key); !errors.Is(err, tt.want) {
				t.Errorf("CheckRSAKey = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestGenerateKeySizes(t *testing.T) {
	t.Parallel()
	for _, bits := range []int{1024, 1000, 2047, 2049, 8192, -1} {
		if _, err := GenerateKey(bits); !errors.Is(err, ErrKeySize) {
			t.Errorf("GenerateKey(%d) = %v, want ErrKeySize", bits, err)
		} else if !strings.Contains(err.Error(), "2048, 3072 or 4096") {
			t.Errorf("GenerateKey(%d) error %q does not list the allowed sizes", bits, err)
		}
	}
	sizes := map[int]int{0: 2048, 3072: 3072}
	if !testing.Short() {
		sizes[4096] = 4096
	}
	for in, want := range sizes {
		k, err := GenerateKey(in)
		if err != nil {
			t.Fatalf("GenerateKey(%d): %v", in, err)
		}
		if got := k.N.BitLen(); got != want {
			t.Errorf("GenerateKey(%d) made %d bits, want %d", in, got, want)
		}
	}
}

func TestEncodeEncryptedPKCS8PEMDefaults(t *testing.T) {
	t.Parallel()
	if _, err := EncodeEncryptedPKCS8PEM(testKey(), nil, nil); err == nil || !strings.Contains(err.Error(), "empty password") {
		t.Errorf("empty password: err = %v, want refusal", err)
	}
	data := fastEncrypt(t, testKey(), "pw123456")
	block, _ := pem.Decode(data)
	if block.Type != "ENCRYPTED PRIVATE KEY" {
		t.Fatalf("PEM type = %q", block.Type)
	}
	// The encryption algorithm is PBES2 with PBKDF2/HMAC-SHA256 and AES-256-CBC.
	for _, oid := range []asn1.ObjectIdentifier{{1, 2, 840, 113549, 1, 5, 13}, {1, 2, 840, 113549, 2, 9}, {2, 16, 840, 1, 101, 3, 4, 1, 42}} {
		if !bytes.Contains(block.Bytes, mustMarshal(t, oid)) {
			t.Errorf("encrypted key lacks OID %v", oid)
		}
	}
}
