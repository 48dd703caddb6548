package pbes2

import (
	"bytes"
	"crypto/aes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"testing"
)

func TestEncryptDecryptRoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 15, 16, 17, 1200} {
		plain := bytes.Repeat([]byte{0xAB}, n)
		enc, err := Encrypt(plain, []byte("pw"), 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decrypt(enc, []byte("pw"))
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%d bytes: round trip = %v, %v", n, len(got), err)
		}
		if _, err := Decrypt(enc, []byte("wrong")); err == nil {
			t.Errorf("%d bytes: wrong password accepted", n)
		}
	}
}

func TestEncryptWritesOpenSSLCompatibleParameters(t *testing.T) {
	t.Parallel()
	enc, err := Encrypt([]byte("x"), []byte("pw"), 0)
	if err != nil {
		t.Fatal(err)
	}
	var info encryptedPrivateKeyInfo
	asn1.Unmarshal(enc, &info)
	var params pbes2Params
	asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params)
	var kdf pbkdf2Params
	asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf)
	if kdf.IterationCount != DefaultIterations || len(kdf.Salt) != SaltSize {
		t.Errorf("iterations %d, salt %d bytes", kdf.IterationCount, len(kdf.Salt))
	}
	if !kdf.PRF.Algorithm.Equal(oidHMACSHA256) || !bytes.Equal(kdf.PRF.Parameters.FullBytes, asn1.NullBytes) {
		t.Errorf("PRF = %v with params %x, want HMAC-SHA256 with explicit NULL", kdf.PRF.Algorithm, kdf.PRF.Parameters.FullBytes)
	}
	if !params.EncryptionScheme.Algorithm.Equal(oidAES256CBC) {
		t.Errorf("cipher = %v", params.EncryptionScheme.Algorithm)
	}
}

// A PBKDF2 parameter set without a PRF means HMAC-SHA1 (RFC 8018 default).
func TestDecryptDefaultPRFIsSHA1(t *testing.T) {
	t.Parallel()
	salt, iv := []byte("saltsalt"), make([]byte, 16)
	kdf, _ := asn1.Marshal(struct {
		Salt []byte
		Iter int
	}{salt, 10})
	ivDER, _ := asn1.Marshal(iv)
	params, _ := asn1.Marshal(pbes2Params{
		KeyDerivationFunc: algorithmIdentifier{oidPBKDF2, asn1.RawValue{FullBytes: kdf}},
		EncryptionScheme:  algorithmIdentifier{oidAES256CBC, asn1.RawValue{FullBytes: ivDER}},
	})
	// Encrypt "hello" + padding with a key derived independently with HMAC-SHA1.
	k, _ := pbkdf2.Key(sha1.New, "pw", salt, 10, 32)
	block, _ := aes.NewCipher(k)
	plain := append([]byte("hello"), bytes.Repeat([]byte{11}, 11)...)
	ct := make([]byte, 16)
	for i := range plain { // CBC with a zero IV: one block
		plain[i] ^= iv[i]
	}
	block.Encrypt(ct, plain)
	der, _ := asn1.Marshal(encryptedPrivateKeyInfo{algorithmIdentifier{oidPBES2, asn1.RawValue{FullBytes: params}}, ct})
	got, err := Decrypt(der, []byte("pw"))
	if err != nil || string(got) != "hello" {
		t.Errorf("Decrypt = %q, %v", got, err)
	}
}

func TestDecryptRejectsBadInput(t *testing.T) {
	t.Parallel()
	good, _ := Encrypt([]byte("data"), []byte("pw"), 1000)
	tests := []struct {
		name string
		der  []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"trailing bytes", append(bytes.Clone(good), 0), ErrMalformed},
		{"truncated ciphertext", good[:len(good)-3], ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := Decrypt(tt.der, []byte("pw")); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := Encrypt([]byte("x"), []byte("pw"), MaxIterations+1); err == nil {
		t.Errorf("Encrypt accepted %d iterations", MaxIterations+1)
	}
}
