package logscan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func benchFile(b *testing.B, name string, copies int) {
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(raw, copies)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Scan(context.Background(), bytes.NewReader(data), name, Options{}, func(record.LogEntry) {}); err != nil {
			b.Fatal(err)
		}
	}
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
