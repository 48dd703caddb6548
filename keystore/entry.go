package keystore

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

// KeyEntry is a private key with its certificate and chain: one PrivateKeyEntry of a JKS, or
// the key and certificates of a PKCS#12 file.
type KeyEntry struct {
	// Alias is the JKS alias, or the PKCS#12 friendly name ("" when the file has none, which
	// keytool then shows as "1").
	Alias string
	// Key is the private key. Keystores written by this package hold RSA keys only.
	Key crypto.Signer
	// Certificate is the certificate of Key (the leaf).
	Certificate *x509.Certificate
	// Chain holds the CA certificates after the leaf, nearest first; usually empty for the
	// self-signed certificates Salesforce JWT uses.
	Chain []*x509.Certificate
	// Created is the JKS entry's creation date. Zero for PKCS#12. When encoding a JKS, zero
	// means the current time.
	Created time.Time
}

// checkWritable refuses entries Salesforce would not import: no key or certificate, a key that
// is not RSA 2048/3072/4096, a key that does not match the certificate.
func checkWritable(e *KeyEntry) error {
	switch {
	case e == nil || e.Key == nil:
		return fmt.Errorf("keystore: %w", ErrNoPrivateKey)
	case e.Certificate == nil:
		return fmt.Errorf("keystore: %w", ErrNoCertificate)
	}
	if err := certgen.CheckRSAKey(e.Key.Public()); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	if err := certgen.CheckKeyMatchesCertificate(e.Key.Public(), e.Certificate); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	return nil
}

// orderLeafFirst returns the certificate that matches key and the others in their order. If
// none matches it returns the first one, so the caller's key check reports the mismatch.
func orderLeafFirst(key crypto.PublicKey, certs []*x509.Certificate) (*x509.Certificate, []*x509.Certificate) {
	if len(certs) == 0 {
		return nil, nil
	}
	leaf := 0
	for i, c := range certs {
		if certgen.KeyMatchesCertificate(key, c) {
			leaf = i
			break
		}
	}
	rest := make([]*x509.Certificate, 0, len(certs)-1)
	rest = append(rest, certs[:leaf]...)
	rest = append(rest, certs[leaf+1:]...)
	if len(rest) == 0 {
		rest = nil
	}
	return certs[leaf], rest
}
