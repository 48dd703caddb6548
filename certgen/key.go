package certgen

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/cytechint/sfjwt/internal/pbes2"
)

// DefaultKeyBits is the RSA key size GenerateKey uses for 0: the guide's 2048 bits.
const DefaultKeyBits = 2048

// AllowedKeyBits lists the RSA key sizes Salesforce imports.
var allowedKeyBits = []int{2048, 3072, 4096}

// GenerateKey returns a new RSA private key of bits bits. 0 means DefaultKeyBits; any size
// other than 2048, 3072 or 4096 fails with ErrKeySize.
func GenerateKey(bits int) (*rsa.PrivateKey, error) {
	if bits == 0 {
		bits = DefaultKeyBits
	}
	if !validBits(bits) {
		return nil, fmt.Errorf("certgen: %d bits: %w", bits, ErrKeySize)
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("certgen: generate key: %w", err)
	}
	return key, nil
}

func validBits(bits int) bool {
	for _, b := range allowedKeyBits {
		if b == bits {
			return true
		}
	}
	return false
}

// CheckRSAKey returns nil if pub is an RSA public key of 2048, 3072 or 4096 bits, and an
// error wrapping ErrNotRSA or ErrKeySize otherwise. It also accepts a private key (anything
// with a Public method).
func CheckRSAKey(pub crypto.PublicKey) error {
	if s, ok := pub.(interface{ Public() crypto.PublicKey }); ok {
		pub = s.Public()
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("certgen: found %s: %w; make an RSA key (sfjwt cert)", keyKind(pub), ErrNotRSA)
	}
	if bits := rsaPub.N.BitLen(); !validBits(bits) {
		return fmt.Errorf("certgen: key has %d bits: %w", bits, ErrKeySize)
	}
	return nil
}

// EncodePKCS8PEM encodes key as an unencrypted PKCS#8 "PRIVATE KEY" PEM block, what
// OpenSSL 3 writes for the guide's server.key.
func EncodePKCS8PEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("certgen: encode PKCS#8: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// EncodePKCS1PEM encodes key as a PKCS#1 "RSA PRIVATE KEY" PEM block, what OpenSSL 1.1 and
// "openssl rsa -traditional" write.
func EncodePKCS1PEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// EncryptOptions tunes EncodeEncryptedPKCS8PEM. The zero value is the default.
type EncryptOptions struct {
	// Iterations is the PBKDF2 iteration count; 0 means 600,000.
	Iterations int
}

// EncodeEncryptedPKCS8PEM encodes key as an "ENCRYPTED PRIVATE KEY" PEM block: PKCS#8
// encrypted with PBES2, PBKDF2-HMAC-SHA256 (16-byte random salt, 600,000 iterations by
// default) and AES-256-CBC. This is the format "openssl genpkey -aes-256-cbc" writes for the
// guide's server.pass.key, with a stronger key derivation; OpenSSL reads it with
// "openssl pkey -in server.pass.key -passin file:…". opts may be nil.
func EncodeEncryptedPKCS8PEM(key crypto.Signer, password []byte, opts *EncryptOptions) ([]byte, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("certgen: encrypt key: empty password")
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("certgen: encode PKCS#8: %w", err)
	}
	iter := 0
	if opts != nil {
		iter = opts.Iterations
	}
	enc, err := pbes2.Encrypt(der, password, iter)
	if err != nil {
		return nil, fmt.Errorf("certgen: encrypt key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}), nil
}

// keyKind names a public key's algorithm for messages.
func keyKind(pub crypto.PublicKey) string {
	switch pub.(type) {
	case *ecdsa.PublicKey:
		return "an ECDSA (elliptic curve) key"
	case ed25519.PublicKey:
		return "an Ed25519 key"
	case *ecdh.PublicKey:
		return "an ECDH key"
	case nil:
		return "no key"
	}
	return fmt.Sprintf("a %T key", pub)
}
