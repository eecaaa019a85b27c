package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Rule is one named piece of reasoning: when its condition holds on a
// subject's facts, it writes the finding. Rules are tried in table order
// and the first that matches wins.
type Rule struct {
	ID   string
	Doc  string
	When func(*Facts) bool
	Then func(*Facts) attribution
}

// Rules returns the ordered rule table (a copy: callers may not reorder it).
func Rules() []Rule { return append([]Rule(nil), rules...) }

// rules is the table: network, then the login/nonce steps, then
// hardening (which consults the rest), then what WordPress wrote, then
// what was written before WordPress ran. Built in init: the hardening
// rule reads the table.
var rules []Rule

func init() {
	rules = concat(networkRules, authStepRules, []Rule{hardeningRule}, agentRules, wordpressRules, upstreamRules, originRules)
}

func concat(groups ...[]Rule) []Rule {
	var out []Rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// evaluate runs the table on one subject and finishes the finding.
func evaluate(f *Facts) record.Finding {
	id, a := decide(f, false)
	if !strings.HasPrefix(id, "agent-") {
		a = withAgentDetail(f, a)
	}
	if f.Role == record.RoleAuthStep && !f.Primary.ReachedWP && f.Primary.HTTP && !f.Primary.ReadFailure && !isAuthStepRule(id) {
		a.summary += " wp-admin needs this step to get a REST nonce, so cookie-authenticated REST requests (the block editor's) cannot work."
	}
	return finish(f, id, a)
}
