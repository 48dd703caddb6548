package syncbuf

import (
	"strings"
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	var b Buffer
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.Write([]byte("ab"))
		}()
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("ab", 50) {
		t.Errorf("String() = %q, want 50 intact writes", got)
	}
}
