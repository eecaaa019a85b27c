package verdict

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoLabOnlyStrings: no rule keys on text only the lab produces. The
// lab's own marks (its host name, the headers its edge adds, the names of
// its mu-plugins and their error codes) must not appear in the verdict's
// code; rules read status semantics, WordPress core's codes and headers,
// the classifier's record.Class and differentials.
func TestNoLabOnlyStrings(t *testing.T) {
	marks := []string{"wp403.test", "x-edge", "127.0.80.", "127.0.81.", "127.0.82.", "wp403-lab", "lab-editor", "lab-admin"}
	plugins, _ := filepath.Glob(filepath.Join("..", "..", "lab", "scenarios", "*", "mu-plugin.php"))
	name := regexp.MustCompile(`Plugin Name:\s*([^(\n]+)`)
	code := regexp.MustCompile(`'code'\s*=>\s*'([a-z_]+)'|new WP_Error\(\s*'([a-z_]+)'`)
	for _, p := range plugins {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := name.FindSubmatch(b); m != nil {
			marks = append(marks, strings.TrimSpace(string(m[1])))
		}
		for _, m := range code.FindAllSubmatch(b, -1) {
			c := string(m[1]) + string(m[2])
			if !isCoreCode(c) && c != "wp_die" {
				marks = append(marks, c)
			}
		}
	}
	if len(plugins) == 0 {
		t.Fatal("no lab mu-plugins found")
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := strings.ToLower(string(b))
		for _, m := range marks {
			if m != "" && strings.Contains(src, strings.ToLower(m)) {
				t.Errorf("%s mentions the lab-only %q", f, m)
			}
		}
	}
	t.Logf("checked %d lab marks against %d files", len(marks), len(files))
}
