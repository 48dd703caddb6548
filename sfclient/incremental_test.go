package sfclient

import (
	"testing"
	"time"
)

func TestIncrementalSOQL(t *testing.T) {
	t.Parallel()
	c, _ := New(Config{TokenSource: &fakeSource{}, InstanceURL: "https://acme.my.salesforce.com", APIVersion: "62.0"})
	at := time.Date(2026, 11, 20, 10, 0, 0, 750e6, time.UTC)
	tests := []struct {
		name string
		q    IncrementalQuery
		cur  Cursor
		want string
	}{
		{"first run", IncrementalQuery{Object: "LoginHistory", TimeField: "LoginTime", Fields: []string{"Status", "loginTime", "Id"}}, Cursor{},
			"SELECT Id, LoginTime, Status FROM LoginHistory WHERE LoginTime != null ORDER BY LoginTime ASC, Id ASC"},
		{"with cursor and where", IncrementalQuery{Object: "EventLogFile", TimeField: "LogDate", Where: "EventType = 'Login'"}, Cursor{Time: at, IDs: []string{"a"}},
			"SELECT Id, LogDate FROM EventLogFile WHERE LogDate >= 2026-11-20T10:00:00Z AND (EventType = 'Login') ORDER BY LogDate ASC, Id ASC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.NewIncremental(tt.q, tt.cur)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.SOQL(); got != tt.want {
				t.Errorf("SOQL() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
