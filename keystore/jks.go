package keystore

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
)

// jksCertType is the certificate type Java itself writes into a JKS.
const jksCertType = "X.509"

// newJKS returns an empty keystore that lower-cases aliases as Java does (never case-exact:
// keytool could not address the entry) and writes entries in alias order.
func newJKS() jks.KeyStore {
	return jks.New(jks.WithOrderedAliases(), jks.WithMinPasswordLen(MinPasswordLen))
}

// EncodeJKS returns a JKS holding one PrivateKeyEntry under e.Alias: the key as PKCS#8 DER,
// the certificate and chain as type "X.509", the key protected by the store password (the
// only password Salesforce asks for). The alias must pass ValidateAlias and is stored
// lower-cased; the password must pass ValidatePassword for FormatJKS; the key must be RSA
// 2048/3072/4096 and match the certificate.
func EncodeJKS(e *KeyEntry, password []byte) ([]byte, error) {
	if err := ValidatePassword(password, FormatJKS); err != nil {
		return nil, err
	}
	if err := checkWritable(e); err != nil {
		return nil, err
	}
	if err := ValidateAlias(e.Alias); err != nil {
		return nil, err
	}
	ks := newJKS()
	if err := setKeyEntry(ks, e, password); err != nil {
		return nil, err
	}
	return storeJKS(ks, password)
}

func setKeyEntry(ks jks.KeyStore, e *KeyEntry, password []byte) error {
	der, err := x509.MarshalPKCS8PrivateKey(e.Key)
	if err != nil {
		return fmt.Errorf("keystore: encode key as PKCS#8: %w", err)
	}
	defer clear(der)
	chain := make([]jks.Certificate, 0, 1+len(e.Chain))
	for _, c := range append([]*x509.Certificate{e.Certificate}, e.Chain...) {
		chain = append(chain, jks.Certificate{Type: jksCertType, Content: c.Raw})
	}
	created := e.Created
	if created.IsZero() {
		created = time.Now()
	}
	entry := jks.PrivateKeyEntry{CreationTime: created, PrivateKey: der, CertificateChain: chain}
	if err := ks.SetPrivateKeyEntry(e.Alias, entry, password); err != nil {
		return fmt.Errorf("keystore: add JKS entry: %w", err)
	}
	return nil
}

func storeJKS(ks jks.KeyStore, password []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := ks.Store(&buf, password); err != nil {
		return nil, fmt.Errorf("keystore: write JKS: %w", err)
	}
	return buf.Bytes(), nil
}

// loadJKS checks the structure and the integrity digest of a JKS and loads it. A digest that
// does not match is reported as ErrWrongPassword, unless a key entry opens with the same
// password, which proves the password right and the file changed: ErrCorrupt.
func loadJKS(data, password []byte) (jks.KeyStore, error) {
	if DetectFormat(data) != FormatJKS {
		return jks.KeyStore{}, wrongFormatError(data, FormatJKS)
	}
	if err := checkJKSStructure(data); err != nil {
		return jks.KeyStore{}, err
	}
	pw := jksPasswordBytes(password)
	ks := newJKS()
	err := ks.Load(bytes.NewReader(data), pw)
	if err == nil {
		for _, a := range ks.Aliases() {
			if a != strings.ToLower(a) {
				return jks.KeyStore{}, fmt.Errorf("keystore: %w: alias %q has upper-case letters, which keytool cannot address (made by a case-exact tool); recreate the keystore", ErrUnsupported, a)
			}
		}
		return ks, nil
	}
	if !strings.Contains(err.Error(), "invalid digest") {
		return jks.KeyStore{}, fmt.Errorf("keystore: %w: %v", ErrCorrupt, err)
	}
	// The library fills the store before it checks the digest.
	for _, a := range ks.Aliases() {
		if ks.IsPrivateKeyEntry(a) {
			if _, kerr := ks.GetPrivateKeyEntry(a, pw); kerr == nil {
				return jks.KeyStore{}, fmt.Errorf("keystore: %w: the JKS integrity check failed although the password opens its key: the file was changed after it was written (or its key password differs from its store password)", ErrCorrupt)
			}
		}
	}
	return jks.KeyStore{}, fmt.Errorf("keystore: %w for the JKS file (or the file was changed after it was written)", ErrWrongPassword)
}

// DecodeJKS reads the PrivateKeyEntry called alias from a JKS (any case; Java compares
// aliases lower-cased). With alias "" it reads the only PrivateKeyEntry and fails with
// ErrAliasRequired when there are several. The entry's key password must be the store
// password, as Salesforce requires.
//
// Errors: ErrWrongPassword, ErrWrongKeyPassword, ErrAliasNotFound, ErrNoPrivateKey,
// ErrAliasRequired, ErrCorrupt, ErrUnsupported, ErrUnknownFormat.
func DecodeJKS(data, password []byte, alias string) (*KeyEntry, error) {
	ks, err := loadJKS(data, password)
	if err != nil {
		return nil, err
	}
	if alias, err = pickKeyAlias(ks, alias); err != nil {
		return nil, err
	}
	return jksKeyEntry(ks, alias, password)
}

func pickKeyAlias(ks jks.KeyStore, alias string) (string, error) {
	if alias != "" {
		alias = strings.ToLower(alias)
		if !ks.IsPrivateKeyEntry(alias) && !ks.IsTrustedCertificateEntry(alias) {
			return "", fmt.Errorf("keystore: %w: %q (the keystore has %s)", ErrAliasNotFound, alias, aliasList(ks))
		}
		if !ks.IsPrivateKeyEntry(alias) {
			return "", fmt.Errorf("keystore: %w: %q is a trusted certificate entry", ErrNoPrivateKey, alias)
		}
		return alias, nil
	}
	var keys []string
	for _, a := range ks.Aliases() {
		if ks.IsPrivateKeyEntry(a) {
			keys = append(keys, a)
		}
	}
	switch len(keys) {
	case 0:
		return "", fmt.Errorf("keystore: %w", ErrNoPrivateKey)
	case 1:
		return keys[0], nil
	}
	return "", fmt.Errorf("keystore: %w: %s", ErrAliasRequired, strings.Join(keys, ", "))
}

func aliasList(ks jks.KeyStore) string {
	aliases := ks.Aliases()
	if len(aliases) == 0 {
		return "no entries"
	}
	return "aliases " + strings.Join(aliases, ", ")
}

func jksKeyEntry(ks jks.KeyStore, alias string, password []byte) (*KeyEntry, error) {
	pke, err := ks.GetPrivateKeyEntry(alias, jksPasswordBytes(password))
	if err != nil {
		return nil, fmt.Errorf("keystore: %w (alias %q); Salesforce needs them equal: set it with keytool -keypasswd", ErrWrongKeyPassword, alias)
	}
	defer clear(pke.PrivateKey)
	key, err := x509.ParsePKCS8PrivateKey(pke.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w: the key of %q is not PKCS#8, so Java and Salesforce cannot use it", ErrCorrupt, alias)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("keystore: %w: private key of type %T", ErrUnsupported, key)
	}
	certs, err := parseJKSChain(pke.CertificateChain)
	if err != nil {
		return nil, fmt.Errorf("keystore: alias %q: %w", alias, err)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("keystore: %w (alias %q)", ErrNoCertificate, alias)
	}
	return &KeyEntry{Alias: alias, Key: signer, Certificate: certs[0], Chain: certs[1:], Created: pke.CreationTime}, nil
}

func parseJKSChain(chain []jks.Certificate) ([]*x509.Certificate, error) {
	certs := make([]*x509.Certificate, 0, len(chain))
	for _, c := range chain {
		if c.Type != jksCertType && c.Type != "X509" {
			return nil, fmt.Errorf("%w: certificate type %q", ErrUnsupported, c.Type)
		}
		cert, err := x509.ParseCertificate(c.Content)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// wrongFormatError explains that data is not in the format wanted.
func wrongFormatError(data []byte, want Format) error {
	if got := DetectFormat(data); got != FormatUnknown && got != want {
		return fmt.Errorf("keystore: %w: this is a %s file, not %s", ErrWrongFormat, got, want)
	}
	return unknownFormatError(data)
}
