package keystore

import (
	"crypto/x509"
	"fmt"
	"strings"
)

// MaxAliasLen is the longest alias accepted, in characters.
const MaxAliasLen = 64

// defaultAlias is suggested when nothing better can be derived.
const defaultAlias = "jwt_cert"

// ValidateAlias checks alias against Salesforce's rules for a certificate's unique name, which
// the alias of a JKS entry becomes on "Import from Keystore": it begins with an ASCII letter;
// it holds only ASCII letters, digits and underscores; it has no two underscores in a row and
// no trailing underscore; it is at most MaxAliasLen characters long. keytool's default alias
// "1" fails the first rule. A failure is an *AliasError (errors.Is ErrInvalidAlias).
//
// Upper-case letters are allowed, but JKS stores aliases lower-cased, as Java does.
func ValidateAlias(alias string) error {
	if reason := aliasProblem(alias); reason != "" {
		return &AliasError{Alias: alias, Reason: reason, Suggestion: SuggestAlias(alias)}
	}
	return nil
}

func aliasProblem(alias string) string {
	switch {
	case alias == "":
		return "it is empty"
	case len(alias) > MaxAliasLen:
		return fmt.Sprintf("it is %d characters long, more than %d", len(alias), MaxAliasLen)
	case !isLetter(alias[0]):
		return "it must begin with a letter"
	}
	for i := 0; i < len(alias); i++ {
		if c := alias[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			r := []rune(alias[i:])[0]
			return fmt.Sprintf("it contains %q; only letters, digits and underscores are allowed", r)
		}
	}
	switch {
	case strings.Contains(alias, "__"):
		return "it must not contain two underscores in a row"
	case strings.HasSuffix(alias, "_"):
		return "it must not end with an underscore"
	}
	return ""
}

// SuggestAlias turns any text (a name, a certificate subject, an invalid alias) into a valid
// alias: characters other than ASCII letters and digits become single underscores, leading
// and trailing underscores go, "cert_" is put in front when the text does not begin with a
// letter, and the result is cut to MaxAliasLen. Text with nothing usable gives "jwt_cert".
func SuggestAlias(text string) string {
	var b strings.Builder
	lastUnderscore := true // drops leading underscores
	for _, r := range text {
		if r < 0x80 && (isLetter(byte(r)) || isDigit(byte(r))) {
			b.WriteRune(r)
			lastUnderscore = false
			continue
		}
		if !lastUnderscore {
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	s := strings.TrimRight(b.String(), "_")
	if s == "" {
		return defaultAlias
	}
	if !isLetter(s[0]) {
		s = "cert_" + s
	}
	if len(s) > MaxAliasLen {
		s = strings.TrimRight(s[:MaxAliasLen], "_")
	}
	return s
}

// AliasFromCertificate derives a valid alias from cert's subject: its common name (CN), else
// its first organisation (O), else "jwt_cert", passed through SuggestAlias.
func AliasFromCertificate(cert *x509.Certificate) string {
	if cert == nil {
		return defaultAlias
	}
	if cn := strings.TrimSpace(cert.Subject.CommonName); cn != "" {
		return SuggestAlias(cn)
	}
	for _, o := range cert.Subject.Organization {
		if o = strings.TrimSpace(o); o != "" {
			return SuggestAlias(o)
		}
	}
	return defaultAlias
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
