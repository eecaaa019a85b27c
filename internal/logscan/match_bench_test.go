package logscan

import (
	"context"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// BenchmarkReadMatching: 2 million access-log lines streamed through a
// Matcher for a handful of observations; reports lines/s and the peak
// live heap, which must not grow with the log.
func BenchmarkReadMatching(b *testing.B) {
	at := time.Date(2026, 11, 26, 0, 10, 0, 0, time.UTC)
	var peak uint64
	for b.Loop() {
		obs := []record.Observation{
			{ID: "o1", RequestID: "wp403-x-1", Time: at, Request: record.HTTPRequest{Method: "GET", URL: "https://blog.example/wp-json/wp/v2/posts/1"}},
			{ID: "o2", Time: at, Request: record.HTTPRequest{Method: "POST", URL: "https://blog.example/wp-json/wp/v2/posts/6/autosaves"}},
		}
		m := NewMatcher(obs, DefaultWindow)
		src := &synthLog{n: 2_000_000, every: 32 << 20, tick: peakHeap(&peak)}
		if _, err := Scan(context.Background(), src, "synth", Options{}, m.Add); err != nil {
			b.Fatal(err)
		}
		m.Attach(obs)
		b.SetBytes(src.read)
	}
	b.ReportMetric(float64(2_000_000*b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(peak>>20), "peak-heap-MiB")
}
