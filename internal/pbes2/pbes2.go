// Package pbes2 encrypts and decrypts PKCS#8 EncryptedPrivateKeyInfo structures with PBES2
// (RFC 8018): PBKDF2 with HMAC-SHA-1/224/256/384/512 and AES-128/192/256-CBC or DES-EDE3-CBC,
// the forms OpenSSL writes for "ENCRYPTED PRIVATE KEY" PEM files.
//
// Decryption checks padding strictly and bounds every parameter an attacker controls
// (iteration count, salt and IV length, key length), so hostile input yields an error,
// never a panic or an unbounded computation.
package pbes2

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// Limits applied when decrypting.
const (
	// MaxIterations bounds the PBKDF2 iteration count accepted on read (a hostile file could
	// otherwise ask for billions). OpenSSL writes 2048; we write 600,000.
	MaxIterations = 10_000_000
	// DefaultIterations is the PBKDF2 iteration count Encrypt uses when none is given
	// (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
	DefaultIterations = 600_000
	// SaltSize is the salt length Encrypt uses.
	SaltSize = 16
)

var (
	// ErrDecrypt means the password is wrong or the data is corrupt: with CBC the two cannot
	// be told apart beyond the padding check and the parse of the result.
	ErrDecrypt = errors.New("decryption failed")
	// ErrUnsupported means the file uses an algorithm this package does not implement.
	ErrUnsupported = errors.New("unsupported encryption algorithm")
	// ErrMalformed means the structure is not a valid EncryptedPrivateKeyInfo.
	ErrMalformed = errors.New("malformed encrypted key structure")
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	// PBES1 schemes (PKCS#5 v1.5 and PKCS#12), recognised only to name them in errors.
	oidPBES1Prefix  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5}
	oidPKCS12Prefix = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}

	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}

	oidAES128CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3   = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm     algorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc algorithmIdentifier
	EncryptionScheme  algorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                 `asn1:"optional"`
	PRF            algorithmIdentifier `asn1:"optional"`
}

type prf struct {
	oid  asn1.ObjectIdentifier
	hash func() hash.Hash
}

var prfs = []prf{
	{oidHMACSHA1, sha1.New},
	{oidHMACSHA224, sha256.New224},
	{oidHMACSHA256, sha256.New},
	{oidHMACSHA384, sha512.New384},
	{oidHMACSHA512, sha512.New},
}

type blockCipher struct {
	oid    asn1.ObjectIdentifier
	name   string
	keyLen int
	new    func(key []byte) (cipher.Block, error)
}

var ciphers = []blockCipher{
	{oidAES128CBC, "AES-128-CBC", 16, aes.NewCipher},
	{oidAES192CBC, "AES-192-CBC", 24, aes.NewCipher},
	{oidAES256CBC, "AES-256-CBC", 32, aes.NewCipher},
	{oidDESEDE3, "DES-EDE3-CBC", 24, des.NewTripleDESCipher},
}

// IsEncryptedPrivateKeyInfo reports whether der parses as an EncryptedPrivateKeyInfo.
func IsEncryptedPrivateKeyInfo(der []byte) bool {
	var info encryptedPrivateKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	return err == nil && len(rest) == 0
}

// Decrypt returns the PKCS#8 PrivateKeyInfo DER inside an EncryptedPrivateKeyInfo.
// A wrong password yields ErrDecrypt (or, rarely, garbage that the caller's PKCS#8 parse
// rejects: callers should treat that parse failure as a wrong password too).
func Decrypt(der, password []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	if err != nil || len(rest) != 0 {
		return nil, ErrMalformed
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, unsupportedScheme(info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) != 0 {
		return nil, ErrMalformed
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("%w: key derivation %v (only PBKDF2 is supported; scrypt keys can be converted with openssl pkcs8 -topk8 -v2 aes-256-cbc)", ErrUnsupported, params.KeyDerivationFunc.Algorithm)
	}
	bc, iv, err := cipherFor(params.EncryptionScheme)
	if err != nil {
		return nil, err
	}
	key, err := deriveKey(params.KeyDerivationFunc, password, bc.keyLen)
	if err != nil {
		return nil, err
	}
	return decryptCBC(bc, key, iv, info.EncryptedData)
}

func unsupportedScheme(oid asn1.ObjectIdentifier) error {
	if hasPrefix(oid, oidPBES1Prefix) || hasPrefix(oid, oidPKCS12Prefix) {
		return fmt.Errorf("%w: legacy PBES1 encryption %v; convert the key with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.key -out NEW.key", ErrUnsupported, oid)
	}
	return fmt.Errorf("%w: %v", ErrUnsupported, oid)
}

func hasPrefix(oid, prefix asn1.ObjectIdentifier) bool {
	return len(oid) > len(prefix) && oid[:len(prefix)].Equal(prefix)
}

func cipherFor(scheme algorithmIdentifier) (blockCipher, []byte, error) {
	for _, bc := range ciphers {
		if !scheme.Algorithm.Equal(bc.oid) {
			continue
		}
		var iv []byte
		if rest, err := asn1.Unmarshal(scheme.Parameters.FullBytes, &iv); err != nil || len(rest) != 0 {
			return blockCipher{}, nil, ErrMalformed
		}
		block, err := bc.new(make([]byte, bc.keyLen))
		if err != nil {
			return blockCipher{}, nil, err
		}
		if len(iv) != block.BlockSize() {
			return blockCipher{}, nil, fmt.Errorf("%w: IV of %d bytes for %s", ErrMalformed, len(iv), bc.name)
		}
		return bc, iv, nil
	}
	return blockCipher{}, nil, fmt.Errorf("%w: cipher %v (supported: AES-128/192/256-CBC, DES-EDE3-CBC)", ErrUnsupported, scheme.Algorithm)
}

func deriveKey(kdf algorithmIdentifier, password []byte, keyLen int) ([]byte, error) {
	var p pbkdf2Params
	if rest, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil || len(rest) != 0 {
		return nil, ErrMalformed
	}
	if p.IterationCount < 1 || p.IterationCount > MaxIterations {
		return nil, fmt.Errorf("%w: PBKDF2 iteration count %d outside 1..%d", ErrMalformed, p.IterationCount, MaxIterations)
	}
	if len(p.Salt) == 0 || len(p.Salt) > 1024 {
		return nil, fmt.Errorf("%w: PBKDF2 salt of %d bytes", ErrMalformed, len(p.Salt))
	}
	if p.KeyLength != 0 && p.KeyLength != keyLen {
		return nil, fmt.Errorf("%w: PBKDF2 key length %d does not fit the cipher", ErrMalformed, p.KeyLength)
	}
	h := sha1.New // RFC 8018 default PRF when absent
	if len(p.PRF.Algorithm) > 0 {
		h = nil
		for _, f := range prfs {
			if p.PRF.Algorithm.Equal(f.oid) {
				h = f.hash
			}
		}
		if h == nil {
			return nil, fmt.Errorf("%w: PBKDF2 PRF %v", ErrUnsupported, p.PRF.Algorithm)
		}
	}
	return pbkdf2.Key(h, string(password), p.Salt, p.IterationCount, keyLen)
}

func decryptCBC(bc blockCipher, key, iv, data []byte) ([]byte, error) {
	block, err := bc.new(key)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, fmt.Errorf("%w: ciphertext length %d is not a multiple of the block size (truncated file?)", ErrMalformed, len(data))
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > bs {
		return nil, ErrDecrypt
	}
	want := make([]byte, pad)
	for i := range want {
		want[i] = byte(pad)
	}
	if subtle.ConstantTimeCompare(out[len(out)-pad:], want) != 1 {
		return nil, ErrDecrypt
	}
	return out[:len(out)-pad], nil
}

// Encrypt wraps a PKCS#8 PrivateKeyInfo DER in an EncryptedPrivateKeyInfo using PBES2 with
// PBKDF2-HMAC-SHA256 (16-byte random salt, iterations rounds; 0 means DefaultIterations) and
// AES-256-CBC, the scheme "openssl genpkey -aes-256-cbc" writes. The PRF parameters carry an
// explicit NULL, as OpenSSL writes them.
func Encrypt(pkcs8, password []byte, iterations int) ([]byte, error) {
	if iterations == 0 {
		iterations = DefaultIterations
	}
	if iterations < 1 || iterations > MaxIterations {
		return nil, fmt.Errorf("pbes2: iteration count %d outside 1..%d", iterations, MaxIterations)
	}
	salt := make([]byte, SaltSize)
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha256.New, string(password), salt, iterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(pkcs8)%aes.BlockSize
	buf := make([]byte, len(pkcs8)+pad)
	copy(buf, pkcs8)
	for i := len(pkcs8); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return marshal(salt, iterations, iv, buf)
}

func marshal(salt []byte, iterations int, iv, ciphertext []byte) ([]byte, error) {
	null := asn1.RawValue{FullBytes: asn1.NullBytes}
	kdfParams, err := asn1.Marshal(pbkdf2Params{
		Salt: salt, IterationCount: iterations,
		PRF: algorithmIdentifier{Algorithm: oidHMACSHA256, Parameters: null},
	})
	if err != nil {
		return nil, err
	}
	ivBytes, err := asn1.Marshal(iv)
	if err != nil {
		return nil, err
	}
	params, err := asn1.Marshal(pbes2Params{
		KeyDerivationFunc: algorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: kdfParams}},
		EncryptionScheme:  algorithmIdentifier{Algorithm: oidAES256CBC, Parameters: asn1.RawValue{FullBytes: ivBytes}},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     algorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}},
		EncryptedData: ciphertext,
	})
}
