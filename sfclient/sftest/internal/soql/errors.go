package soql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes, as Salesforce puts them in the errorCode member of a REST
// error body.
const (
	CodeMalformedQuery          = "MALFORMED_QUERY"
	CodeInvalidField            = "INVALID_FIELD"
	CodeInvalidType             = "INVALID_TYPE"
	CodeNumberOutsideValidRange = "NUMBER_OUTSIDE_VALID_RANGE"
)

// Error is a query error as Salesforce reports it: the emulator sends it as
// HTTP 400 [{"message": Message, "errorCode": Code}].
type Error struct {
	// Code is the Salesforce errorCode, one of the Code* constants.
	Code string
	// Message is the text exactly as Salesforce words it, often starting
	// with a newline, the query excerpt, a caret line and
	// "ERROR at Row:r:Column:c".
	Message string
}

// Error returns "soql: CODE: message", the way Salesforce clients print it.
func (e *Error) Error() string { return "soql: " + e.Code + ": " + e.Message }

// The two sentences Salesforce appends to unknown-name errors.
const (
	customFieldHint = "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. " + wsdlHint
	customObjHint   = "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. " + wsdlHint
	customRelHint   = "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. " + wsdlHint
	wsdlHint        = "Please reference your WSDL or the describe call for the appropriate names."
)

// InvalidType is the INVALID_TYPE error for an sObject the org does not have,
// without a query excerpt (for example for describe or sObject calls).
//
// Wording as in real responses quoted in jsforce/jsforce#1404,
// vlocityinc/vlocity_build#364 and #446: "sObject type 'X' is not supported.
// If you are attempting to use a custom object, be sure to append the '__c'
// after the entity name. Please reference your WSDL or the describe call for
// the appropriate names."
func InvalidType(name string) *Error {
	return &Error{Code: CodeInvalidType, Message: invalidTypeText(name)}
}

func invalidTypeText(name string) string {
	return "sObject type '" + name + "' is not supported. " + customObjHint
}

// UnknownObject is the INVALID_TYPE error Salesforce returns when the query's
// FROM names an sObject the org does not have, with the query excerpt and a
// caret under the name (format as in vlocityinc/vlocity_build#364:
// "\nSELECT Id, Name FROM X\n                     ^\nERROR at
// Row:1:Column:22\nsObject type 'X' is not supported. …").
func (q *Query) UnknownObject() *Error {
	return q.errAt(CodeInvalidType, q.object.pos, invalidTypeText(q.object.text))
}

// noSuchColumn is Salesforce's INVALID_FIELD text; the positioned format is
// the one in mautic/mautic#13406 and forcedotcom/soql-tooling#86.
func noSuchColumn(field, entity string) string {
	return "No such column '" + field + "' on entity '" + entity + "'. " + customFieldHint
}

// badRelationship is Salesforce's INVALID_FIELD text for a field path whose
// relationship it does not know (wording quoted in a Salesforce error parser's
// fixtures; this emulator models no relationships at all).
func badRelationship(rel string) string {
	return "Didn't understand relationship '" + rel + "' in field path. " + customRelHint
}

// badChildRelationship is Salesforce's INVALID_TYPE text for a parent-child
// subquery naming an unknown child relationship.
func badChildRelationship(rel string) string {
	return "Didn't understand relationship '" + rel + "' in FROM part of query call. " + customRelHint
}

// unexpected is the MALFORMED_QUERY text. Since Summer '24 Salesforce quotes
// the token ("unexpected token: 'AND'", release notes, SOQL "Changed Error
// Messages"); samples of the whole message: "\nHG_Insights__HG_Match_Status__c,
// From Account LIMIT 10\n…^\nERROR at Row:1:Column:50\nunexpected token: 'From'".
func unexpected(tok string) string { return "unexpected token: '" + tok + "'" }

// filterType is the text for a literal of the wrong type, e.g. "value of
// filter criterion for field 'CreatedDate' must be of type dateTime and should
// not be enclosed in quotes" (quoted verbatim from Salesforce in the docstrings
// of EventLogFile collectors on GitHub, and for a date field in a
// "Date_of_Birth__c … must be of type date" crash report). The code
// INVALID_FIELD, the caret under the value and the "should be enclosed in
// quotes" variant for text fields are inferred, not seen in a sample.
func filterType(field string, ft FieldType) string {
	quotes := "should not be enclosed in quotes"
	if ft.isText() {
		quotes = "should be enclosed in quotes"
	}
	return "value of filter criterion for field '" + field + "' must be of type " + ft.soapType() + " and " + quotes
}

// errAt builds an error whose message carries the query excerpt around byte
// offset pos, the caret line and "ERROR at Row:r:Column:c".
func (q *Query) errAt(code string, pos int, msg string) *Error {
	return &Error{Code: code, Message: positioned(q.src, pos, msg)}
}

// How many characters of context Salesforce shows before and after the
// error. Salesforce does not document it; these widths, with the excerpt cut
// at word boundaries, reproduce the public samples cited in the tests.
const (
	excerptBefore = 34
	excerptAfter  = 35
)

// positioned formats msg the way Salesforce reports a query error at byte
// offset pos of src.
func positioned(src string, pos int, msg string) string {
	pos = max(0, min(pos, len(src)))
	row, lineStart := 1, 0
	for i := 0; i < pos; i++ {
		if src[i] == '\n' {
			row++
			lineStart = i + 1
		}
	}
	lineEnd := strings.IndexByte(src[lineStart:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += lineStart
	}
	line := strings.TrimSuffix(src[lineStart:lineEnd], "\r")
	at := pos - lineStart
	if at > len(line) {
		at = len(line)
	}
	start, end := excerptBounds(line, at)
	col := utf8.RuneCountInString(line[:at]) + 1
	caret := strings.Repeat(" ", utf8.RuneCountInString(line[start:at])) + "^"
	return fmt.Sprintf("\n%s\n%s\nERROR at Row:%d:Column:%d\n%s", line[start:end], caret, row, col, msg)
}

// excerptBounds returns the byte range of line to show around byte offset
// at: the words that lie within the excerpt widths on either side.
func excerptBounds(line string, at int) (int, int) {
	start, end := 0, len(line)
	if utf8.RuneCountInString(line[:at]) > excerptBefore {
		start = skipRunes(line, at, -excerptBefore)
		for start < at && !(isWord(line[start]) && !isWord(line[start-1])) {
			start++
		}
	}
	if utf8.RuneCountInString(line[at:]) > excerptAfter {
		end = skipRunes(line, at, excerptAfter)
		for end > at && !(isWord(line[end-1]) && !isWord(line[end])) {
			end--
		}
	}
	return start, end
}

// skipRunes moves n runes from byte offset i (backwards when n < 0).
func skipRunes(s string, i, n int) int {
	for ; n < 0 && i > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isWord reports whether c belongs to a word: not blank, not punctuation.
func isWord(c byte) bool { return !isSpace(c) && strings.IndexByte("(),=<>!", c) < 0 }
