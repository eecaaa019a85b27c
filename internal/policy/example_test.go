package policy

import (
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestExampleLoads: the annotated example in docs loads and means what
// its comments say.
func TestExampleLoads(t *testing.T) {
	p, err := LoadFile("../../docs/policy.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Identities) != 4 || p.Site.Origin != "203.0.113.10" {
		t.Errorf("identities %+v site %+v", p.Identities, p.Site)
	}
	n := len(Profile("public")) + len(Profile("block-editor")) + len(Profile("integration")) + 4
	if len(p.Rules) != n {
		t.Errorf("%d rules, want %d", len(p.Rules), n)
	}
	last := p.Rules[len(p.Rules)-1]
	if !last.Write || last.Identities[0] != "zapier" || last.Expect != record.ExpectAllow {
		t.Errorf("last rule %+v", last)
	}
}
