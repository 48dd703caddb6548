package keystore

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/cytechint/sfjwt/certgen"
)

// EntryType is the kind of a keystore entry, named as keytool names it.
type EntryType string

// The entry types keytool shows.
const (
	PrivateKeyEntry  EntryType = "PrivateKeyEntry"  // a private key with its certificate chain
	TrustedCertEntry EntryType = "trustedCertEntry" // a certificate only
)

// EntryInfo describes one keystore entry without its key.
type EntryInfo struct {
	// Alias is the JKS alias or PKCS#12 friendly name; "" for a PKCS#12 entry without one
	// (keytool calls it "1").
	Alias string
	Type  EntryType
	// Subject is the leaf certificate's subject, e.g. "CN=my-app,O=Example,C=US".
	Subject string
	// NotAfter is when the leaf certificate expires.
	NotAfter time.Time
	// SHA256 is the leaf certificate's SHA-256 fingerprint as keytool and Salesforce show it.
	SHA256 string
	// ChainLength is the number of certificates in the entry, leaf included.
	ChainLength int
	// SuggestedAlias is a valid alias derived from the subject (AliasFromCertificate), to
	// offer when Alias is not valid.
	SuggestedAlias string
}

// Listing is the content of a keystore as List reports it.
type Listing struct {
	Format  Format
	Entries []EntryInfo // in alias order for JKS
}

// List describes the entries of a JKS or PKCS#12 keystore, told apart by content. The
// password is the store password; JKS keys are not decrypted. A PKCS#12 trust store (Java's
// certificate-only form) lists its certificates as trustedCertEntry.
func List(data, password []byte) (*Listing, error) {
	switch DetectFormat(data) {
	case FormatJKS:
		return listJKS(data, password)
	case FormatPKCS12:
		return listPKCS12(data, password)
	}
	return nil, unknownFormatError(data)
}

func listJKS(data, password []byte) (*Listing, error) {
	ks, err := loadJKS(data, password)
	if err != nil {
		return nil, err
	}
	entries, err := jksEntries(ks)
	if err != nil {
		return nil, err
	}
	return &Listing{Format: FormatJKS, Entries: entries}, nil
}

// jksEntries describes every entry of ks; it fails if any certificate does not parse.
func jksEntries(ks jks.KeyStore) ([]EntryInfo, error) {
	var entries []EntryInfo
	for _, alias := range ks.Aliases() {
		var err error
		var chain []jks.Certificate
		typ := PrivateKeyEntry
		if ks.IsPrivateKeyEntry(alias) {
			chain, err = ks.GetPrivateKeyEntryCertificateChain(alias)
		} else {
			typ = TrustedCertEntry
			var tce jks.TrustedCertificateEntry
			tce, err = ks.GetTrustedCertificateEntry(alias)
			chain = []jks.Certificate{tce.Certificate}
		}
		if err != nil {
			return nil, fmt.Errorf("keystore: alias %q: %w", alias, err)
		}
		certs, err := parseJKSChain(chain)
		if err != nil {
			return nil, fmt.Errorf("keystore: alias %q: %w", alias, err)
		}
		entries = append(entries, entryInfo(alias, typ, certs))
	}
	return entries, nil
}

func listPKCS12(data, password []byte) (*Listing, error) {
	e, err := DecodePKCS12(data, password)
	if err == nil {
		certs := append([]*x509.Certificate{e.Certificate}, e.Chain...)
		return &Listing{Format: FormatPKCS12, Entries: []EntryInfo{entryInfo(e.Alias, PrivateKeyEntry, certs)}}, nil
	}
	if !errors.Is(err, ErrNoPrivateKey) {
		return nil, err
	}
	certs, tsErr := pkcs12.DecodeTrustStore(data, string(password))
	if tsErr != nil {
		return nil, err
	}
	l := &Listing{Format: FormatPKCS12}
	for _, c := range certs {
		l.Entries = append(l.Entries, entryInfo("", TrustedCertEntry, []*x509.Certificate{c}))
	}
	return l, nil
}

func entryInfo(alias string, typ EntryType, certs []*x509.Certificate) EntryInfo {
	info := EntryInfo{Alias: alias, Type: typ, ChainLength: len(certs)}
	if len(certs) > 0 {
		info.Subject = certs[0].Subject.String()
		info.NotAfter = certs[0].NotAfter
		info.SHA256 = certgen.FingerprintSHA256(certs[0])
		info.SuggestedAlias = AliasFromCertificate(certs[0])
	}
	return info
}
