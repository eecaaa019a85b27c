package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wp403/wp403/internal/record"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var formatExt = map[string]string{"text": "txt", "json": "json", "markdown": "md", "html": "html", "junit": "xml"}

// TestGolden renders every fixture in every format and compares with
// testdata/<fixture>.<ext>; run with -update to rewrite them after an
// intended change, and read the diff.
//
// Saved reports in testdata/reports/*.json (lab captures, for example)
// join the fixtures built in code: drop a file there and run -update.
func TestGolden(t *testing.T) {
	for _, gc := range append(goldenCases, savedReports(t)...) {
		for _, format := range Formats {
			t.Run(gc.name+"/"+format, func(t *testing.T) {
				r, err := New(format, Options{Text: TextOptions{Width: 88}})
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, r, gc.build, gc.name+"."+formatExt[format])
			})
		}
	}
}

// TestGoldenTextVariants covers the colour (Unicode) and verbose text modes.
func TestGoldenTextVariants(t *testing.T) {
	variants := []struct {
		file string
		opts TextOptions
	}{
		{"waf-rule.color.txt", TextOptions{Color: true, Width: 88}},
		{"waf-rule.verbose.txt", TextOptions{Width: 88, Verbose: true}},
		{"waf-rule.narrow.txt", TextOptions{Width: 60}},
	}
	for _, v := range variants {
		t.Run(v.file, func(t *testing.T) {
			r, err := New("text", Options{Text: v.opts})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, r, wafRuleReport, v.file)
		})
	}
}

// savedReports loads testdata/reports/*.json as golden cases named after the file.
func savedReports(t *testing.T) []goldenCase {
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		build := func() *record.Report {
			r, _ := Decode(bytes.NewReader(data))
			return r
		}
		cases = append(cases, goldenCase{name: strings.TrimSuffix(filepath.Base(file), ".json"), build: build})
	}
	return cases
}

func checkGolden(t *testing.T, r Renderer, build func() *record.Report, file string) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, build()); err != nil {
		t.Fatalf("render: %v", err)
	}
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test ./internal/report -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
	}
}
