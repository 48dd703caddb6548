// Package sfclient is a thin Salesforce REST client for programs that run unattended for
// months, such as SIEM connectors reading an org's event logs.
//
// A Client takes any oauth2.TokenSource (for example a jwtauth token source; this package does
// not depend on jwtauth) and sends every request to the org's instance URL, taken from Config
// or from the token's "instance_url". The API version is configured or discovered once.
//
// What it offers:
//
//   - Query and QueryAll: SOQL results as iterators (iter.Seq2) that follow nextRecordsUrl one
//     page at a time, so memory stays bounded by one page; Decode turns records into your
//     struct type; Count reads a query's totalSize (SELECT COUNT()). QuoteString, EscapeLike
//     and DateTimeLiteral build SOQL text safely.
//   - Get, Create, Update, Delete, Describe, DescribeGlobal, and Do for any other REST path.
//   - Versions, Limits, and Usage (the last Sforce-Limit-Info header seen).
//   - EventLogFiles and DownloadEventLogFile: Event Monitoring log files listed by type and
//     date, their CSV streamed (gzip on the wire) into an io.Writer.
//   - NewIncremental: records of an event object newer than a JSON-serialisable Cursor,
//     without loss or duplicate when records share a timestamp.
//
// What happens on a bad day: a 401 INVALID_SESSION_ID drops the token at its source (when the
// source implements Invalidator), fetches a fresh one and resends the request once; a second
// 401 is returned. HTTP 429, 502, 503, 504, connection resets and timeouts are retried with
// exponential backoff and jitter, honouring Retry-After, within RetryPolicy's bounds and the
// context — for idempotent requests only (GET, HEAD, PUT, DELETE, query pages); POST and PATCH
// are resent only when the connection could not be opened. 403 REQUEST_LIMIT_EXCEEDED and other
// 4xx answers are never retried. Every non-2xx answer is an *APIError; errors.Is matches it
// against ErrNotFound, ErrSessionExpired, ErrRequestLimitExceeded, ErrMalformedQuery and
// ErrNotInstanceURL.
//
// It does not log in (see jwtauth), does not cover the Bulk, Composite, Metadata or Tooling
// APIs (use Do), and never logs tokens or SOQL values.
package sfclient
