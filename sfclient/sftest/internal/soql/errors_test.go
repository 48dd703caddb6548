package soql

import (
	"errors"
	"strings"
	"testing"
)

// at builds the positioned message Salesforce sends: excerpt, caret under
// column col of the excerpt (1-based), "ERROR at Row:r:Column:c", text.
func at(excerpt string, caret, row, col int, text string) string {
	return "\n" + excerpt + "\n" + strings.Repeat(" ", caret-1) + "^\nERROR at Row:" + itoa(row) + ":Column:" + itoa(col) + "\n" + text
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

const wsdl = " Please reference your WSDL or the describe call for the appropriate names."

func noColumn(f, e string) string {
	return "No such column '" + f + "' on entity '" + e + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name." + wsdl
}

// Objects that appear in public Salesforce error samples.
var (
	flowDefinition = &Object{Name: "FlowDefinition", Fields: []Field{{Name: "Id", Type: ID}, {Name: "Status", Type: Picklist}}}
	lead           = &Object{Name: "Lead", Fields: []Field{{Name: "Id", Type: ID}, {Name: "Company"}, {Name: "Email", Type: Email},
		{Name: "LastName"}, {Name: "ConvertedContactId", Type: Reference}, {Name: "LastModifiedDate", Type: DateTime}}}
	apexLog = &Object{Name: "ApexLog", Fields: []Field{{Name: "Id", Type: ID}, {Name: "Status"}, {Name: "Location", Type: Picklist}}}
)

// errorCases are queries that Parse or Run refuse, with the exact error.
var errorCases = []struct {
	name, q   string
	obj       *Object // Account when nil
	code, msg string
}{
	// MALFORMED_QUERY from Parse.
	{name: "misspelt FROM", q: "SELECT Id FORM Account", code: CodeMalformedQuery,
		msg: at("SELECT Id FORM Account", 11, 1, 11, "unexpected token: 'FORM'")},
	{name: "empty select list (Summer '24 wording)", q: "SELECT FROM ServicePresenceStatus", code: CodeMalformedQuery,
		msg: at("SELECT FROM ServicePresenceStatus", 1, 1, 1, "unexpected token: 'SELECT FROM'")},
	{name: "trailing comma in select list", q: "SELECT Id, FROM Account", code: CodeMalformedQuery,
		msg: at("SELECT Id, FROM Account", 12, 1, 12, "unexpected token: 'FROM'")},
	{name: "public sample: trailing comma, long select list", q: "SELECT Id,Name, HG_Insights__HG_Match_Status__c, From Account LIMIT 10",
		code: CodeMalformedQuery, msg: at("HG_Insights__HG_Match_Status__c, From Account LIMIT 10", 34, 1, 50, "unexpected token: 'From'")},
	{name: "WHERE without condition", q: "SELECT Id FROM Account WHERE", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account WHERE", 29, 1, 29, "unexpected token: '<EOF>'")},
	{name: "AND and OR mixed without parentheses", q: "SELECT Id FROM Account WHERE Name = 'x' AND Industry = 'y' OR Id = null",
		code: CodeMalformedQuery, msg: at("Name = 'x' AND Industry = 'y' OR Id = null", 31, 1, 60, "unexpected token: 'OR'")},
	{name: "empty IN list (Summer '24 wording)", q: "SELECT Id FROM Account WHERE Id IN ()", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account WHERE Id IN ()", 30, 1, 30, "unexpected token: 'Id IN ()'")},
	{name: "character no token starts with", q: "SELECT Id from $casecomment WHERE isdeleted = false", code: CodeMalformedQuery,
		msg: "line 1:15 unexpected token: '$'"},
	{name: "datetime with a bad offset", q: "SELECT Id FROM Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00", code: CodeMalformedQuery,
		msg: at("Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00", 32, 1, 47, "Invalid datetime: 2020-12-12t12:12:00-25:00")},
	{name: "datetime without a zone", q: "SELECT Id FROM Account WHERE CreatedDate > 2026-01-31T10:00:00", code: CodeMalformedQuery,
		msg: at("FROM Account WHERE CreatedDate > 2026-01-31T10:00:00", 34, 1, 44, "Invalid datetime: 2026-01-31T10:00:00")},
	{name: "date with month 13", q: "SELECT Id FROM Account WHERE LastActivityDate = 2026-13-01", code: CodeMalformedQuery,
		msg: at("Account WHERE LastActivityDate = 2026-13-01", 34, 1, 49, "Invalid date: 2026-13-01")},
	{name: "unterminated string", q: "SELECT Id FROM Account WHERE Name = 'abc", code: CodeMalformedQuery,
		msg: at("Id FROM Account WHERE Name = 'abc", 34, 1, 41, "unexpected token: '<EOF>'")},
	{name: "undefined escape", q: `SELECT Id FROM Account WHERE Name = 'a\qb'`, code: CodeMalformedQuery,
		msg: at(`Id FROM Account WHERE Name = 'a\qb'`, 30, 1, 37, `Invalid string literal 'a\qb'. Illegal character sequence '\q' in string literal.`)},
	{name: "short unicode escape", q: `SELECT Id FROM Account WHERE Name = '\u12'`, code: CodeMalformedQuery,
		msg: at(`Id FROM Account WHERE Name = '\u12'`, 30, 1, 37, `Invalid string literal '\u12'. Illegal character sequence '\u' in string literal.`)},
	{name: "double-quoted string", q: `SELECT Id FROM Account WHERE Name = "x"`, code: CodeMalformedQuery,
		msg: "line 1:36 unexpected token: '\"'"},
	{name: "LAST_N_DAYS without n", q: "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS", code: CodeMalformedQuery,
		msg: at("WHERE CreatedDate = LAST_N_DAYS", 32, 1, 55, "unexpected token: '<EOF>'")},
	{name: "LAST_N_DAYS with a negative n", q: "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:-1", code: CodeMalformedQuery,
		msg: at("WHERE CreatedDate = LAST_N_DAYS:-1", 33, 1, 56, "unexpected token: '-1'")},
	{name: "unknown bare word as value", q: "SELECT Id FROM Account WHERE Name = Acme", code: CodeMalformedQuery,
		msg: at("Id FROM Account WHERE Name = Acme", 30, 1, 37, "unexpected token: 'Acme'")},
	{name: "double equals", q: "SELECT Id FROM Account WHERE Name == 'x'", code: CodeMalformedQuery,
		msg: at("Id FROM Account WHERE Name == 'x'", 29, 1, 36, "unexpected token: '='")},
	{name: "LIMIT not a number", q: "SELECT Id FROM Account limit ten", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account limit ten", 30, 1, 30, "unexpected token: 'ten'")},
	{name: "negative LIMIT", q: "SELECT Id FROM Account LIMIT -1", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account LIMIT -1", 30, 1, 30, "unexpected token: '-1'")},
	{name: "OFFSET before LIMIT", q: "SELECT Id FROM Account OFFSET 5 LIMIT 10", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account OFFSET 5 LIMIT 10", 33, 1, 33, "unexpected token: 'LIMIT'")},
	{name: "NULLS without FIRST or LAST", q: "SELECT Id FROM Account ORDER BY Name NULLS", code: CodeMalformedQuery,
		msg: at("FROM Account ORDER BY Name NULLS", 33, 1, 43, "unexpected token: '<EOF>'")},
	{name: "ORDER without BY", q: "SELECT Id FROM Account ORDER Name", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account ORDER Name", 30, 1, 30, "unexpected token: 'Name'")},
	{name: "typo after object is its alias", q: "SELECT Id FROM Account WHRE Name = 'x'", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account WHRE Name = 'x'", 29, 1, 29, "unexpected token: 'Name'")},
	{name: "GROUP BY is not supported", q: "SELECT Industry FROM Account GROUP BY Industry", code: CodeMalformedQuery,
		msg: at("SELECT Industry FROM Account GROUP BY Industry", 30, 1, 30, "unexpected token: 'GROUP'")},
	{name: "COUNT() with another field", q: "SELECT COUNT(), Id FROM Account", code: CodeMalformedQuery,
		msg: at("SELECT COUNT(), Id FROM Account", 15, 1, 15, "unexpected token: ','")},
	{name: "COUNT(field) with an ungrouped field", q: "SELECT COUNT(Id), Name FROM Account", code: CodeMalformedQuery,
		msg: at("SELECT COUNT(Id), Name FROM Account", 19, 1, 19, "Field must be grouped or aggregated: Name")},
	{name: "empty query", q: "", code: CodeMalformedQuery, msg: at("", 1, 1, 1, "unexpected token: '<EOF>'")},
	{name: "error on row 3", q: "SELECT Id\nFROM Account\nWHERE Name = 'a' 'b'", code: CodeMalformedQuery,
		msg: at("WHERE Name = 'a' 'b'", 18, 3, 18, "unexpected token: ''b''")},
	{name: "LIKE null", q: "SELECT Id FROM Account WHERE Name LIKE null", code: CodeMalformedQuery,
		msg: at("Id FROM Account WHERE Name LIKE null", 33, 1, 40, "unexpected token: 'null'")},

	{name: "FIELDS with an unknown group", q: "SELECT FIELDS(everything) FROM Account", code: CodeMalformedQuery,
		msg: at("SELECT FIELDS(everything) FROM Account", 15, 1, 15, "unexpected token: 'everything'")},

	// Errors from Run.
	{name: "FIELDS(ALL) without LIMIT", q: "SELECT FIELDS(ALL) FROM Account", code: CodeMalformedQuery,
		msg: "The SOQL FIELDS function must have a LIMIT of at most 200"},
	{name: "FIELDS(CUSTOM) with LIMIT 201", q: "SELECT Id, FIELDS(CUSTOM) FROM Account LIMIT 201", code: CodeMalformedQuery,
		msg: "The SOQL FIELDS function must have a LIMIT of at most 200"},
	{name: "FIELDS(CUSTOM) on an object without custom fields (docs sample)", q: "SELECT FIELDS(CUSTOM) FROM Account LIMIT 200", code: CodeMalformedQuery,
		msg: "'FIELDS(...)' expansion function must result in at least one field being selected."},
	{name: "FIELDS(ALL) repeating a field (docs sample)", q: "SELECT Id, FIELDS(ALL) FROM Account LIMIT 200", code: CodeInvalidField,
		msg: "duplicate field selected: Id"},
	{name: "public sample: unknown field (sf CLI)", q: "SELECT Id, ApiName, Status FROM FlowDefinition WHERE ApiName IN ('AGENT_SearchContacts','AGENT_UpdateAccountField')",
		obj: flowDefinition, code: CodeInvalidField, msg: at("SELECT Id, ApiName, Status FROM FlowDefinition", 12, 1, 12, noColumn("ApiName", "FlowDefinition"))},
	{name: "public sample: unknown field (mautic)", q: "select Id, Company,Email,LastName,SF_date__c, ConvertedContactId from Lead where LastModifiedDate > 2024-06-11T12:59:00Z",
		obj: lead, code: CodeInvalidField, msg: at("select Id, Company,Email,LastName,SF_date__c, ConvertedContactId from", 35, 1, 35, noColumn("SF_date__c", "Lead"))},
	{name: "public sample: unknown field (soql-tooling)", q: "Select Id, Status, Location, Body from ApexLog", obj: apexLog,
		code: CodeInvalidField, msg: at("Select Id, Status, Location, Body from ApexLog", 30, 1, 30, noColumn("Body", "ApexLog"))},
	{name: "unknown field in WHERE", q: "SELECT Id FROM Account WHERE Nope__c = 'x'", code: CodeInvalidField,
		msg: at("SELECT Id FROM Account WHERE Nope__c = 'x'", 30, 1, 30, noColumn("Nope__c", "Account"))},
	{name: "unknown field in ORDER BY", q: "SELECT Id FROM Account ORDER BY Nope", code: CodeInvalidField,
		msg: at("SELECT Id FROM Account ORDER BY Nope", 33, 1, 33, noColumn("Nope", "Account"))},
	{name: "relationship field", q: "SELECT Owner.Name FROM Account", code: CodeInvalidField,
		msg: at("SELECT Owner.Name FROM Account", 8, 1, 8, "Didn't understand relationship 'Owner' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name."+wsdl)},
	{name: "child subquery", q: "SELECT Id, (SELECT Id FROM Contacts) FROM Account", code: CodeInvalidType,
		msg: at("SELECT Id, (SELECT Id FROM Contacts) FROM Account", 28, 1, 28, "Didn't understand relationship 'Contacts' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name."+wsdl)},
	{name: "quoted datetime", q: "SELECT Id FROM Account WHERE CreatedDate > '2020-01-01T00:00:00Z'", code: CodeInvalidField,
		msg: at("FROM Account WHERE CreatedDate > '2020-01-01T00:00:00Z'", 34, 1, 44, "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes")},
	{name: "date for a datetime field", q: "SELECT Id FROM Account WHERE CreatedDate > 2005-10-08", code: CodeInvalidField,
		msg: at("FROM Account WHERE CreatedDate > 2005-10-08", 34, 1, 44, "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes")},
	{name: "quoted date", q: "SELECT Id FROM Account WHERE LastActivityDate = ''", code: CodeInvalidField,
		msg: at("Account WHERE LastActivityDate = ''", 34, 1, 49, "value of filter criterion for field 'LastActivityDate' must be of type date and should not be enclosed in quotes")},
	{name: "quoted number", q: "SELECT Id FROM Account WHERE NumberOfEmployees > '5'", code: CodeInvalidField,
		msg: at("Account WHERE NumberOfEmployees > '5'", 35, 1, 50, "value of filter criterion for field 'NumberOfEmployees' must be of type int and should not be enclosed in quotes")},
	{name: "quoted boolean", q: "SELECT Id FROM Account WHERE IsDeleted = 'true'", code: CodeInvalidField,
		msg: at("Id FROM Account WHERE IsDeleted = 'true'", 35, 1, 42, "value of filter criterion for field 'IsDeleted' must be of type boolean and should not be enclosed in quotes")},
	{name: "unquoted string", q: "SELECT Id FROM Account WHERE Name = 5", code: CodeInvalidField,
		msg: at("Id FROM Account WHERE Name = 5", 30, 1, 37, "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes")},
	{name: "date literal on a text field", q: "SELECT Id FROM Account WHERE Name IN ('a', TODAY)", code: CodeInvalidField,
		msg: at("FROM Account WHERE Name IN ('a', TODAY)", 34, 1, 44, "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes")},
	{name: "invalid Id", q: "SELECT Id FROM Account WHERE Id = 'abc'", code: CodeMalformedQuery,
		msg: at("SELECT Id FROM Account WHERE Id = 'abc'", 35, 1, 35, "invalid ID field: abc")},
	{name: "OFFSET above 2000", q: "SELECT Id FROM Account OFFSET 2001", code: CodeNumberOutsideValidRange,
		msg: "Maximum SOQL offset allowed for apiName Account is 2000"},
	{name: "filter on long text", q: "SELECT Id FROM Account WHERE Description = 'x'", code: CodeInvalidField,
		msg: at("SELECT Id FROM Account WHERE Description = 'x'", 30, 1, 30, "field 'Description' can not be filtered in query call")},
	{name: "sort on long text", q: "SELECT Id FROM Account ORDER BY Description", code: CodeInvalidField,
		msg: at("SELECT Id FROM Account ORDER BY Description", 33, 1, 33, "field 'Description' can not be sorted in a query call")},
	{name: "duplicate field (Salesforce docs sample)", q: "SELECT Id, Name, id FROM Account", code: CodeInvalidField,
		msg: "duplicate field selected: Id"},
	{name: "duplicate field through the object prefix", q: "SELECT Account.Name, name FROM Account", code: CodeInvalidField,
		msg: "duplicate field selected: Name"},
}

func TestErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(tc.q)
			if err == nil {
				obj := tc.obj
				if obj == nil {
					obj = testAccount()
				}
				_, err = q.Run(obj, testRows(), RunOptions{Now: testNow})
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: error = %v, want *Error %s", tc.q, err, tc.code)
			}
			if e.Code != tc.code || e.Message != tc.msg {
				t.Errorf("%s:\n got: %s %q\nwant: %s %q", tc.q, e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

func TestUnknownObject(t *testing.T) {
	t.Parallel()
	// Public sample: vlocityinc/vlocity_build#364.
	q, err := Parse("Select Id, Name from CalculationMatrix__c")
	if err != nil {
		t.Fatal(err)
	}
	const hint = "If you are attempting to use a custom object, be sure to append the '__c' after the entity name." + wsdl
	want := at("Select Id, Name from CalculationMatrix__c", 22, 1, 22, "sObject type 'CalculationMatrix__c' is not supported. "+hint)
	if e := q.UnknownObject(); e.Code != CodeInvalidType || e.Message != want {
		t.Errorf("UnknownObject() = %s %q, want INVALID_TYPE %q", e.Code, e.Message, want)
	}
	wantPlain := "sObject type 'ScratchOrgInfo' is not supported. " + hint
	if e := InvalidType("ScratchOrgInfo"); e.Code != CodeInvalidType || e.Message != wantPlain {
		t.Errorf("InvalidType() = %s %q, want INVALID_TYPE %q", e.Code, e.Message, wantPlain)
	}
	if got, want := InvalidType("X").Error(), "soql: INVALID_TYPE: sObject type 'X' is not supported. "+hint; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
