package sftest_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestAddRecordsErrors(t *testing.T) {
	srv := sftest.NewServer(t)
	tests := []struct {
		name    string
		sobject string
		rec     sftest.Record
		want    error
	}{
		{"unknown field on a standard object", "Account", sftest.Record{"Name": "x", "Bogus": 1}, sftest.ErrInvalidRecord},
		{"text in a number field", "Account", sftest.Record{"Name": "x", "NumberOfEmployees": "many"}, sftest.ErrInvalidRecord},
		{"fraction in an int field", "Account", sftest.Record{"Name": "x", "NumberOfEmployees": 1.5}, sftest.ErrInvalidRecord},
		{"bad date-time", "Account", sftest.Record{"Name": "x", "CreatedDate": "yesterday"}, sftest.ErrInvalidRecord},
		{"Id of another object", "Account", sftest.Record{"Id": srv.OrgID()}, sftest.ErrInvalidRecord},
		{"not an identifier", "Bad Name", sftest.Record{"A": 1}, sftest.ErrUnknownSObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := srv.AddRecords(tt.sobject, tt.rec); !errors.Is(err, tt.want) {
				t.Errorf("AddRecords = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCustomObject: rows of an object the org does not know define it, with inferred types
// that SOQL then filters on.
func TestCustomObject(t *testing.T) {
	clock := newClock()
	srv := newOrg(t, sftest.Config{Clock: clock.Now})
	at := clock.Now().Add(-2 * time.Hour)
	if _, err := srv.AddRecords("Alert__c", sftest.Record{"Severity__c": 3, "Title__c": "disk", "Seen__c": false, "At__c": at},
		sftest.Record{"Severity__c": 1, "Title__c": "cpu", "Seen__c": true, "At__c": at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	res := get(t, srv, tok, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Title__c FROM Alert__c WHERE Severity__c > 2 AND Seen__c = false AND At__c < TOMORROW"))
	var p page
	decode(t, res.body, &p)
	if p.TotalSize != 1 || p.Records[0]["Title__c"] != "disk" {
		t.Errorf("query = %s", res.body)
	}
	if res := get(t, srv, tok, "/services/data/v66.0/sobjects/Alert__c/describe"); res.status != 200 {
		t.Errorf("describe Alert__c: %d %s", res.status, res.body)
	}
}

func TestAddAccountsNumbersOn(t *testing.T) {
	srv := newOrg(t) // three sample Accounts: Account 0001–0003
	if _, err := srv.AddAccounts(2); err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	res := get(t, srv, tok, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Name FROM Account ORDER BY Name DESC LIMIT 2"))
	var p page
	decode(t, res.body, &p)
	if len(p.Records) != 2 || p.Records[0]["Name"] != "Account 0005" || p.Records[1]["Name"] != "Account 0004" {
		t.Errorf("newest Accounts = %s, want Account 0005 and 0004", res.body)
	}
}

func TestDefineObject(t *testing.T) {
	srv := newOrg(t)
	err := srv.DefineObject(sftest.Object{Name: "LoginEvent", KeyPrefix: "0Lv", ReadOnly: true, Fields: []sftest.Field{
		{Name: "EventDate", Type: sftest.FieldDateTime}, {Name: "Username"}, {Name: "LoginType", Type: sftest.FieldPicklist},
		{Name: "Score", Type: sftest.FieldDouble},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.AddRecords("LoginEvent", sftest.Record{"EventDate": time.Now(), "Username": "a@x.example", "Score": 0.5})
	if err != nil || !strings.HasPrefix(ids[0], "0Lv") {
		t.Fatalf("AddRecords = %v, %v", ids, err)
	}
	tok := login(t, srv)
	res := get(t, srv, tok, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Username, Score FROM LoginEvent WHERE EventDate = TODAY"))
	if !strings.Contains(res.body, `"Username":"a@x.example","Score":0.5}`) {
		t.Errorf("query = %s", res.body)
	}
	if res := send(t, srv, "POST", tok, "/services/data/v66.0/sobjects/LoginEvent", `{"Username":"x"}`); res.status != 405 {
		t.Errorf("create on a read-only object: %d %s", res.status, res.body)
	}
	for _, bad := range []sftest.Object{
		{Name: "LoginEvent", KeyPrefix: "0Lw"},
		{Name: "Other", KeyPrefix: "001"},
		{Name: "Bad Name", KeyPrefix: "0Lx"},
		{Name: "Other", KeyPrefix: "toolong"},
		{Name: "Other", KeyPrefix: "0Ly", Fields: []sftest.Field{{Name: "A"}, {Name: "a"}}},
	} {
		if err := srv.DefineObject(bad); !errors.Is(err, sftest.ErrInvalidConfig) {
			t.Errorf("DefineObject(%+v) = %v, want ErrInvalidConfig", bad, err)
		}
	}
}
