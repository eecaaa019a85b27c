package logscan

import (
	"context"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// scanSynth scans n generated lines into a Summary and returns the peak
// live heap seen while reading, and the summary.
func scanSynth(t testing.TB, n int) (uint64, *Summary) {
	var peak uint64
	src := &synthLog{n: n, every: 8 << 20, tick: peakHeap(&peak)}
	var s Summary
	st, err := Scan(context.Background(), src, "synth", Options{}, func(e record.LogEntry) { s.Add(e) })
	if err != nil || st.Unparsed != 0 || st.Lines != n {
		t.Fatalf("scan: %v %+v", err, st)
	}
	return peak, &s
}

// TestMemoryFlat: ten times the input must not need more live memory.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads ~330 MB of generated log")
	}
	small, s1 := scanSynth(t, 200_000)
	big, s2 := scanSynth(t, 2_000_000)
	t.Logf("peak live heap: %d KiB for 200k lines (%d refused), %d KiB for 2M lines (%d refused)", small>>10, s1.Refused, big>>10, s2.Refused)
	if s2.Refused < 9*s1.Refused || len(s2.Groups) != len(s1.Groups) {
		t.Fatalf("summaries differ in shape: %d/%d groups", len(s1.Groups), len(s2.Groups))
	}
	if big > small+4<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB with 10x the input", small>>10, big>>10)
	}
}
