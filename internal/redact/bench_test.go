package redact

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkScrubberGrowing: a HAR adds up to 512 secrets one entry at a
// time, scrubbing a body after each (the replacer is rebuilt each time).
func BenchmarkScrubberGrowing(b *testing.B) {
	body := strings.Repeat("some ordinary body text with a nonce-like 0a1b2c3d4e and json {\"a\":1} ", 200)
	for i := 0; i < b.N; i++ {
		var s Scrubber
		for k := 0; k < 512; k++ {
			s.Add(fmt.Sprintf("secret-value-%04d-xyz", k))
			_ = s.String(body)
		}
	}
}

// BenchmarkScrubberString: one 1 MB body against 512 secrets in every form.
func BenchmarkScrubberString(b *testing.B) {
	var s Scrubber
	for k := 0; k < 512; k++ {
		s.Add(fmt.Sprintf("secret-value-%04d-xyz", k))
	}
	body := strings.Repeat("x", 1<<20)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.String(body)
	}
}
