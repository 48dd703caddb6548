package keystore

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// PKCS12Encoding chooses the algorithms of a PKCS#12 file.
type PKCS12Encoding int

const (
	// PKCS12Modern (the zero value) is PBES2 with PBKDF2-HMAC-SHA-256 and AES-256-CBC and an
	// HMAC-SHA-256 MAC: what OpenSSL 3 writes by default. OpenSSL 1.1.1+ and 3 (without
	// -legacy), Java 12+ keytool and Windows Server 2019+ read it.
	PKCS12Modern PKCS12Encoding = iota
	// PKCS12LegacyDES is 3DES with an HMAC-SHA-1 MAC, for Java 8 before 8u301, older Windows and
	// other old readers. Use it only when PKCS12Modern is refused.
	PKCS12LegacyDES
)

// encoder never returns LegacyRC2 (OpenSSL 3 needs -legacy), Modern2026 (Java 17 cannot read
// it) or Passwordless (Java ignores the key).
func (p PKCS12Encoding) encoder() (*pkcs12.Encoder, error) {
	switch p {
	case PKCS12Modern:
		return pkcs12.Modern2023, nil
	case PKCS12LegacyDES:
		return pkcs12.LegacyDES, nil
	}
	return nil, fmt.Errorf("keystore: %w: PKCS#12 encoding %d", ErrUnsupported, int(p))
}

// EncodePKCS12 returns a PKCS#12 file holding e's key, certificate and chain, protected by
// password. It refuses a password ValidatePassword refuses and a key Salesforce would not
// import (see Export). A non-empty e.Alias must pass ValidateAlias and becomes the key's
// friendly name, which keytool -importkeystore takes as the alias (lower-cased); with an
// empty Alias keytool names the entry "1".
func EncodePKCS12(e *KeyEntry, password []byte, enc PKCS12Encoding) ([]byte, error) {
	if err := ValidatePassword(password, FormatPKCS12); err != nil {
		return nil, err
	}
	if err := checkWritable(e); err != nil {
		return nil, err
	}
	if e.Alias != "" {
		if err := ValidateAlias(e.Alias); err != nil {
			return nil, err
		}
	}
	encoder, err := enc.encoder()
	if err != nil {
		return nil, err
	}
	data, err := encoder.Encode(e.Key, e.Certificate, e.Chain, string(password))
	if err != nil {
		return nil, fmt.Errorf("keystore: encode PKCS#12: %w", err)
	}
	if e.Alias == "" {
		return data, nil
	}
	if data, err = setPKCS12FriendlyName(data, e.Alias, password); err != nil {
		return nil, fmt.Errorf("keystore: name the PKCS#12 entry: %w", err)
	}
	return data, nil
}

// DecodePKCS12 reads the private key, its certificate and the chain from a PKCS#12 file as
// OpenSSL 3 (default or -legacy), Java's keytool or EncodePKCS12 write it. The certificate
// that matches the key is returned as the leaf whatever its place in the file. Alias is set
// to the key's friendly name when the file has one.
//
// Errors: ErrWrongPassword, ErrNoPrivateKey (e.g. a trust store), ErrNoCertificate,
// ErrCorrupt, ErrUnsupported, ErrUnknownFormat. The key is returned as found (it may be EC);
// writers check it.
func DecodePKCS12(data, password []byte) (*KeyEntry, error) {
	if DetectFormat(data) != FormatPKCS12 {
		return nil, wrongFormatError(data, FormatPKCS12)
	}
	if err := checkPKCS12Iterations(data); err != nil {
		return nil, err
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, string(password))
	if err != nil {
		return nil, pkcs12Error(err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("keystore: %w: private key of type %T", ErrUnsupported, key)
	}
	leaf, chain = orderLeafFirst(signer.Public(), append([]*x509.Certificate{leaf}, chain...))
	return &KeyEntry{Alias: pkcs12FriendlyName(data), Key: signer, Certificate: leaf, Chain: chain}, nil
}

// pkcs12Error maps go-pkcs12's errors, most of which are plain strings, to ours.
func pkcs12Error(err error) error {
	var notImpl pkcs12.NotImplementedError
	msg := err.Error()
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword):
		return fmt.Errorf("keystore: %w for the PKCS#12 file", ErrWrongPassword)
	case errors.As(err, &notImpl):
		return fmt.Errorf("keystore: %w: %v", ErrUnsupported, err)
	case strings.Contains(msg, "private key missing"):
		return fmt.Errorf("keystore: %w: the PKCS#12 file holds certificates only", ErrNoPrivateKey)
	case strings.Contains(msg, "certificate missing"):
		return fmt.Errorf("keystore: %w", ErrNoCertificate)
	case strings.Contains(msg, "expected exactly one key bag"):
		return fmt.Errorf("keystore: %w: the PKCS#12 file holds more than one private key", ErrUnsupported)
	case strings.Contains(msg, "indefinite length") || strings.Contains(msg, "non-minimal"):
		return fmt.Errorf("keystore: %w: the PKCS#12 file is BER-encoded (Windows and some old tools write this); re-export it with OpenSSL 3 (openssl pkcs12 -in OLD.p12 -nodes | openssl pkcs12 -export -out NEW.p12) or with keytool -importkeystore", ErrUnsupported)
	case strings.Contains(msg, "string contains characters that cannot be encoded"):
		return fmt.Errorf("keystore: %w: the password has characters PKCS#12 cannot encode", ErrWrongPassword)
	}
	return fmt.Errorf("keystore: %w: %v", ErrCorrupt, err)
}

// PKCS#12 structures, enough to read bag attributes of the unencrypted parts.
type pfxPDU struct {
	Version  int
	AuthSafe contentInfo
	MacData  asn1.RawValue `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue     `asn1:"tag:0,explicit"`
	Attributes []pkcs12Attribute `asn1:"set,optional"`
}

type pkcs12Attribute struct {
	ID     asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// Object identifiers of RFC 7292 and PKCS#9. Read-only.
var (
	oidData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidFriendlyName   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
	oidKeyBag         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
)

// errNoFriendlyName means no key bag friendly name was found; it never leaves the package.
var errNoFriendlyName = errors.New("no friendly name")

// maxFriendlyNameLength bounds the friendly names read, in UTF-16 units.
const maxFriendlyNameLength = 1024

// pkcs12FriendlyName returns the friendlyName attribute of the first key bag found in the
// unencrypted parts of a PKCS#12 file (where OpenSSL and Java put the shrouded key), or "".
// Call it only on data whose MAC has been checked.
func pkcs12FriendlyName(data []byte) string {
	name, err := findFriendlyName(data)
	if err != nil {
		return ""
	}
	return name
}

func findFriendlyName(data []byte) (string, error) {
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		return "", err
	}
	contents, err := dataContent(pfx.AuthSafe)
	if err != nil {
		return "", err
	}
	var safes []contentInfo
	if _, err := asn1.Unmarshal(contents, &safes); err != nil {
		return "", err
	}
	for _, ci := range safes {
		inner, err := dataContent(ci)
		if err != nil {
			continue // encrypted: certificates, unreadable without the password
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(inner, &bags); err != nil {
			continue
		}
		for _, bag := range bags {
			if bag.ID.Equal(oidShroudedKeyBag) || bag.ID.Equal(oidKeyBag) {
				return friendlyNameOf(bag.Attributes)
			}
		}
	}
	return "", errNoFriendlyName
}

// dataContent returns the octets of a ContentInfo of type data.
func dataContent(ci contentInfo) ([]byte, error) {
	if !ci.ContentType.Equal(oidData) {
		return nil, errNoFriendlyName
	}
	var octets []byte
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &octets); err != nil {
		return nil, err
	}
	return octets, nil
}

func friendlyNameOf(attrs []pkcs12Attribute) (string, error) {
	for _, a := range attrs {
		if !a.ID.Equal(oidFriendlyName) {
			continue
		}
		var v asn1.RawValue
		if _, err := asn1.Unmarshal(a.Values.Bytes, &v); err != nil {
			return "", err
		}
		if v.Tag != asn1.TagBMPString || len(v.Bytes)%2 != 0 || len(v.Bytes) > 2*maxFriendlyNameLength {
			return "", errNoFriendlyName
		}
		u := make([]uint16, len(v.Bytes)/2)
		for i := range u {
			u[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
		}
		return string(utf16.Decode(u)), nil
	}
	return "", errNoFriendlyName
}
