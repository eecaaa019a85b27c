package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/demo"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/transcripts")

// volatile masks what changes from run to run: clock, durations, timings.
var volatile = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, [0-9.]+m?s`), "<time>, <duration>"},
	{regexp.MustCompile(`"(started|time)": "[^"]*"`), `"$1": "<time>"`},
	{regexp.MustCompile(`"(duration_ms|connect_ms|tls_ms|first_byte_ms|total_ms)": [0-9.e+-]+`), `"$1": 0`},
	{regexp.MustCompile(`wp403-[0-9a-f]{8}-(\d+)`), "wp403-<run>-$1"},
	{regexp.MustCompile(`wp403-check-[0-9a-f]{8}`), "wp403-check-<run>"},
	{regexp.MustCompile(`\b\d+(\.\d+)? ?ms\b`), "<ms>"},
	{regexp.MustCompile(`go\d+\.\d+\S* \w+/\w+`), "<go version> <os>/<arch>"},
}

// TestGoldenTranscripts runs CLI commands and compares their output with
// testdata/transcripts/*.txt (go test ./internal/cli -run Golden -update).
func TestGoldenTranscripts(t *testing.T) {
	cases := map[string][]string{
		"version":             {"version"},
		"version-flag":        {"--version"},
		"demo-help":           {"demo", "--help"},
		"har-not-a-har":       {"har", "../../go.mod"},
		"diff-mismatch":       {"diff", "../report/testdata/healthy.json", "../report/testdata/edge-block.json"},
		"diff-html":           {"diff", "../report/testdata/waf-rule.json", "../report/testdata/edge-block.json", "--force", "-f", "html"},
		"classify-directory":  {"classify", "testdata"},
		"header-comma":        {"diagnose", "https://127.0.0.1:9/", "-H", "Accept: a, b", "-H", "X-Empty", "--resolve", "h:1:a1,a2"},
		"demo-list":           {"demo", "list"},
		"usage-error":         {"diagnose"},
		"bad-url":             {"diagnose", "ftp://blog.example/"},
		"bad-request":         {"diagnose", "https://127.0.0.1:9/", "--request", "POST"},
		"other-host":          {"diagnose", "https://127.0.0.1:9/", "--request", "GET https://127.0.0.2:9/wp-json/"},
		"refused":             {"diagnose", "http://127.0.0.1:9/"},
		"fleet-bad-config":    {"check", "--targets", "testdata/fleet-bad.yaml"},
		"exporter-bad-config": {"exporter", "--config", "testdata/fleet-bad.yaml", "--listen", "127.0.0.1:0"},
		"check-no-policy":     {"check"},
	}
	for _, name := range []string{"waf-post-content", "edge-strip-authorization", "wp-capability", "healthy",
		"plugin-rest-filter", "server-broken-try-files", "client-stale-nonce", "edge-ua-block"} {
		cases["demo-"+name] = []string{"demo", name}
		cases["demo-"+name+"-md"] = []string{"demo", name, "--format", "markdown"}
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			got := transcript(args)
			path := filepath.Join("testdata", "transcripts", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("transcript %s changed (run with -update after checking):\n--- got\n%s", name, got)
			}
		})
	}
	if len(demo.Names()) == 0 {
		t.Fatal("no captures embedded")
	}
}

// transcript renders a command's exit code, stdout and stderr.
func transcript(args []string) string {
	var out, errb bytes.Buffer
	fixed := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	env := Env{Vars: map[string]string{}, Now: func() time.Time { return fixed }}
	code := Run(context.Background(), env, strings.NewReader(""), &out, &errb, args)
	s := "$ wp403 " + strings.Join(args, " ") + "\n" + out.String()
	if errb.Len() > 0 {
		s += "--- stderr\n" + errb.String()
	}
	s += "--- exit " + itoaExit(code) + "\n"
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.repl)
	}
	return s
}

func itoaExit(c int) string { return string(rune('0' + c)) }
