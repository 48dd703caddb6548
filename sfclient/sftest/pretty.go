package sftest

import "bytes"

// prettyJSON re-indents compact JSON the way Salesforce answers requests that carry
// X-PrettyPrint: 1 (Jackson's default pretty printer): objects one member per line with
// "key" : value and two spaces per level, arrays inline as [ a, b ], empty ones as { } and [ ].
func prettyJSON(compact []byte) []byte {
	var b bytes.Buffer
	var stack []byte // open containers: '{' or '['
	inString, escaped := false, false
	newline := func() { // arrays are inline: only objects indent (Jackson's nesting)
		b.WriteByte('\n')
		for _, c := range stack {
			if c == '{' {
				b.WriteString("  ")
			}
		}
	}
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		if inString {
			b.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		next := byte(0)
		if i+1 < len(compact) {
			next = compact[i+1]
		}
		switch c {
		case '"':
			inString = true
			b.WriteByte(c)
		case '{', '[':
			if (c == '{' && next == '}') || (c == '[' && next == ']') {
				b.WriteByte(c)
				b.WriteByte(' ')
				b.WriteByte(next)
				i++
				continue
			}
			stack = append(stack, c)
			b.WriteByte(c)
			if c == '{' {
				newline()
			} else {
				b.WriteByte(' ')
			}
		case '}', ']':
			stack = stack[:max(len(stack)-1, 0)]
			if c == '}' {
				newline()
			} else {
				b.WriteByte(' ')
			}
			b.WriteByte(c)
		case ',':
			b.WriteByte(',')
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				newline()
			} else {
				b.WriteByte(' ')
			}
		case ':':
			b.WriteString(" : ")
		default:
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}
