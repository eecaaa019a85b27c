package verdict

import "github.com/wp403/wp403/internal/record"

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

// rules is the table: network, then the login/nonce steps, then what
// WordPress wrote, then what was written before WordPress ran.
var rules = concat(networkRules, authStepRules, wordpressRules, upstreamRules, originRules)

func concat(groups ...[]Rule) []Rule {
	var out []Rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// match returns the first rule whose condition holds.
func match(f *Facts) *Rule {
	for i := range rules {
		if rules[i].When(f) {
			return &rules[i]
		}
	}
	return nil
}

// evaluate runs the table on one subject and finishes the finding.
func evaluate(f *Facts) record.Finding {
	r := match(f)
	if r == nil { // not reached: the last rule matches every HTTP refusal
		a := attribution{layer: record.LayerServer, mech: record.MechUnknown, conf: record.ConfLow}
		return finish(f, "", a)
	}
	a := r.Then(f)
	if f.Role == RoleAuthStep && !f.Primary.ReachedWP && f.Primary.HTTP && !f.Primary.ReadFailure && !isAuthStepRule(r.ID) {
		a.summary += " wp-admin needs this step to get a REST nonce, so cookie-authenticated REST requests (the block editor's) cannot work."
	}
	return finish(f, r.ID, a)
}
