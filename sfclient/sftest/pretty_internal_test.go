package sftest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzPrettyJSON checks that re-indenting keeps any JSON document equal to itself.
func FuzzPrettyJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"x,y:{z}\"q"}],"c":{}}`, `[[],[{}],"\\"]`, `"s"`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(in)) != nil {
			return
		}
		pretty := prettyJSON(compact.Bytes())
		var again bytes.Buffer
		if err := json.Compact(&again, pretty); err != nil {
			t.Fatalf("pretty output is not JSON: %v\n%s", err, pretty)
		}
		if !bytes.Equal(again.Bytes(), compact.Bytes()) {
			t.Fatalf("pretty output changed the document:\n%s\n%s", compact.Bytes(), again.Bytes())
		}
	})
}

func TestJavaDouble(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"}, {5199, "5199.0"}, {0.25, "0.25"}, {1e7, "1.0E7"}, {1.39e8, "1.39E8"},
		{9999999, "9999999.0"}, {0.001, "0.001"}, {0.0001, "1.0E-4"}, {-2.5e9, "-2.5E9"},
	}
	for _, tt := range tests {
		if got := string(javaDouble(tt.in)); got != tt.want {
			t.Errorf("javaDouble(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
