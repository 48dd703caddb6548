package keystore

import (
	"fmt"
	"strings"
)

// RenameJKSAlias returns a copy of the JKS data with the entry from renamed to to, as
// keytool -changealias does; it fixes the alias "1" that the guide's keytool -importkeystore
// step produces. The other entries are kept as they are, creation dates included; the renamed
// entry keeps its creation date, key and certificates. to must pass ValidateAlias; from may
// be anything (it is usually the invalid "1"). If from and to name the same entry (Java
// compares aliases lower-cased) the data is returned unchanged.
//
// The renamed entry's key password must be the store password (Salesforce requires that
// anyway). Errors: ErrInvalidAlias, ErrAliasNotFound, ErrAliasExists, ErrWrongPassword,
// ErrWrongKeyPassword, ErrShortPassword, ErrCorrupt, ErrUnknownFormat.
func RenameJKSAlias(data, password []byte, from, to string) ([]byte, error) {
	if err := ValidateAlias(to); err != nil {
		return nil, err
	}
	ks, err := loadJKS(data, password)
	if err != nil {
		return nil, err
	}
	// Refuse a damaged keystore rather than write it again under a new name.
	if _, err := jksEntries(ks); err != nil {
		return nil, err
	}
	from, to = strings.ToLower(from), strings.ToLower(to)
	isKey, isCert := ks.IsPrivateKeyEntry(from), ks.IsTrustedCertificateEntry(from)
	switch {
	case !isKey && !isCert:
		return nil, fmt.Errorf("keystore: %w: %q (the keystore has %s)", ErrAliasNotFound, from, aliasList(ks))
	case from == to:
		return data, nil
	case ks.IsPrivateKeyEntry(to) || ks.IsTrustedCertificateEntry(to):
		return nil, fmt.Errorf("keystore: %w: another entry is already called %q; choose another name", ErrAliasExists, to)
	}
	// The library refuses to store under a short password, so say it clearly first.
	if err := ValidatePassword(password, FormatPKCS12); err != nil {
		return nil, err
	}
	pw := jksPasswordBytes(password)
	if isKey {
		pke, err := ks.GetPrivateKeyEntry(from, pw)
		if err != nil {
			return nil, fmt.Errorf("keystore: %w (alias %q); Salesforce needs them equal: set it with keytool -keypasswd", ErrWrongKeyPassword, from)
		}
		defer clear(pke.PrivateKey)
		if err := ks.SetPrivateKeyEntry(to, pke, pw); err != nil {
			return nil, fmt.Errorf("keystore: rename JKS entry: %w", err)
		}
	} else {
		tce, err := ks.GetTrustedCertificateEntry(from)
		if err != nil {
			return nil, fmt.Errorf("keystore: rename JKS entry: %w", err)
		}
		if err := ks.SetTrustedCertificateEntry(to, tce); err != nil {
			return nil, fmt.Errorf("keystore: rename JKS entry: %w", err)
		}
	}
	ks.DeleteEntry(from)
	return storeJKS(ks, pw)
}
