package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wp403/wp403/internal/record"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var formatExt = map[string]string{"text": "txt", "json": "json", "markdown": "md", "html": "html", "junit": "xml"}

// TestGolden renders every fixture in every format and compares with
// testdata/<fixture>.<ext>; run with -update to rewrite them after an
// intended change, and read the diff.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases {
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
