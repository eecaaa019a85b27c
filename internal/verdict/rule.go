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

// PostRule is a pass over the table's conclusion.
type PostRule struct{ ID, Doc string }

// PostRules are the passes after the table, in order.
func PostRules() []PostRule { return []PostRule{{ID: ruleHardening, Doc: hardeningDoc}} }

// rules is the table: network, then the login/nonce steps, then the
// agent's account, then what WordPress wrote, then what was written
// before WordPress ran. Built in init: the groups live in their files.
var rules []Rule

func init() {
	rules = concat(networkRules, authStepRules, agentRules, wordpressRules, upstreamRules, originRules)
}

func concat(groups ...[]Rule) []Rule {
	var out []Rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// decide runs the table: the first rule whose condition holds writes the
// attribution; nothing holding leaves an unknown refusal.
func decide(f *Facts) (string, attribution) {
	for i := range rules {
		if r := &rules[i]; r.When(f) {
			return r.ID, r.Then(f)
		}
	}
	return "", attribution{layer: record.LayerServer, mech: record.MechUnknown, conf: record.ConfLow}
}

// evaluate runs the table on one subject, then the post-passes, and
// finishes the finding.
func evaluate(f *Facts) record.Finding {
	id, a := decide(f)
	if h, ok := hardened(f, id, a); ok {
		id, a = ruleHardening, h
	}
	if !strings.HasPrefix(id, "agent-") {
		a = withAgentDetail(f, a)
	}
	if f.Role == record.RoleAuthStep && !f.Primary.ReachedWP && f.Primary.HTTP && !f.Primary.ReadFailure && !isAuthStepRule(id) {
		a.summary += " wp-admin needs this step to get a REST nonce, so cookie-authenticated REST requests (the block editor's) cannot work."
	}
	return finish(f, id, a)
}
