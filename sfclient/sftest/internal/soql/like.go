package soql

import (
	"unicode"
	"unicode/utf8"
)

// likeTok is one element of a LIKE pattern.
type likeTok struct {
	kind byte // 'c' one rune r, '_' any one rune, '%' any run of runes
	r    rune // lower-cased
}

// compileLike turns a pattern decoded by unquote(…, true) into tokens:
// % matches any run of characters, _ exactly one, \% and \_ themselves.
func compileLike(p string) []likeTok {
	var toks []likeTok
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == likeEsc && i+1 < len(p):
			toks = append(toks, likeTok{kind: 'c', r: rune(p[i+1])})
			if p[i+1] == likeEsc {
				toks[len(toks)-1].r = utf8.RuneError
			}
			i += 2
		case c == '%':
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, likeTok{kind: '%'})
			}
			i++
		case c == '_':
			toks = append(toks, likeTok{kind: '_'})
			i++
		default:
			r, n := utf8.DecodeRuneInString(p[i:])
			toks = append(toks, likeTok{kind: 'c', r: unicode.ToLower(r)})
			i += n
		}
	}
	return toks
}

// likeMatch reports whether s matches the pattern, ignoring case. It is the
// classic wildcard matcher: linear except when it backtracks to the last %.
func likeMatch(pat []likeTok, s string) bool {
	si, pi := 0, 0
	star, starS := -1, 0
	for si < len(s) {
		if pi < len(pat) {
			t := pat[pi]
			if t.kind == '%' {
				star, starS = pi, si
				pi++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[si:])
			if t.kind == '_' || r == t.r || unicode.ToLower(r) == t.r {
				si += n
				pi++
				continue
			}
		}
		if star < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		si, pi = starS, star+1
	}
	for pi < len(pat) && pat[pi].kind == '%' {
		pi++
	}
	return pi == len(pat)
}
