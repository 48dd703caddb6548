package certgen

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Subject holds the certificate subject fields the guide's "openssl req" asks for.
// Country, State, Locality and Organization are required, as in the guide; the rest is
// optional.
type Subject struct {
	Country            string // two letters, e.g. "US". Required.
	State              string // state or province. Required.
	Locality           string // city. Required.
	Organization       string // Required.
	OrganizationalUnit string // optional
	CommonName         string // optional; a name people recognise, e.g. "AQUILA SIEM JWT"
	Email              string // optional
}

// maxSubjectField is the upper bound RFC 5280 sets on most DN attributes (ub-name 64 for
// organization and locality, ub-common-name 64).
const maxSubjectField = 64

// Validate checks the subject and returns an error wrapping ErrSubject that names the field.
func (s Subject) Validate() error {
	if len(s.Country) != 2 || !isASCIILetters(s.Country) {
		return fmt.Errorf("certgen: country %q: %w: must be exactly 2 letters (ISO 3166 code, e.g. US, GB, PH)", s.Country, ErrSubject)
	}
	required := []struct{ name, value string }{
		{"state or province", s.State}, {"locality", s.Locality}, {"organization", s.Organization},
	}
	for _, f := range required {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("certgen: %s: %w: required (the guide's openssl req asks for it)", f.name, ErrSubject)
		}
	}
	all := append(required,
		struct{ name, value string }{"organizational unit", s.OrganizationalUnit},
		struct{ name, value string }{"common name", s.CommonName})
	for _, f := range all {
		if !utf8.ValidString(f.value) || utf8.RuneCountInString(f.value) > maxSubjectField {
			return fmt.Errorf("certgen: %s: %w: at most %d characters of UTF-8 text", f.name, ErrSubject, maxSubjectField)
		}
		if strings.ContainsAny(f.value, "\x00\r\n") {
			return fmt.Errorf("certgen: %s: %w: control characters are not allowed", f.name, ErrSubject)
		}
	}
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			return fmt.Errorf("certgen: e-mail %q: %w: not an e-mail address", s.Email, ErrSubject)
		}
	}
	return nil
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// name converts the subject to a pkix.Name (country upper-cased).
func (s Subject) name() pkix.Name {
	n := pkix.Name{
		Country:      []string{strings.ToUpper(s.Country)},
		Province:     []string{s.State},
		Locality:     []string{s.Locality},
		Organization: []string{s.Organization},
		CommonName:   s.CommonName,
	}
	if s.OrganizationalUnit != "" {
		n.OrganizationalUnit = []string{s.OrganizationalUnit}
	}
	if s.Email != "" {
		// emailAddress (PKCS#9) as an IA5String, as "openssl req" writes it.
		n.ExtraNames = append(n.ExtraNames, pkix.AttributeTypeAndValue{
			Type: oidEmailAddress, Value: asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte(s.Email)},
		})
	}
	return n
}
