package demo

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
)

var update = flag.Bool("update", false, "rewrite scenarios.tsv from the lab's truth files")

// TestDescriptions keeps scenarios.tsv equal to the truth files, and
// checks that every embedded capture has a description.
func TestDescriptions(t *testing.T) {
	scs, err := labkit.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range scs {
		if strings.ContainsAny(s.Description, "\t\n") || s.Description == "" {
			t.Errorf("%s: description must be one non-empty line without tabs", s.Name)
		}
		b.WriteString(s.Name + "\t" + s.Description + "\n")
	}
	if *update {
		if err := os.WriteFile("scenarios.tsv", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if b.String() != descriptions {
		t.Errorf("scenarios.tsv differs from lab/scenarios/*/truth.json (go test ./internal/demo -update)")
	}
	for _, n := range Names() {
		if Describe(n) == "" {
			t.Errorf("capture %s has no description", n)
		}
	}
}
