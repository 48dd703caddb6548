package keystore

import (
	"errors"
	"fmt"
)

// Errors returned by this package. Test for them with errors.Is. Errors about the key and
// certificate themselves (not RSA, wrong size, key does not match the certificate) are the
// certgen ones: certgen.ErrNotRSA, certgen.ErrKeySize, certgen.ErrKeyMismatch.
var (
	// ErrInvalidAlias means an alias breaks Salesforce's unique-name rules. The error is an
	// *AliasError that says which rule and suggests a valid alias.
	ErrInvalidAlias = errors.New("invalid alias")
	// ErrAliasNotFound means the keystore has no entry with the alias asked for.
	ErrAliasNotFound = errors.New("alias not found")
	// ErrAliasExists means the keystore already has an entry with the target alias.
	ErrAliasExists = errors.New("alias already in use")
	// ErrAliasRequired means the keystore holds several key entries and no alias says which.
	ErrAliasRequired = errors.New("the keystore holds several key entries: name one by its alias")

	// ErrShortPassword means a keystore password has fewer than MinPasswordLen characters.
	ErrShortPassword = errors.New("keystore password too short")
	// ErrPasswordNotASCII means a JKS password has characters outside printable ASCII.
	ErrPasswordNotASCII = errors.New("JKS password must be printable ASCII")
	// ErrWrongPassword means the keystore password is wrong (or, for JKS, the file was
	// changed; both break the same integrity check).
	ErrWrongPassword = errors.New("wrong keystore password")
	// ErrWrongKeyPassword means a JKS entry's key password differs from the store password.
	ErrWrongKeyPassword = errors.New("the entry's key password is not the keystore password")

	// ErrUnknownFormat means the data is neither a JKS nor a PKCS#12 keystore.
	ErrUnknownFormat = errors.New("not a JKS or PKCS#12 keystore")
	// ErrWrongFormat means a JKS was given where a PKCS#12 file was expected, or the reverse.
	ErrWrongFormat = errors.New("wrong keystore format")
	// ErrCorrupt means the keystore is truncated or damaged.
	ErrCorrupt = errors.New("keystore is truncated or damaged")
	// ErrUnsupported means a valid keystore uses a feature this package cannot read.
	ErrUnsupported = errors.New("unsupported keystore feature")
	// ErrNoPrivateKey means the keystore holds no private key entry.
	ErrNoPrivateKey = errors.New("keystore holds no private key")
	// ErrNoCertificate means a private key comes without its certificate.
	ErrNoCertificate = errors.New("keystore holds no certificate for the private key")
	// ErrNoOutput means an export names neither a PKCS#12 nor a JKS file to write.
	ErrNoOutput = errors.New("no output file: name a PKCS#12 file, a JKS file or both")
)

// AliasError describes an alias that breaks Salesforce's unique-name rules.
type AliasError struct {
	Alias      string // the alias as given
	Reason     string // the rule it breaks, e.g. "must begin with a letter"
	Suggestion string // a valid alias close to the given one
}

// Error returns a message naming the alias, the broken rule and a valid alternative.
func (e *AliasError) Error() string {
	return fmt.Sprintf("keystore: invalid alias %q: %s (Salesforce unique names: a letter first, then letters, digits and single underscores, no trailing underscore, at most %d characters); try %q",
		e.Alias, e.Reason, MaxAliasLen, e.Suggestion)
}

// Unwrap makes errors.Is(err, ErrInvalidAlias) true.
func (e *AliasError) Unwrap() error { return ErrInvalidAlias }
