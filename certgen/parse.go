package certgen

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/cytechint/sfjwt/internal/fsutil"
	"github.com/cytechint/sfjwt/internal/pbes2"
)

// maxPEMFile bounds what ReadPrivateKeyFile and ReadCertificateFile read: a real key or
// certificate is a few kilobytes.
const maxPEMFile = 1 << 20

// ParsePrivateKeyPEM parses the first private key in PEM text: PKCS#1 "RSA PRIVATE KEY",
// PKCS#8 "PRIVATE KEY", or PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2 with PBKDF2 HMAC-SHA-1/224/
// 256/384/512 and AES-128/192/256-CBC or DES-EDE3-CBC, as OpenSSL writes them), and also "EC
// PRIVATE KEY". Windows line ends and a UTF-8 byte order mark are accepted. password is used
// only for encrypted keys.
//
// The key is returned as is, whatever its algorithm; use CheckRSAKey to require what
// Salesforce accepts. Errors wrap ErrWrongPassword, ErrPasswordRequired,
// ErrLegacyEncryptedPEM, ErrNotPrivateKey, ErrUTF16, ErrNotPEM, ErrCorrupt or
// ErrUnsupportedEncryption.
func ParsePrivateKeyPEM(data, password []byte) (crypto.Signer, error) {
	data, err := normalizeText(data)
	if err != nil {
		return nil, fmt.Errorf("certgen: parse key: %w", err)
	}
	var others []string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY":
			key, err := parseKeyBlock(block, password)
			if err != nil {
				return nil, fmt.Errorf("certgen: parse key: %w", err)
			}
			return key, nil
		default:
			others = append(others, block.Type)
		}
	}
	if len(others) > 0 {
		return nil, fmt.Errorf("certgen: parse key: found %s: %w; give the private key file (server.key or server.pem), not the %s",
			quoteList(others), ErrNotPrivateKey, describeBlock(others[0]))
	}
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return nil, fmt.Errorf("certgen: parse key: %w: the PEM armour is damaged (missing END line or bad base64)", ErrCorrupt)
	}
	return nil, fmt.Errorf("certgen: parse key: %w: expected text starting with \"-----BEGIN PRIVATE KEY-----\"", ErrNotPEM)
}

// ReadPrivateKeyFile reads and parses the private key in the PEM file path; see
// ParsePrivateKeyPEM. Errors name the file.
func ReadPrivateKeyFile(path string, password []byte) (crypto.Signer, error) {
	data, err := fsutil.ReadFileLimit(path, maxPEMFile)
	if err != nil {
		return nil, fmt.Errorf("certgen: read key: %w", err)
	}
	key, err := ParsePrivateKeyPEM(data, password)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return key, nil
}

func parseKeyBlock(block *pem.Block, password []byte) (crypto.Signer, error) {
	if _, ok := block.Headers["Proc-Type"]; ok {
		return nil, fmt.Errorf("%w; convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.key -out server.pass.key (or without encryption: openssl pkey -in OLD.key -out server.key)", ErrLegacyEncryptedPEM)
	}
	der := block.Bytes
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		if len(password) == 0 {
			return nil, fmt.Errorf("%w (give the password the key was encrypted with, or use the unencrypted server.key)", ErrPasswordRequired)
		}
		plain, err := pbes2.Decrypt(der, password)
		switch {
		case errors.Is(err, pbes2.ErrDecrypt):
			return nil, ErrWrongPassword
		case errors.Is(err, pbes2.ErrUnsupported):
			return nil, fmt.Errorf("%w: %w", ErrUnsupportedEncryption, err)
		case err != nil:
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		key, err := parseDER("PRIVATE KEY", plain)
		if err != nil {
			// Padding happened to look valid but the plaintext is garbage: a wrong password.
			return nil, ErrWrongPassword
		}
		return key, nil
	}
	return parseDER(block.Type, der)
}

func parseDER(typ string, der []byte) (crypto.Signer, error) {
	var key any
	var err error
	switch typ {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			// Some tools label PKCS#8 as RSA PRIVATE KEY.
			if k, err8 := x509.ParsePKCS8PrivateKey(der); err8 == nil {
				key, err = k, nil
			}
		}
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			if k, err1 := x509.ParsePKCS1PrivateKey(der); err1 == nil {
				key, err = k, nil
			} else if pbes2.IsEncryptedPrivateKeyInfo(der) {
				return nil, fmt.Errorf("%w: the block is labelled %q but holds an encrypted key; label it ENCRYPTED PRIVATE KEY", ErrCorrupt, typ)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, typ, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: %T cannot sign", ErrNotPrivateKey, key)
	}
	return signer, nil
}

// normalizeText strips a UTF-8 byte order mark and refuses UTF-16 text with a clear error.
func normalizeText(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotPEM)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || looksUTF16(data) {
		return nil, fmt.Errorf("%w; re-save it as UTF-8 or ASCII (PowerShell: Get-Content IN | Set-Content -Encoding ascii OUT)", ErrUTF16)
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}

// looksUTF16 reports UTF-16 text without a byte order mark: every other byte zero.
func looksUTF16(data []byte) bool {
	n := min(len(data), 64)
	if n < 8 {
		return false
	}
	zeros := 0
	for i := 0; i < n; i++ {
		if data[i] == 0 {
			zeros++
		}
	}
	return zeros >= n/3
}

func describeBlock(typ string) string {
	switch typ {
	case "CERTIFICATE":
		return "certificate (server.crt)"
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		return "certificate signing request (server.csr)"
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return "public key"
	}
	return typ + " block"
}

func quoteList(items []string) string {
	var b bytes.Buffer
	for i, s := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}
