package jwtauth

import (
	"net"
	"strings"
	"testing"
)

// A login URL where nothing listens says so and what to check, not only "connection refused".
func TestConnectionRefusedHint(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	ts, _ := newTestSource(t, "https://"+addr, func(c *Config) { c.Retries = -1 })
	_, err = ts.TokenContext(t.Context())
	if err == nil || !strings.Contains(err.Error(), "nothing answers there: check the instance or login URL and its port") {
		t.Errorf("err = %v, want the connection-refused hint", err)
	}
}
