package soql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tDate // date or datetime, validated by the parser
	tPunct
)

// token is one lexeme; text is the source slice src[pos:end].
type token struct {
	kind     tokKind
	text     string
	pos, end int
}

// lex splits src into tokens, ending with a tEOF token.
func lex(src string) ([]token, *Error) {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i == len(src) {
			return append(toks, token{kind: tEOF, text: "<EOF>", pos: i, end: i}), nil
		}
		j, kind, err := lexOne(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, token{kind: kind, text: src[i:j], pos: i, end: j})
		i = j
	}
}

// lexOne scans the token starting at src[i] and returns where it ends.
func lexOne(src string, i int) (int, tokKind, *Error) {
	c := src[i]
	switch {
	case isLetter(c) || c == '_':
		j := i + 1
		for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '_') {
			j++
		}
		return j, tIdent, nil
	case isDigit(c):
		if isDateStart(src[i:]) {
			return scanDate(src, i), tDate, nil
		}
		return scanNumber(src, i), tNumber, nil
	case (c == '-' || c == '+') && i+1 < len(src) && isDigit(src[i+1]):
		return scanNumber(src, i+1), tNumber, nil
	case c == '\'':
		return scanString(src, i)
	case c == '!' || c == '<' || c == '>':
		if i+1 < len(src) && (src[i+1] == '=' || (c == '<' && src[i+1] == '>')) {
			return i + 2, tPunct, nil
		}
		if c != '!' {
			return i + 1, tPunct, nil
		}
	case strings.IndexByte("(),.:=", c) >= 0:
		return i + 1, tPunct, nil
	}
	return 0, 0, badChar(src, i)
}

// badChar reports a character no token starts with, in the wording of the
// Summer '24 release notes: "line 1:15 unexpected token: '$'" (0-based column).
func badChar(src string, i int) *Error {
	line, col := 1, 0
	for k := 0; k < i; k++ {
		col++
		if src[k] == '\n' {
			line, col = line+1, 0
		}
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return &Error{Code: CodeMalformedQuery, Message: fmt.Sprintf("line %d:%d unexpected token: '%c'", line, col, r)}
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// isDateStart reports whether s starts like a date: four digits, '-', digit.
func isDateStart(s string) bool {
	return len(s) >= 6 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '-' && isDigit(s[5])
}

// scanDate takes the characters a date or datetime literal is made of; the
// parser validates the shape.
func scanDate(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if !isDigit(c) && strings.IndexByte("-:.+TtZz", c) < 0 {
			break
		}
		i++
	}
	return i
}

func scanNumber(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	return i
}

// scanString scans a quoted string starting at the quote src[i], checking
// its escapes.
func scanString(src string, i int) (int, tokKind, *Error) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\'':
			return j + 1, tString, nil
		case '\\':
			n := escapeLen(src[j:])
			if n == 0 {
				return 0, 0, badEscape(src, i, j)
			}
			j += n - 1
		}
	}
	return 0, 0, &Error{Code: CodeMalformedQuery, Message: positioned(src, len(src), unexpected("<EOF>"))}
}

// escapeLen is the length of the valid escape sequence at the start of s
// (which starts with a backslash), or 0.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case 'n', 'N', 'r', 'R', 't', 'T', 'b', 'B', 'f', 'F', '"', '\'', '\\', '%', '_':
		return 2
	case 'u', 'U':
		if len(s) >= 6 && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) && isHex(s[5]) {
			return 6
		}
	}
	return 0
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

// badEscape reports an escape SOQL does not define. The wording is from
// memory of Salesforce responses, not verified against a public sample.
func badEscape(src string, quote, at int) *Error {
	end := strings.IndexByte(src[at+1:], '\'')
	lit := src[quote:]
	if end >= 0 {
		lit = src[quote : at+1+end+1]
	}
	seq := src[at:min(at+2, len(src))]
	return &Error{Code: CodeMalformedQuery, Message: positioned(src, quote,
		"Invalid string literal "+lit+". Illegal character sequence '"+seq+"' in string literal.")}
}

// unquote decodes a string token. With like set, \% and \_ become the
// escaped wildcard markers esc+'%' and esc+'_' and a literal esc is doubled;
// otherwise they keep their backslash.
func unquote(tok string, like bool) string {
	s := tok[1 : len(tok)-1]
	if strings.IndexByte(s, '\\') < 0 && !(like && strings.IndexByte(s, likeEsc) >= 0) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == likeEsc && like {
			b.WriteString(string([]byte{likeEsc, likeEsc}))
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case 'r', 'R':
			b.WriteByte('\r')
		case 't', 'T':
			b.WriteByte('\t')
		case 'b', 'B':
			b.WriteByte('\b')
		case 'f', 'F':
			b.WriteByte('\f')
		case '%', '_':
			if like {
				b.WriteByte(likeEsc)
			} else {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		case 'u', 'U':
			r, _ := strconv.ParseUint(s[i+1:i+5], 16, 32)
			b.WriteRune(rune(r))
			i += 4
		default: // \' \" \\
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// likeEsc marks an escaped wildcard in a decoded LIKE pattern (a byte that is
// never part of valid UTF-8 text).
const likeEsc = 0xff
