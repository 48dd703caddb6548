package sfclient

import (
	"testing"
	"time"
)

func TestQuoteString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want, like string }{
		{"Acme", `'Acme'`, `Acme`},
		{"O'Brien", `'O\'Brien'`, `O\'Brien`},
		{`a\b`, `'a\\b'`, `a\\b`},
		{"x' OR Name != '", `'x\' OR Name != \''`, `x\' OR Name != \'`},
		{"line\nbreak\ttab\r", `'line\nbreak\ttab\r'`, `line\nbreak\ttab\r`},
		{`say "hi"`, `'say \"hi\"'`, `say \"hi\"`},
		{"50%_off", `'50%_off'`, `50\%\_off`},
		{"Zürich", `'Zürich'`, `Zürich`},
		{"", `''`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := QuoteString(tt.in); got != tt.want {
				t.Errorf("QuoteString(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if got := EscapeLike(tt.in); got != tt.like {
				t.Errorf("EscapeLike(%q) = %s, want %s", tt.in, got, tt.like)
			}
		})
	}
}

func TestTimeLiteralsAndParse(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 11, 4, 5, 678e6, time.FixedZone("CET", 3600))
	if got, want := DateTimeLiteral(at), "2026-11-22T10:04:05Z"; got != want {
		t.Errorf("DateTimeLiteral = %s, want %s", got, want)
	}
	if got, want := DateLiteral(at), "2026-11-22"; got != want {
		t.Errorf("DateLiteral = %s, want %s", got, want)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-22T10:04:05.678+0000", time.Date(2026, 11, 22, 10, 4, 5, 678e6, time.UTC)},
		{"2026-11-22T11:04:05+0100", time.Date(2026, 11, 22, 10, 4, 5, 0, time.UTC)},
		{"2026-11-22T10:04:05Z", time.Date(2026, 11, 22, 10, 4, 5, 0, time.UTC)},
		{"2026-11-22T10:04:05.5+00:00", time.Date(2026, 11, 22, 10, 4, 5, 5e8, time.UTC)},
		{"2026-11-22", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := ParseTime("yesterday"); err == nil || err.Error() != `sfclient: "yesterday" is not a Salesforce date or dateTime` {
		t.Errorf("ParseTime(yesterday): err = %v", err)
	}
}
