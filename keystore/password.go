package keystore

import (
	"fmt"
	"unicode/utf8"
)

// MinPasswordLen is the shortest keystore password accepted, in characters: keytool's rule.
const MinPasswordLen = 6

// ValidatePassword checks a password for a keystore about to be written: at least
// MinPasswordLen characters, and for JKS printable ASCII only (the JKS library encodes a
// password byte by byte, so Java would not read a keystore protected by anything else).
// It returns an error wrapping ErrShortPassword or ErrPasswordNotASCII; the message never
// shows the password.
func ValidatePassword(password []byte, f Format) error {
	if !utf8.Valid(password) {
		return fmt.Errorf("keystore: %w: the password is not UTF-8 text", ErrPasswordNotASCII)
	}
	if n := utf8.RuneCount(password); n < MinPasswordLen {
		return fmt.Errorf("keystore: %w: it has %d characters, keytool and Salesforce need at least %d", ErrShortPassword, n, MinPasswordLen)
	}
	if f == FormatJKS {
		for _, c := range password {
			if c < 0x20 || c > 0x7e {
				return fmt.Errorf("keystore: %w: use letters, digits, spaces and ASCII punctuation only (accents, other scripts and control characters would make the JKS unreadable in Java)", ErrPasswordNotASCII)
			}
		}
	}
	return nil
}

// jksPasswordBytes converts a UTF-8 password into the bytes the JKS library expects: one byte
// per character, which matches Java's UTF-16 for characters up to U+00FF. Passwords with
// other characters are returned unchanged (Java would not have accepted them either way).
func jksPasswordBytes(password []byte) []byte {
	ascii := true
	for _, c := range password {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || !utf8.Valid(password) {
		return password
	}
	out := make([]byte, 0, len(password))
	for _, r := range string(password) {
		if r > 0xff {
			return password
		}
		out = append(out, byte(r))
	}
	return out
}
