package logscan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

func benchFile(b *testing.B, name string, copies int) {
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(raw, copies)
	lines := bytes.Count(data, []byte("\n"))
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Scan(context.Background(), bytes.NewReader(data), name, Options{}, func(record.LogEntry) {}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/(cpuTime()-cpu0).Seconds(), "lines/cpu-s")
}

func BenchmarkAccessCombined(b *testing.B) {
	src := &synthLog{n: 100_000}
	var buf bytes.Buffer
	buf.ReadFrom(src)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		var s Summary
		if _, err := Scan(context.Background(), bytes.NewReader(data), "synth", Options{}, s.Add); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkNginxError(b *testing.B)    { benchFile(b, "nginx-error.log", 200) }
func BenchmarkApacheError(b *testing.B)   { benchFile(b, "apache-error.log", 200) }
func BenchmarkModsec3JSON(b *testing.B)   { benchFile(b, "modsec3-audit.json", 200) }
func BenchmarkModsec2Native(b *testing.B) { benchFile(b, "modsec2-audit-native.log", 200) }
func BenchmarkCorazaJSON(b *testing.B)    { benchFile(b, "coraza-audit.json", 200) }
func BenchmarkHAProxy(b *testing.B)       { benchFile(b, "haproxy-http.log", 500) }

// BenchmarkEdgeJSON: logs on a JSON-lines edge log (Cloudflare
// http_requests), the "≥ 1 M lines/s per core" target; run with
// -cpu 1 for the per-core figure. bench/logs-edge.sh does the same on a
// 1 GB file and measures RSS.
func BenchmarkEdgeJSON(b *testing.B) {
	const n = 200_000
	var buf bytes.Buffer
	buf.ReadFrom(&synthEdge{n: n})
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		var s Summary
		st, err := Scan(context.Background(), bytes.NewReader(data), "synth", Options{}, s.Add)
		s.Finish()
		if err != nil || st.Format != FmtCloudflareHTTP || st.Unparsed != 0 || s.Refused == 0 {
			b.Fatal(err, st)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "lines/s")
	// CPU seconds, not wall: on a shared machine the wall clock counts
	// the time other processes held the core.
	b.ReportMetric(float64(n*b.N)/(cpuTime()-cpu0).Seconds(), "lines/cpu-s")
}

// cpuTime is the user and system CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEdgeFormats: every edge format on its documented sample,
// repeated (every line a REST request, so each one is decoded: the worst
// case of a log, where the REST prefilter skips nothing).
func BenchmarkEdgeFormats(b *testing.B) {
	for _, s := range edgeSamples {
		if s.edge && strings.HasSuffix(s.file, "json") || strings.HasSuffix(s.file, ".log") && s.format == FmtCaddy {
			b.Run(s.format, func(b *testing.B) { benchFile(b, s.file, 2000) })
		}
	}
}
