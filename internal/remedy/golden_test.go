package remedy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// render is the golden form of a list of remedies.
func render(rs []record.Remedy) string {
	var b strings.Builder
	for i, r := range rs {
		fmt.Fprintf(&b, "== remedy %d: %s [%s, %s, narrow=%t]\n", i+1, r.Title, r.Layer, r.Product, r.Narrow)
		for _, kv := range [][2]string{{"scope", r.Scope}, {"where", r.Where}, {"caveat", r.Caveat}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
			}
		}
		if r.Snippet != "" {
			fmt.Fprintf(&b, "--- snippet\n%s--- end\n", r.Snippet)
		}
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(For(&c.f, c.c))
			path := filepath.Join("testdata", "golden", c.name+".txt")
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
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("remedies differ from %s (rerun with -update after checking):\n--- got\n%s", path, got)
			}
		})
	}
}

// TestEveryMechanism: each mechanism of the closed vocabulary has a
// generator and a golden case, and every remedy is complete.
func TestEveryMechanism(t *testing.T) {
	covered := map[record.Mechanism]bool{}
	for _, c := range cases {
		covered[c.f.Mechanism] = true
	}
	for _, m := range record.Mechanisms {
		if _, ok := generators[m]; !ok {
			t.Errorf("no generator for mechanism %q", m)
		}
		if !covered[m] {
			t.Errorf("no golden case for mechanism %q", m)
		}
	}
	for _, c := range cases {
		rs := For(&c.f, c.c)
		if len(rs) == 0 {
			t.Errorf("%s: no remedy", c.name)
		}
		for _, r := range rs {
			if r.Title == "" || r.Scope == "" || r.Layer == "" || r.Product == "" {
				t.Errorf("%s: incomplete remedy %+v", c.name, r)
			}
			if !r.Narrow && r.Title != "No narrow fix exists" {
				t.Errorf("%s: Narrow=false must say no narrow fix exists, title %q", c.name, r.Title)
			}
		}
	}
}

// TestNeverBroad: no remedy switches a protection off or opens all of /wp-json/.
func TestNeverBroad(t *testing.T) {
	broad := []string{"SecRuleEngine Off", "ruleEngine=Off", "modsecurity off", "SecRuleRemoveById",
		"ruleRemoveByTag", "location /wp-json/", "location ^~ /wp-json/ ", "Require all granted\n</Location",
		"ruleRemoveById=949110", "http-request allow", "auth_basic off;\n}"}
	for _, c := range cases {
		for _, r := range For(&c.f, c.c) {
			for _, b := range broad {
				if strings.Contains(r.Snippet, b) {
					t.Errorf("%s: snippet contains %q:\n%s", c.name, b, r.Snippet)
				}
			}
		}
	}
}

func TestNilFinding(t *testing.T) {
	if rs := For(nil, Context{}); rs != nil {
		t.Errorf("For(nil) = %v", rs)
	}
}
