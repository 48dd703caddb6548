package sfclient

import (
	"fmt"
	"strings"
	"time"
)

// QuoteString returns s as a SOQL string literal, quotes included, with the characters SOQL
// requires escaped: QuoteString("O'Brien") is 'O\'Brien'. Use it for every value put into SOQL
// text.
func QuoteString(s string) string {
	return quote(s, false)
}

// EscapeLike escapes s for use inside the quotes of a LIKE pattern: like QuoteString it
// escapes quotes and backslashes, and it also escapes the wildcards % and _ so that s matches
// literally. It adds no quotes, so wildcards can be put around it:
// "Name LIKE '" + EscapeLike(prefix) + "%'".
func EscapeLike(s string) string {
	q := quote(s, true)
	return q[1 : len(q)-1]
}

func quote(s string, like bool) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '%', '_':
			if like {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// DateTimeLiteral formats t as a SOQL dateTime literal in UTC, to the second:
// 2026-11-22T10:04:05Z. Sub-second parts are dropped (truncated).
func DateTimeLiteral(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// DateLiteral formats the calendar date of t (in t's location) as a SOQL date literal:
// 2026-11-22.
func DateLiteral(t time.Time) string {
	return t.Format(time.DateOnly)
}

// ParseTime parses a Salesforce date or dateTime value as found in query results, e.g.
// "2026-11-22T10:04:05.000+0000", "2026-11-22T10:04:05Z" or "2026-11-22".
func ParseTime(s string) (time.Time, error) {
	// The forms Salesforce uses for date and dateTime values in JSON.
	layouts := [...]string{
		"2006-01-02T15:04:05.000-0700",
		"2006-01-02T15:04:05-0700",
		time.RFC3339Nano,
		time.DateOnly,
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("sfclient: %q is not a Salesforce date or dateTime", s)
}
