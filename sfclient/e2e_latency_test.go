package sfclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// A slow server against a context deadline: the call returns at the deadline, not after the
// server's answer. Not parallel, to keep scheduling noise out of the measurement; the bound
// is loose (the server would answer after 3s) because shared CI machines stall goroutines.
func TestE2ESlowServerRespectsDeadline(t *testing.T) {
	srv, c, _ := newOrg(t, sftest.Config{})
	if _, err := c.APIVersion(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.SetLatency(3 * time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Limits(ctx)
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	t.Logf("returned %v after the start, deadline 300ms", elapsed)
	if elapsed > time.Second {
		t.Errorf("returned after %v, want soon after the 300ms deadline (the server answers after 3s)", elapsed)
	}
}
