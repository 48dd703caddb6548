package soql

import (
	"strconv"
	"time"
)

// parseDate parses YYYY-MM-DD into UTC midnight.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// parseDateTime parses the SOQL datetime forms YYYY-MM-DDThh:mm:ss[.f…]
// followed by Z, ±hh:mm or ±hhmm (T and Z in either case).
func parseDateTime(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || (s[10] != 'T' && s[10] != 't') {
		return time.Time{}, false
	}
	d, ok := parseDate(s[:10])
	h, ok1 := twoDigits(s, 11, 23)
	m, ok2 := twoDigits(s, 14, 59)
	sec, ok3 := twoDigits(s, 17, 59)
	if !ok || !ok1 || !ok2 || !ok3 || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	rest, nanos := s[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		j := 1
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if j == 1 || j > 10 {
			return time.Time{}, false
		}
		frac := rest[1:j] + "000000000"[:10-j]
		nanos, _ = strconv.Atoi(frac)
		rest = rest[j:]
	}
	off, ok := zoneOffset(rest)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), h, m, sec, nanos, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}

// zoneOffset parses Z, ±hh:mm or ±hhmm into seconds east of UTC.
func zoneOffset(s string) (int, bool) {
	if s == "Z" || s == "z" {
		return 0, true
	}
	if len(s) == 6 && s[3] == ':' {
		s = s[:3] + s[4:]
	}
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	h, ok1 := twoDigits(s, 1, 23)
	m, ok2 := twoDigits(s, 3, 59)
	if !ok1 || !ok2 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func twoDigits(s string, i, maxV int) (int, bool) {
	if i+2 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) {
		return 0, false
	}
	v := int(s[i]-'0')*10 + int(s[i+1]-'0')
	return v, v <= maxV
}

// dateLiterals lists the supported date literals; true means it takes :n.
var dateLiterals = map[string]bool{
	"TODAY": false, "YESTERDAY": false, "TOMORROW": false,
	"LAST_WEEK": false, "THIS_WEEK": false, "NEXT_WEEK": false,
	"LAST_MONTH": false, "THIS_MONTH": false, "NEXT_MONTH": false,
	"LAST_90_DAYS": false, "NEXT_90_DAYS": false,
	"LAST_YEAR": false, "THIS_YEAR": false, "NEXT_YEAR": false,
	"LAST_N_DAYS": true, "NEXT_N_DAYS": true, "N_DAYS_AGO": true,
	"LAST_N_WEEKS": true, "NEXT_N_WEEKS": true,
	"LAST_N_MONTHS": true, "NEXT_N_MONTHS": true,
}

// dateRange returns the calendar days [from, to) a date literal covers, as
// UTC midnights, for the local date today. The ranges follow Salesforce's
// "Date Formats and Date Literals" page; weeks start on Sunday.
func dateRange(l literal, today time.Time) (from, to time.Time) {
	day := func(k int) time.Time { return today.AddDate(0, 0, k) }
	ws := -int(today.Weekday()) // this week's Sunday, as an offset
	month := func(k int) time.Time {
		return time.Date(today.Year(), today.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	}
	year := func(k int) time.Time { return time.Date(today.Year()+k, 1, 1, 0, 0, 0, 0, time.UTC) }
	n := l.n
	switch name := l.raw; {
	case name == "TODAY":
		return day(0), day(1)
	case name == "YESTERDAY":
		return day(-1), day(0)
	case name == "TOMORROW":
		return day(1), day(2)
	case name == "LAST_90_DAYS":
		return day(-90), day(1)
	case name == "NEXT_90_DAYS":
		return day(1), day(91)
	case name == "LAST_WEEK":
		return day(ws - 7), day(ws)
	case name == "THIS_WEEK":
		return day(ws), day(ws + 7)
	case name == "NEXT_WEEK":
		return day(ws + 7), day(ws + 14)
	case name == "LAST_MONTH":
		return month(-1), month(0)
	case name == "THIS_MONTH":
		return month(0), month(1)
	case name == "NEXT_MONTH":
		return month(1), month(2)
	case name == "LAST_YEAR":
		return year(-1), year(0)
	case name == "THIS_YEAR":
		return year(0), year(1)
	case name == "NEXT_YEAR":
		return year(1), year(2)
	}
	return dateRangeN(l.raw, n, day, ws, month)
}

// dateRangeN covers the literals that take :n.
func dateRangeN(raw string, n int, day func(int) time.Time, ws int, month func(int) time.Time) (time.Time, time.Time) {
	name := raw
	for i := range raw {
		if raw[i] == ':' {
			name = raw[:i]
			break
		}
	}
	switch name {
	case "LAST_N_DAYS": // includes today: LAST_N_DAYS:1 is yesterday and today
		return day(-n), day(1)
	case "NEXT_N_DAYS": // starts tomorrow
		return day(1), day(1 + n)
	case "N_DAYS_AGO":
		return day(-n), day(-n + 1)
	case "LAST_N_WEEKS":
		return day(ws - 7*n), day(ws)
	case "NEXT_N_WEEKS":
		return day(ws + 7), day(ws + 7 + 7*n)
	case "LAST_N_MONTHS":
		return month(-n), month(0)
	default: // NEXT_N_MONTHS
		return month(1), month(1 + n)
	}
}

// civilDay is the number of days since 1970-01-01 of t's calendar date in
// t's own location.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return daysFromCivil(int64(y), int64(m), int64(d))
}

// daysFromCivil converts a proleptic Gregorian date to days since the epoch
// (Howard Hinnant's algorithm), without allocating or consulting zones.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
