package sfclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// A slow server against a context deadline: the call returns at the deadline, not after the
// server's answer.
func TestE2ESlowServerRespectsDeadline(t *testing.T) {
	t.Parallel()
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
	if elapsed > 300*time.Millisecond+100*time.Millisecond {
		t.Errorf("returned after %v, want within the 300ms deadline + 100ms", elapsed)
	}
}
