package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// FuzzDecodeRender: whatever Decode accepts, every renderer renders
// without panicking. Seeds are the JSON goldens.
func FuzzDecodeRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"schema":"wp403.report/v1","findings":[{"id":"x","severity":"block","layer":"moon","observations":[]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		renderEveryFormat(t, rep)
		var buf bytes.Buffer
		r, _ := For("junit")
		if err := r.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(buf.Bytes(), new(junitSuites)); err != nil {
			t.Errorf("junit output is not well-formed XML: %v", err)
		}
	})
}

// TestRenderSparseReports: reports with missing parts, or values outside
// the vocabularies, still render in every format.
func TestRenderSparseReports(t *testing.T) {
	odd := wafRuleReport()
	odd.Findings[0].Layer = "moon"
	odd.Findings[0].Severity = "fatal"
	odd.Findings[0].Observations = []string{"missing"}
	odd.Observations[0].Class = nil
	odd.Observations[0].Response = nil
	for _, rep := range []*record.Report{{}, {Findings: []record.Finding{{ID: "f1", Severity: record.SevBlock}}}, odd} {
		renderEveryFormat(t, rep)
	}
}

func renderEveryFormat(t *testing.T, rep *record.Report) {
	t.Helper()
	for _, format := range Formats {
		r, err := New(format, Options{Text: TextOptions{Verbose: true, Color: true, Width: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Render(io.Discard, rep); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
}
