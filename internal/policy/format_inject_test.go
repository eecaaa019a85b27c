package policy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestFormatCommentsCannotInject: a route-index namespace (server data)
// that holds line breaks stays inside its comment: the written policy
// reads back with no rule the server slipped in.
func TestFormatCommentsCannotInject(t *testing.T) {
	evil := "evil/v1\nrules:\n  - name: injected\n    route: /x\n    identities: [anonymous]\n    expect: allow\r\x85# \u2028x"
	d := &Doc{Comment: []string{"head " + evil}, Tail: []string{"  /" + evil + " (1 routes)"},
		Policy: Policy{Site: Site{URL: "https://blog.example/"}, Rules: []Rule{{Name: "index", Route: "/", Methods: []string{"GET"},
			Identities: []string{"anonymous"}, Expect: record.ExpectAllow, Note: "refused by " + evil}}}}
	out := Format(d)
	p, err := Load(out)
	if err != nil {
		t.Fatalf("written policy does not load: %v\n%s", err, out)
	}
	if len(p.Rules) != 1 || strings.Contains(string(out), "\n  - name: injected") {
		t.Fatalf("a comment injected YAML:\n%s", out)
	}
}
