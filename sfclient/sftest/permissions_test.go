package sftest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// A user without "View Event Log Files" does not see the EventLogFile object at all, as in
// Salesforce: queries say the type is not supported and its resources are not found.
func TestEventLogFileNeedsPermission(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		noAccess  bool
		wantQuery int
	}{
		{"with View Event Log Files", false, http.StatusOK},
		{"without View Event Log Files", true, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := sftest.NewServer(t, sftest.Config{Users: []sftest.User{{Username: sftest.DefaultUsername, NoEventLogFileAccess: tt.noAccess}}})
			srv.AddCertificate(testCert())
			ids, err := srv.AddEventLogFiles(1, 5)
			if err != nil {
				t.Fatal(err)
			}
			tok := login(t, srv)
			v := "/services/data/v" + sftest.DefaultAPIVersion
			res := get(t, srv, tok, v+"/query?q=SELECT+Id+FROM+EventLogFile")
			if res.status != tt.wantQuery {
				t.Fatalf("query status = %d, want %d: %s", res.status, tt.wantQuery, res.body)
			}
			file := get(t, srv, tok, v+"/sobjects/EventLogFile/"+ids[0]+"/LogFile")
			if !tt.noAccess {
				if file.status != http.StatusOK {
					t.Errorf("LogFile status = %d: %s", file.status, file.body)
				}
				return
			}
			if !strings.Contains(res.body, `"errorCode":"INVALID_TYPE"`) || !strings.Contains(res.body, "sObject type 'EventLogFile' is not supported.") {
				t.Errorf("query body = %s, want INVALID_TYPE for EventLogFile", res.body)
			}
			if file.status != http.StatusNotFound {
				t.Errorf("LogFile status = %d, want 404: %s", file.status, file.body)
			}
			if acc := get(t, srv, tok, v+"/query?q=SELECT+Id+FROM+Account"); acc.status != http.StatusOK {
				t.Errorf("Account query status = %d: other objects must stay visible", acc.status)
			}
		})
	}
}
