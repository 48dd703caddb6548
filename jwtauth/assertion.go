package jwtauth

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signerRS256 is RS256 over any crypto.Signer with an RSA key, so keys held in an HSM or a KMS
// work as well as an *rsa.PrivateKey.
type signerRS256 struct{}

var errSignerKey = errors.New("jwtauth: RS256 signing needs a crypto.Signer")

func (signerRS256) Alg() string { return "RS256" }

func (signerRS256) Sign(signingString string, key any) ([]byte, error) {
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, errSignerKey
	}
	sum := sha256.Sum256([]byte(signingString))
	return s.Sign(rand.Reader, sum[:], crypto.SHA256)
}

func (signerRS256) Verify(signingString string, sig []byte, key any) error {
	return jwt.SigningMethodRS256.Verify(signingString, sig, key)
}

// assertionSigner builds the JWT bearer assertions of one Config.
type assertionSigner struct {
	clientID string
	username string
	audience string
	lifetime time.Duration
	key      crypto.Signer
}

// sign returns a new assertion valid from now for the signer's lifetime: header
// {"alg":"RS256","typ":"JWT"}, claims iss, sub, aud, exp and iat (seconds, numbers) and a
// random jti. Errors never include the assertion or the key.
func (a *assertionSigner) sign(now time.Time) (string, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", fmt.Errorf("jwtauth: assertion id: %w", err)
	}
	claims := jwt.MapClaims{
		"iss": a.clientID,
		"sub": a.username,
		"aud": a.audience,
		"exp": now.Add(a.lifetime).Unix(),
		"iat": now.Unix(),
		"jti": base64.RawURLEncoding.EncodeToString(id[:]),
	}
	s, err := jwt.NewWithClaims(signerRS256{}, claims).SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("jwtauth: sign assertion: %w", err)
	}
	return s, nil
}
