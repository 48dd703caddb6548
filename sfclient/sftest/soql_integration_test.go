package sftest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestSOQLIntegration runs the SOQL subset through the REST endpoint over a known data set:
// the parser's own tests live in internal/soql; these check the emulator feeds it the right
// rows, types and clock.
func TestSOQLIntegration(t *testing.T) {
	clock := newClock()
	now := clock.Now().UTC()
	srv := newOrg(t, sftest.Config{NoSampleData: true, Clock: clock.Now})
	accounts := []sftest.Record{
		{"Name": "Acme", "Industry": "Technology", "NumberOfEmployees": 500, "AnnualRevenue": 1e6, "CreatedDate": now.Add(-48 * time.Hour)},
		{"Name": "Globex", "Industry": "Energy", "NumberOfEmployees": 50, "CreatedDate": now.Add(-2 * time.Hour)},
		{"Name": "Initech", "Industry": "Technology", "NumberOfEmployees": 5, "CreatedDate": now.AddDate(0, 0, -40)},
		{"Name": "umbrella", "NumberOfEmployees": 5000, "CreatedDate": now.Add(-time.Minute)},
	}
	if _, err := srv.AddRecords("Account", accounts...); err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	tests := []struct {
		soql string
		want string // Names in order, comma-separated; "#n" for a COUNT() total
	}{
		{"SELECT Name FROM Account ORDER BY Name", "Acme,Globex,Initech,umbrella"},
		{"SELECT Name FROM Account ORDER BY NumberOfEmployees DESC", "umbrella,Acme,Globex,Initech"},
		{"SELECT Name FROM Account WHERE Industry = 'technology' ORDER BY Name", "Acme,Initech"},
		{"SELECT Name FROM Account WHERE Industry != 'Technology' ORDER BY Name", "Globex,umbrella"},
		{"SELECT Name FROM Account WHERE Industry = null", "umbrella"},
		{"SELECT Name FROM Account WHERE Name LIKE 'G%' OR Name LIKE '%ch'", "Globex,Initech"},
		{"SELECT Name FROM Account WHERE Name IN ('Acme', 'Umbrella') ORDER BY Name", "Acme,umbrella"},
		{"SELECT Name FROM Account WHERE NOT (NumberOfEmployees < 100) ORDER BY Name", "Acme,umbrella"},
		{"SELECT Name FROM Account WHERE AnnualRevenue > 100.5", "Acme"},
		{"SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:3 ORDER BY CreatedDate", "Acme,Globex,umbrella"},
		{"SELECT Name FROM Account WHERE CreatedDate < LAST_N_DAYS:30", "Initech"},
		{"SELECT Name FROM Account WHERE CreatedDate > " + now.Add(-3*time.Hour).Format("2006-01-02T15:04:05Z") + " ORDER BY Name", "Globex,umbrella"},
		{"SELECT Name FROM Account ORDER BY Industry DESC NULLS LAST, Name LIMIT 3", "Acme,Initech,Globex"},
		{"SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1", "Globex,Initech"},
		{"SELECT COUNT() FROM Account WHERE NumberOfEmployees >= 50", "#3"},
		{"select name from ACCOUNT a where a.Name = 'Acme'", "Acme"},
	}
	for _, tt := range tests {
		t.Run(tt.soql, func(t *testing.T) {
			res := get(t, srv, tok, "/services/data/v66.0/query?q="+url.QueryEscape(tt.soql))
			if res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
			var p page
			decode(t, res.body, &p)
			var got string
			if strings.HasPrefix(tt.want, "#") {
				got = "#" + strconv.Itoa(p.TotalSize)
			} else {
				names := make([]string, len(p.Records))
				for i, r := range p.Records {
					names[i], _ = r["Name"].(string)
				}
				got = strings.Join(names, ",")
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
