package certgen

import "errors"

// Errors returned by certgen. Test for them with errors.Is; the returned errors wrap them
// with detail (the file, what was found instead) and a hint of what to do.
var (
	// ErrWrongPassword means an encrypted key could not be decrypted with the password given.
	ErrWrongPassword = errors.New("wrong password for the encrypted private key")
	// ErrPasswordRequired means the key is encrypted and no password was given.
	ErrPasswordRequired = errors.New("the private key is encrypted and needs a password")
	// ErrLegacyEncryptedPEM means the key uses the old OpenSSL "Proc-Type: 4,ENCRYPTED" PEM
	// encryption, which is weak and not supported; convert it to PKCS#8.
	ErrLegacyEncryptedPEM = errors.New("legacy encrypted PEM key (Proc-Type: 4,ENCRYPTED) is not supported")
	// ErrNotPrivateKey means the PEM holds something else (a certificate, a CSR, a public key).
	ErrNotPrivateKey = errors.New("not a private key")
	// ErrNotCertificate means the input holds no X.509 certificate.
	ErrNotCertificate = errors.New("not a certificate")
	// ErrNotPEM means the input is not PEM text at all.
	ErrNotPEM = errors.New("not PEM data")
	// ErrUTF16 means the file is UTF-16 text (as Windows PowerShell's ">" writes); save it as
	// UTF-8 or ASCII.
	ErrUTF16 = errors.New("file is UTF-16 text, not UTF-8/ASCII PEM")
	// ErrCorrupt means PEM armour was found but its contents are truncated or damaged.
	ErrCorrupt = errors.New("key or certificate data is truncated or corrupted")
	// ErrUnsupportedEncryption means an encrypted key uses an algorithm certgen cannot decrypt.
	ErrUnsupportedEncryption = errors.New("unsupported key encryption")
	// ErrKeySize means an RSA key size other than 2048, 3072 or 4096 bits.
	ErrKeySize = errors.New("RSA key size must be 2048, 3072 or 4096 bits (the sizes Salesforce accepts)")
	// ErrNotRSA means a key that is not RSA; Salesforce's JWT bearer flow needs RS256.
	ErrNotRSA = errors.New("key is not an RSA key (Salesforce JWT bearer needs RSA/RS256)")
	// ErrKeyMismatch means the private key does not belong to the certificate.
	ErrKeyMismatch = errors.New("private key does not match the certificate")
	// ErrSubject means a certificate subject field is missing or malformed.
	ErrSubject = errors.New("invalid certificate subject")
	// ErrValidity means a validity period outside 1..36500 days.
	ErrValidity = errors.New("validity must be between 1 and 36500 days")
)
