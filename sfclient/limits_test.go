package sfclient

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLimitsDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     Limit
		wantErr  string
	}{
		{"numbers", `{"Max":15000,"Remaining":14998}`, Limit{Max: 15000, Remaining: 14998}, ""},
		{"strings (v29)", `{"Max":"5000","Remaining":"4980"}`, Limit{Max: 5000, Remaining: 4980}, ""},
		{"per-app entries ignored", `{"Max":10,"Remaining":9,"Ant Migration Tool":{"Max":0,"Remaining":0}}`, Limit{Max: 10, Remaining: 9}, ""},
		{"float", `{"Max":2.5E3,"Remaining":0}`, Limit{Max: 2500}, ""},
		{"missing", `{}`, Limit{}, ""},
		{"not a number", `{"Max":"lots","Remaining":1}`, Limit{}, "json: invalid number literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Limit
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
