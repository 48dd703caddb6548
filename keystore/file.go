package keystore

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/internal/fsutil"
)

// MaxFileSize is the largest keystore file read, so a wrong path does not fill memory.
const MaxFileSize = 4 << 20

// filePerm is the mode of every keystore written: the JKS key protection is weak, so the file
// itself must stay private.
const filePerm = 0o600

// ExportConfig says what Export writes.
type ExportConfig struct {
	// Key is the private key. Required; RSA 2048, 3072 or 4096 bits.
	Key crypto.Signer
	// Certificate is Key's certificate. Required; must match Key.
	Certificate *x509.Certificate
	// Chain holds CA certificates after the leaf; nil for a self-signed certificate.
	Chain []*x509.Certificate
	// Alias names the JKS entry and is the PKCS#12 key's friendly name. Required when
	// JKSPath is set; must pass ValidateAlias. "" writes a PKCS#12 file without a name.
	Alias string
	// Password protects the keystores and, in the JKS, the key. Required; see
	// ValidatePassword (printable ASCII when JKSPath is set).
	Password []byte
	// PKCS12Path is the PKCS#12 file to write; "" writes none.
	PKCS12Path string
	// PKCS12Encoding chooses the PKCS#12 algorithms; zero is PKCS12Modern.
	PKCS12Encoding PKCS12Encoding
	// JKSPath is the JKS file to write; "" writes none. At least one path is required.
	JKSPath string
	// Overwrite allows replacing existing files; false refuses with fsutil.ErrExists.
	Overwrite bool
}

// Export writes the key and certificate to a PKCS#12 file, a JKS file or both, in one step
// (no PKCS#12 detour for the JKS). Everything is checked and encoded before anything is
// written; the files are written with mode 0600, atomically, both or neither. Each encoded
// keystore is read back and compared with the key before it is written.
func Export(cfg ExportConfig) error {
	if cfg.PKCS12Path == "" && cfg.JKSPath == "" {
		return fmt.Errorf("keystore: %w", ErrNoOutput)
	}
	e := &KeyEntry{Alias: cfg.Alias, Key: cfg.Key, Certificate: cfg.Certificate, Chain: cfg.Chain}
	var files []fsutil.File
	if cfg.JKSPath != "" {
		data, err := EncodeJKS(e, cfg.Password)
		if err != nil {
			return err
		}
		back, err := DecodeJKS(data, cfg.Password, e.Alias)
		if err := checkReadBack(e, back, err); err != nil {
			return err
		}
		files = append(files, fsutil.File{Path: cfg.JKSPath, Data: data, Perm: filePerm})
	}
	if cfg.PKCS12Path != "" {
		data, err := EncodePKCS12(e, cfg.Password, cfg.PKCS12Encoding)
		if err != nil {
			return err
		}
		back, err := DecodePKCS12(data, cfg.Password)
		if err := checkReadBack(e, back, err); err != nil {
			return err
		}
		files = append(files, fsutil.File{Path: cfg.PKCS12Path, Data: data, Perm: filePerm})
	}
	if err := fsutil.WriteFiles(files, cfg.Overwrite); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	return nil
}

// checkReadBack checks that a keystore just encoded reads back (got, err) with the key and
// certificate that went in.
func checkReadBack(want, got *KeyEntry, err error) error {
	if err != nil {
		return fmt.Errorf("keystore: self-check of the encoded keystore: %w", err)
	}
	if !got.Certificate.Equal(want.Certificate) || certgen.CheckKeyMatchesCertificate(got.Key.Public(), want.Certificate) != nil {
		return fmt.Errorf("keystore: self-check of the encoded keystore: %w: it does not hold the key and certificate given", ErrCorrupt)
	}
	return nil
}

// ConvertPKCS12ToJKS reads a PKCS#12 file and returns a JKS holding its key and certificates
// in one PrivateKeyEntry, with the alias chosen as: the PKCS#12 friendly name when it is a
// valid alias, else alias when not empty, else one derived from the certificate subject
// (AliasFromCertificate). A non-empty alias must be valid even when it is not used. It
// returns the JKS and the alias used (lower-cased, as stored).
func ConvertPKCS12ToJKS(p12, p12Password, jksPassword []byte, alias string) ([]byte, string, error) {
	if alias != "" {
		if err := ValidateAlias(alias); err != nil {
			return nil, "", err
		}
	}
	if err := ValidatePassword(jksPassword, FormatJKS); err != nil {
		return nil, "", err
	}
	e, err := DecodePKCS12(p12, p12Password)
	if err != nil {
		return nil, "", err
	}
	switch {
	case e.Alias != "" && ValidateAlias(e.Alias) == nil:
	case alias != "":
		e.Alias = alias
	default:
		e.Alias = AliasFromCertificate(e.Certificate)
	}
	data, err := EncodeJKS(e, jksPassword)
	if err != nil {
		return nil, "", err
	}
	back, err := DecodeJKS(data, jksPassword, e.Alias)
	if err := checkReadBack(e, back, err); err != nil {
		return nil, "", err
	}
	return data, back.Alias, nil
}

// ConvertConfig says what Convert reads and writes.
type ConvertConfig struct {
	// PKCS12Path is the PKCS#12 file to read. Required.
	PKCS12Path string
	// PKCS12Password opens it; nil means Password.
	PKCS12Password []byte
	// JKSPath is the JKS file to write. Required.
	JKSPath string
	// Password is the JKS store and key password. Required; see ValidatePassword.
	Password []byte
	// Alias is used when the PKCS#12 has no valid friendly name; "" derives one from the
	// certificate. See ConvertPKCS12ToJKS.
	Alias string
	// Overwrite allows replacing an existing JKS file.
	Overwrite bool
}

// Convert does what the guide's keytool -importkeystore and -changealias steps do: it reads a
// PKCS#12 file and writes a JKS (mode 0600, atomically) with a valid alias, which it returns.
func Convert(cfg ConvertConfig) (string, error) {
	p12, err := readKeystoreFile(cfg.PKCS12Path)
	if err != nil {
		return "", err
	}
	p12pw := cfg.PKCS12Password
	if p12pw == nil {
		p12pw = cfg.Password
	}
	data, alias, err := ConvertPKCS12ToJKS(p12, p12pw, cfg.Password, cfg.Alias)
	if err != nil {
		return "", err
	}
	if err := fsutil.WriteFile(cfg.JKSPath, data, filePerm, cfg.Overwrite); err != nil {
		return "", fmt.Errorf("keystore: %w", err)
	}
	return alias, nil
}

// RenameFile renames an entry of the JKS file at path (see RenameJKSAlias). The file is
// replaced atomically with mode 0600; on any error it is left byte-for-byte unchanged.
func RenameFile(path string, password []byte, from, to string) error {
	data, err := readKeystoreFile(path)
	if err != nil {
		return err
	}
	out, err := RenameJKSAlias(data, password, from, to)
	if err != nil {
		return err
	}
	if bytes.Equal(out, data) {
		return nil
	}
	if err := fsutil.WriteFile(path, out, filePerm, true); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	return nil
}

// ListFile lists the keystore file at path (see List).
func ListFile(path string, password []byte) (*Listing, error) {
	data, err := readKeystoreFile(path)
	if err != nil {
		return nil, err
	}
	return List(data, password)
}

// ReadFile reads a PKCS#12 or JKS file (told apart by content) and returns its key entry:
// for JKS the one called alias, or the only one when alias is "" (see DecodeJKS); for
// PKCS#12, which holds one key, alias is not used.
func ReadFile(path string, password []byte, alias string) (*KeyEntry, error) {
	data, err := readKeystoreFile(path)
	if err != nil {
		return nil, err
	}
	switch DetectFormat(data) {
	case FormatJKS:
		return DecodeJKS(data, password, alias)
	case FormatPKCS12:
		return DecodePKCS12(data, password)
	}
	return nil, unknownFormatError(data)
}

func readKeystoreFile(path string) ([]byte, error) {
	data, err := fsutil.ReadFileLimit(path, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	return data, nil
}
