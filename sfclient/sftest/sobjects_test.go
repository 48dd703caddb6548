package sftest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestSObjectsCRUD(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	tok := login(t, srv)
	base := "/services/data/v66.0/sobjects/Account"

	res := send(t, srv, http.MethodPost, tok, base+"/", `{"Name":"Initech","NumberOfEmployees":12}`)
	var created struct {
		ID      string `json:"id"`
		Success bool   `json:"success"`
		Errors  []any  `json:"errors"`
	}
	decode(t, res.body, &created)
	if res.status != http.StatusCreated || !created.Success || created.Errors == nil || !strings.HasPrefix(created.ID, "001") {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if want := `{"id":"` + created.ID + `","success":true,"errors":[]}`; res.body != want {
		t.Errorf("create body = %s, want %s", res.body, want)
	}
	res = get(t, srv, tok, base+"/"+created.ID+"?fields=Name,NumberOfEmployees")
	want := `{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + created.ID + `"},"Name":"Initech","NumberOfEmployees":12}`
	if res.body != want {
		t.Errorf("get: %s\nwant %s", res.body, want)
	}
	if res := send(t, srv, http.MethodPatch, tok, base+"/"+created.ID, `{"Name":"Initrode"}`); res.status != http.StatusNoContent || res.body != "" {
		t.Errorf("update: %d %s, want 204 and no body", res.status, res.body)
	}
	res = get(t, srv, tok, base+"/"+created.ID)
	if !strings.Contains(res.body, `"Name":"Initrode"`) || !strings.Contains(res.body, `"CreatedDate":"`) {
		t.Errorf("get after update: %s", res.body)
	}
	if res := send(t, srv, http.MethodDelete, tok, base+"/"+created.ID, ""); res.status != http.StatusNoContent {
		t.Errorf("delete: %d %s, want 204", res.status, res.body)
	}
	deleted := `[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED"}]`
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		body := ""
		if m == http.MethodPatch {
			body = `{"Name":"x"}`
		}
		if res := send(t, srv, m, tok, base+"/"+created.ID, body); res.status != 404 || res.body != deleted {
			t.Errorf("%s deleted: %d %s, want 404 %s", m, res.status, res.body, deleted)
		}
	}
}

func TestSObjectsErrors(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	ids, err := srv.AddAccounts(1)
	if err != nil {
		t.Fatal(err)
	}
	base := "/services/data/v66.0/sobjects/"
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantBody                 string
	}{
		{"Id in create body", "POST", base + "Account", `{"Id":"` + ids[0] + `","Name":"x"}`, 400,
			`[{"message":"The Id field should not be specified in the sobject data.","errorCode":"INVALID_FIELD"}]`},
		{"bad JSON value", "POST", base + "Account", `{"Name":}`, 400,
			`[{"message":"Unexpected character ('}' (code 125)): expected a value at [line:1, column:9]","errorCode":"JSON_PARSER_ERROR"}]`},
		{"bad JSON key", "POST", base + "Account", `{Name:"x"}`, 400,
			`[{"message":"Unexpected character ('N' (code 78)): was expecting double-quote to start field name at [line:1, column:2]","errorCode":"JSON_PARSER_ERROR"}]`},
		{"JSON array", "POST", base + "Account", `[{"Name":"x"}]`, 400, ""},
		{"empty body", "POST", base + "Account", ``, 400,
			`[{"message":"No content to map due to end-of-input at [line:1, column:0]","errorCode":"JSON_PARSER_ERROR"}]`},
		{"unknown field", "POST", base + "Account", `{"Name":"x","Bogus__c":1}`, 400,
			`[{"message":"No such column 'Bogus__c' on sobject of type Account","errorCode":"INVALID_FIELD"}]`},
		{"required field", "POST", base + "Account", `{"Industry":"Energy"}`, 400,
			`[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]`},
		{"read-only field", "POST", base + "Account", `{"Name":"x","CreatedDate":"2020-01-01T00:00:00.000+0000"}`, 400, ""},
		{"unknown object", "GET", base + "Bogus", "", 404, notFound},
		{"ScratchOrgInfo in a non-Dev-Hub org", "GET", base + "ScratchOrgInfo/describe", "", 404, notFound},
		{"unknown record", "GET", base + "Account/001000000000000AAA", "", 404, notFound},
		{"ID of another object", "GET", base + "Account/" + srv.OrgID(), "", 404,
			`[{"message":"Provided external ID field does not exist or is not accessible: ` + srv.OrgID() + `","errorCode":"NOT_FOUND"}]`},
		{"unknown field in ?fields", "GET", base + "Account/" + ids[0] + "?fields=Name,Nope", "", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, srv, tt.method, tok, tt.path, tt.body)
			if res.status != tt.wantStatus || (tt.wantBody != "" && res.body != tt.wantBody) {
				t.Errorf("got %d %s\nwant %d %s", res.status, res.body, tt.wantStatus, tt.wantBody)
			}
			if tt.wantBody == "" && !strings.Contains(res.body, `"errorCode":"`) {
				t.Errorf("body %s is not a Salesforce error array", res.body)
			}
		})
	}
}

func TestSObjectsDescribe(t *testing.T) {
	srv := newOrg(t)
	tok := login(t, srv)
	res := get(t, srv, tok, "/services/data/v66.0/sobjects/")
	var global struct {
		Encoding string `json:"encoding"`
		SObjects []struct {
			Name      string `json:"name"`
			KeyPrefix string `json:"keyPrefix"`
		} `json:"sobjects"`
	}
	decode(t, res.body, &global)
	prefixes := map[string]string{}
	for _, o := range global.SObjects {
		prefixes[o.Name] = o.KeyPrefix
	}
	for name, want := range map[string]string{"Account": "001", "Contact": "003", "User": "005", "Organization": "00D",
		"EventLogFile": "0AT", "LoginHistory": "0Ya", "SetupAuditTrail": "0Ym", "Profile": "00e", "PermissionSet": "0PS"} {
		if prefixes[name] != want {
			t.Errorf("%s key prefix = %q, want %q", name, prefixes[name], want)
		}
	}
	if _, ok := prefixes["ScratchOrgInfo"]; ok {
		t.Error("ScratchOrgInfo listed in a non-Dev-Hub org")
	}
	res = get(t, srv, tok, "/services/data/v66.0/sobjects/Account/describe/")
	var desc struct {
		Name   string `json:"name"`
		Fields []struct {
			Name, Type string
		} `json:"fields"`
	}
	decode(t, res.body, &desc)
	if desc.Name != "Account" || len(desc.Fields) < 5 || desc.Fields[0].Name != "Id" || desc.Fields[0].Type != "id" {
		t.Errorf("describe = %s", res.body)
	}
}

// TestJSONLikeSalesforce pins value formatting Salesforce's Java serializer produces: doubles
// always with a fraction or exponent (5199.0, 1.39E8), no HTML escaping.
func TestJSONLikeSalesforce(t *testing.T) {
	srv := newOrg(t, sftest.Config{NoSampleData: true})
	ids, err := srv.AddRecords("Account", sftest.Record{"Name": "AT&T <Labs>", "AnnualRevenue": 139000000, "NumberOfEmployees": 9000},
		sftest.Record{"Name": "Small", "AnnualRevenue": 5199.5})
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, srv)
	tests := []struct{ id, want string }{
		{ids[0], `"Name":"AT&T <Labs>","AnnualRevenue":1.39E8,"NumberOfEmployees":9000}`},
		{ids[1], `"Name":"Small","AnnualRevenue":5199.5,"NumberOfEmployees":null}`},
	}
	for _, tt := range tests {
		res := get(t, srv, tok, "/services/data/v66.0/sobjects/Account/"+tt.id+"?fields=Name,AnnualRevenue,NumberOfEmployees")
		if !strings.HasSuffix(res.body, tt.want) {
			t.Errorf("body %s\nwant suffix %s", res.body, tt.want)
		}
	}
	id, err := srv.AddEventLogFile(sftest.EventLogFile{Size: 5199})
	if err != nil {
		t.Fatal(err)
	}
	res := get(t, srv, tok, "/services/data/v66.0/sobjects/EventLogFile/"+id+"?fields=LogFileLength,ApiVersion,Sequence")
	if want := `"LogFileLength":5199.0,"ApiVersion":66.0,"Sequence":1}`; !strings.HasSuffix(res.body, want) {
		t.Errorf("body %s\nwant suffix %s", res.body, want)
	}
}
