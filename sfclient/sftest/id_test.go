package sftest_test

import (
	"strings"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// TestIDChecksum checks the suffix against IDs published by Salesforce.
func TestIDChecksum(t *testing.T) {
	tests := []struct{ id15, want string }{
		{"00D000000000062", "EAA"}, // the sample org ID of Salesforce's docs
		{"001D000000IqhSL", "IAZ"}, // Account ID from the REST API developer guide
		{"005000000000000", "AAA"},
		{"ABCDEABCDEABCDE", "555"},
		{"abcdeabcdeabcde", "AAA"},
		{"A0000000000000Z", "BAQ"},
	}
	for _, tt := range tests {
		t.Run(tt.id15, func(t *testing.T) {
			got, ok := sftest.IDChecksum(tt.id15)
			if !ok || got != tt.want {
				t.Errorf("IDChecksum(%q) = %q, %v; want %q", tt.id15, got, ok, tt.want)
			}
			id18, ok := sftest.To18(tt.id15)
			if !ok || id18 != tt.id15+tt.want {
				t.Errorf("To18 = %q, %v", id18, ok)
			}
			if back, ok := sftest.To18(strings.ToLower(id18[:15]) + id18[15:]); ok && back == id18 && strings.ToLower(id18[:15]) != id18[:15] {
				t.Errorf("To18 accepted a wrong-case ID %q", back)
			}
		})
	}
	for _, bad := range []string{"", "001", "001D000000IqhS!", "001D000000IqhSLXXX", "001D000000IqhSLIAZ0"} {
		if got, ok := sftest.To18(bad); ok {
			t.Errorf("To18(%q) = %q, true; want false", bad, got)
		}
	}
}

func TestGeneratedIDs(t *testing.T) {
	srv := newOrg(t)
	ids, err := srv.AddAccounts(50)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range append(ids, srv.OrgID()) {
		if len(id) != 18 {
			t.Fatalf("ID %q is not 18 characters", id)
		}
		if got, ok := sftest.To18(id[:15]); !ok || got != id {
			t.Errorf("ID %q has a wrong checksum (want %q)", id, got)
		}
		if seen[strings.ToLower(id)] {
			t.Errorf("ID %q is not unique case-insensitively", id)
		}
		seen[strings.ToLower(id)] = true
	}
	if !strings.HasPrefix(ids[0], "001") || !strings.HasPrefix(srv.OrgID(), "00D") {
		t.Errorf("prefixes: %s %s", ids[0], srv.OrgID())
	}
}
