package demo

import (
	_ "embed"
	"strings"
)

// scenarios.tsv holds one line per lab scenario: its name, a tab, and the
// description from lab/scenarios/NAME/truth.json (TestDescriptions keeps
// the two equal; go test ./internal/demo -update rewrites it).
//
//go:embed scenarios.tsv
var descriptions string

// Describe returns the one-line description of a scenario, or "".
func Describe(name string) string {
	for _, line := range strings.Split(descriptions, "\n") {
		if n, d, ok := strings.Cut(line, "\t"); ok && n == name {
			return d
		}
	}
	return ""
}
