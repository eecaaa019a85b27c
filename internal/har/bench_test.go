package har

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// entriesReader streams n REST entries (one in ten refused) without
// holding them.
type entriesReader struct {
	n, i int
	buf  []byte
}

func (r *entriesReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.i <= r.n {
		switch {
		case r.i == 0:
			r.buf = append(r.buf, `{"log":{"creator":{"name":"WebInspector"},"entries":[`...)
		case r.i == r.n:
			r.buf = append(r.buf, `]}}`...)
		default:
			if r.i > 1 {
				r.buf = append(r.buf, ',')
			}
			status := "200"
			if r.i%10 == 0 {
				status = "403"
			}
			r.buf = fmt.Appendf(r.buf, restEntry, r.i%10, status, strings.Repeat("x", 2000), "1", "1")
		}
		r.i++
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[:copy(r.buf, r.buf[n:])]
	return n, nil
}

// BenchmarkReadHAR: 100,000 REST entries (about 230 MB); reports the peak
// live heap, which must not grow with the file.
func BenchmarkReadHAR(b *testing.B) {
	var peak uint64
	for b.Loop() {
		w := &heapWatch{r: &entriesReader{n: 100_000}}
		if _, err := Read(w, "bench", Options{}); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, w.peak)
		b.SetBytes(w.read)
	}
	b.ReportMetric(float64(peak>>20), "peak-heap-MiB")
}

// BenchmarkHugeString: one 512 MB string in a kept field.
func BenchmarkHugeString(b *testing.B) {
	var peak uint64
	for b.Loop() {
		pre, post, _ := strings.Cut(fmt.Sprintf(restEntry, 1, "200", "@", "1", "1"), "@")
		w := &heapWatch{r: io.MultiReader(strings.NewReader(`{"log":{"entries":[`+pre), &repeat{c: 'A', n: 512 << 20}, strings.NewReader(post+`]}}`))}
		if _, err := Read(w, "bench", Options{}); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, w.peak)
		b.SetBytes(w.read)
	}
	b.ReportMetric(float64(peak>>20), "peak-heap-MiB")
}
