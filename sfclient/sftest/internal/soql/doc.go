// Package soql parses and runs the subset of SOQL (Salesforce Object Query
// Language) that the org emulator in sfclient/sftest answers, over rows held
// in memory, and words its errors the way Salesforce words them.
//
// # Entry points
//
//   - [Parse] checks syntax only and returns a [*Query]; syntax errors are
//     [*Error] values with Code MALFORMED_QUERY.
//   - [Query.Object], [Query.IsCount], [Query.Limit] and [Query.Offset] let the
//     caller pick the sObject and plan paging before running.
//   - [Query.Run] resolves the query against an [Object] (its schema) and a
//     slice of [Row] values, type-checks every comparison, filters, sorts,
//     applies OFFSET and LIMIT, and returns a [*Result]. Resolution errors are
//     [*Error] values with Code INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY or
//     NUMBER_OUTSIDE_VALID_RANGE.
//   - [Query.UnknownObject] and [InvalidType] build the INVALID_TYPE error for
//     an sObject the org does not have (with and without the query excerpt).
//   - [Query.String] renders the query canonically; it parses back to itself.
//
// Result.Rows holds the matching input rows themselves, not copies: read only
// the keys listed in Result.Fields, in that order, and never modify them. A
// Query is immutable after Parse and safe for concurrent use by several
// goroutines; Run does not modify the rows it is given.
//
// # Supported SOQL
//
//   - SELECT with a field list (which may include FIELDS(ALL), FIELDS(STANDARD)
//     and FIELDS(CUSTOM); custom fields are those ending in __c; ALL and
//     CUSTOM need LIMIT 200 or an Id filter as in Salesforce), COUNT(), or
//     COUNT(field) with an optional
//     alias (an aggregate result with one row, key "expr0" or the alias).
//     Field and object names are case-insensitive; result keys are the
//     canonical names from the [Object]. A field may be prefixed with the
//     object name or its alias (Account.Name, a.Name).
//   - FROM one sObject, with an optional alias.
//   - WHERE with = != <> < <= > >= LIKE IN (...) NOT IN (...), AND, OR, NOT and
//     parentheses. As in Salesforce, AND and OR cannot be mixed at one level
//     without parentheses.
//   - Literals: 'strings' with the SOQL escapes \n \r \t \b \f \" \' \\ \uXXXX
//     (and \N \R \T \B \F), plus \% and \_ which are literal wildcards in LIKE;
//     integers and decimals with an optional sign; true, false, null; dates
//     (2026-01-31); datetimes (2026-01-31T10:00:00Z, fractional seconds, Z or
//     ±hh:mm / ±hhmm offsets); the date literals TODAY, YESTERDAY, TOMORROW,
//     LAST_WEEK, THIS_WEEK, NEXT_WEEK, LAST_MONTH, THIS_MONTH, NEXT_MONTH,
//     LAST_90_DAYS, NEXT_90_DAYS, LAST_YEAR, THIS_YEAR, NEXT_YEAR and
//     LAST_N_DAYS:n, NEXT_N_DAYS:n, N_DAYS_AGO:n, LAST_N_WEEKS:n,
//     NEXT_N_WEEKS:n, LAST_N_MONTHS:n, NEXT_N_MONTHS:n, evaluated in
//     RunOptions.Location (UTC by default) at RunOptions.Now; weeks start on
//     Sunday (the en_US locale).
//   - ORDER BY several fields, each ASC or DESC and NULLS FIRST or NULLS LAST
//     (defaults: ASC; NULLS FIRST for ASC, NULLS LAST for DESC). Text sorts
//     case-insensitively; without ORDER BY rows keep their input order.
//   - LIMIT n and OFFSET n; an OFFSET above 2,000 is refused with
//     NUMBER_OUTSIDE_VALID_RANGE as Salesforce does.
//   - Keywords in any letter case.
//
// Comparison semantics follow Salesforce: text equality and LIKE ignore case;
// an empty string is null (Salesforce never stores empty text) and a missing
// Boolean is false (a checkbox is never null); null = null is
// true and != / NOT IN match rows whose field is null; <, <=, >, >= never match
// a null; an Id compared with a 15-character Id matches its 18-character form.
//
// # Not supported
//
// The emulator models no relationships, so relationship fields (Owner.Name)
// are refused with Salesforce's INVALID_FIELD "Didn't understand relationship
// 'Owner' in field path" error and parent-child subqueries in the SELECT list
// with its INVALID_TYPE "Didn't understand relationship … in FROM part of
// query call" error, although a real org would run both. These are refused
// as MALFORMED_QUERY "unexpected token" where Salesforce would run them: GROUP
// BY, HAVING, aggregate functions other than COUNT, TYPEOF, FORMAT(),
// toLabel(), convertCurrency(), semi-joins (IN (SELECT …)),
// INCLUDES/EXCLUDES, WITH, USING SCOPE, FOR VIEW / REFERENCE / UPDATE, bind
// variables, and field aliases outside COUNT(field).
//
// # Error wording
//
// Messages copy real Salesforce responses; the source of each is cited where
// the message is built. Query errors carry the row excerpt, a caret under the
// offending column, "ERROR at Row:r:Column:c" and the message. Salesforce does
// not document how wide the excerpt is; this package shows the words that lie
// within 34 characters before and 35 after the error, which reproduces the
// public samples in the tests (one older sample shows 36 before).
//
// Not verified against a public sample, and marked so in the code: the
// excerpt and caret on type errors, "can not be sorted in a query call", the
// "Invalid string literal" wording for a bad escape, "invalid operator on
// field" for LIKE on a non-text field, the unexpected-token position for
// COUNT() next to other fields, and the 100,000-character limit message.
package soql
