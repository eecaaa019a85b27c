package verdict

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the rule table in docs/schema.md and the facts goldens in testdata/facts")

// TestRulesDocumented: docs/schema.md lists every rule, in table order.
func TestRulesDocumented(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "schema.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatal("docs/schema.md lacks the rules markers")
	}
	want := rulesTable()
	if *update {
		if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc[i+len(begin):j] != want {
		t.Error("the rule table in docs/schema.md is out of date: go test ./internal/verdict -run TestRulesDocumented -args -update")
	}
}

func rulesTable() string {
	var b strings.Builder
	b.WriteString("| Rule | When it holds |\n| --- | --- |\n")
	for _, r := range ProblemRules() {
		b.WriteString("| `" + r.ID + "` | *problem*: " + strings.ReplaceAll(r.Doc, "|", "\\|") + " |\n")
	}
	for _, r := range SiteRules() {
		b.WriteString("| `" + r.ID + "` | *site*: " + strings.ReplaceAll(r.Doc, "|", "\\|") + " |\n")
	}
	for _, r := range Rules() {
		b.WriteString("| `" + r.ID + "` | " + strings.ReplaceAll(r.Doc, "|", "\\|") + " |\n")
	}
	for _, r := range PostRules() {
		b.WriteString("| `" + r.ID + "` | *post-pass*: " + strings.ReplaceAll(r.Doc, "|", "\\|") + " |\n")
	}
	return b.String()
}
