package sftest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestRelationshipFields(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	uid, _ := srv.UserID(sftest.DefaultUsername)
	accts, err := srv.AddRecords("Account", sftest.Record{"Name": "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	contacts, err := srv.AddRecords("Contact", sftest.Record{"LastName": "Doe", "AccountId": accts[0]}, sftest.Record{"LastName": "Orphan"})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	userAttrs := `{"attributes":{"type":"User","url":"/services/data/v66.0/sobjects/User/` + uid + `"}`
	tests := []struct {
		name, soql, want string
	}{
		{"owner name", "SELECT Name, Owner.Username, Owner.Email FROM Account",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + accts[0] + `"},` +
				`"Name":"Acme","Owner":` + userAttrs + `,"Username":"` + sftest.DefaultUsername + `","Email":"` + sftest.DefaultUsername + `"}}]}`},
		{"two levels and a null parent", "SELECT LastName, Account.Name, Account.Owner.Username FROM Contact ORDER BY LastName",
			`{"totalSize":2,"done":true,"records":[` +
				`{"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/` + contacts[0] + `"},"LastName":"Doe",` +
				`"Account":{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + accts[0] + `"},"Name":"Acme","Owner":` + userAttrs + `,"Username":"` + sftest.DefaultUsername + `"}}},` +
				`{"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/` + contacts[1] + `"},"LastName":"Orphan","Account":null}]}`},
		{"audit trail created by", "SELECT Action, CreatedBy.Username FROM SetupAuditTrail", `{"totalSize":0,"done":true,"records":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, srv, tok, queryPath(tt.soql))
			if res.body != tt.want {
				t.Errorf("got %d %s\nwant %s", res.status, res.body, tt.want)
			}
		})
	}
	errTests := []struct{ soql, code, contains string }{
		{"SELECT Name, Bogus.Name FROM Account", "INVALID_FIELD", "Didn't understand relationship 'Bogus'"},
		{"SELECT Name, Owner.Bogus FROM Account", "INVALID_FIELD", "No such column 'Bogus' on entity 'User'"},
		{"SELECT Name FROM Account WHERE Owner.Username = 'x'", "INVALID_FIELD", "Didn't understand relationship 'Owner'"},
	}
	for _, tt := range errTests {
		t.Run(tt.soql, func(t *testing.T) {
			res := get(t, srv, tok, queryPath(tt.soql))
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, `"errorCode":"`+tt.code+`"`) || !strings.Contains(res.body, tt.contains) {
				t.Errorf("got %d %s, want 400 %s containing %q", res.status, res.body, tt.code, tt.contains)
			}
		})
	}
	t.Run("columns", func(t *testing.T) {
		res := get(t, srv, tok, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Id, Owner.Username FROM Account")+"&columns=true")
		if !strings.Contains(res.body, `"columnName":"Owner"`) || !strings.Contains(res.body, `"joinColumns":[{"aggregate":false,"apexType":"String","booleanType":false,"columnName":"Username"`) {
			t.Errorf("columns = %s", res.body)
		}
	})
}
