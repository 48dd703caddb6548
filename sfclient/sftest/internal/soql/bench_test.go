package soql

import (
	"fmt"
	"testing"
	"time"
)

const benchQuery = "SELECT Id, EventType, LogFile, LogDate, LogFileLength FROM EventLogFile " +
	"WHERE Interval = 'Hourly' AND EventType IN ('Login', 'API', 'Report') AND LogDate >= 2026-01-01T00:00:00Z " +
	"ORDER BY LogDate DESC, Sequence LIMIT 2000"

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchQuery); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEventLogFile() *Object {
	return &Object{Name: "EventLogFile", Fields: []Field{
		{Name: "Id", Type: ID}, {Name: "EventType", Type: Picklist}, {Name: "Interval", Type: Picklist},
		{Name: "LogDate", Type: DateTime}, {Name: "Sequence", Type: Int}, {Name: "LogFile", Type: Base64},
		{Name: "LogFileLength", Type: Double}, {Name: "CreatedDate", Type: DateTime},
	}}
}

// benchRows makes n EventLogFile rows: a third hourly, types cycling.
func benchRows(n int) []Row {
	types := []string{"Login", "API", "Report", "URI", "Logout"}
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]Row, n)
	for i := range rows {
		interval := "Daily"
		if i%3 == 0 {
			interval = "Hourly"
		}
		at := start.Add(time.Duration(i) * time.Minute)
		rows[i] = Row{"Id": fmt.Sprintf("0AT%012dAAA", i), "EventType": types[i%len(types)], "Interval": interval,
			"LogDate": at, "Sequence": int64(i % 7), "LogFile": "/services/data/v66.0/sobjects/EventLogFile/x/LogFile",
			"LogFileLength": float64(i), "CreatedDate": at}
	}
	return rows
}

func BenchmarkRun100k(b *testing.B) {
	rows := benchRows(100000)
	obj := benchEventLogFile()
	for _, bc := range []struct{ name, q string }{
		{"filter+sort+limit", benchQuery},
		{"count", "SELECT COUNT() FROM EventLogFile WHERE EventType = 'login' AND LogDate = LAST_N_DAYS:30"},
		{"like", "SELECT Id FROM EventLogFile WHERE EventType LIKE '%o%' AND Interval != 'Hourly'"},
		{"all-sorted", "SELECT Id, LogDate FROM EventLogFile ORDER BY EventType, LogDate DESC"},
		{"limit1-unsorted", "SELECT Id FROM EventLogFile limit 1"},
	} {
		q, err := Parse(bc.q)
		if err != nil {
			b.Fatal(err)
		}
		opts := RunOptions{Now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := q.Run(obj, rows, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
