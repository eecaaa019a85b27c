package finish

import (
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy"
)

// Remedies writes the fixes of a saved report again from its findings: a
// snippet read from a file is not trusted (a crafted report could hold
// any command to paste).
func Remedies(rep *record.Report) { remedy.Attach(rep) }

// RemedyContext is what a caller outside a diagnosis (waf replay) knows
// about a refused request, for WAFRemedies.
type RemedyContext = remedy.Context

// WAFRemedies returns the narrowest exclusion for WAF rules that refused
// one request (wp403 waf replay): the same remedies a diagnosis attaches
// to a waf-rule finding.
func WAFRemedies(method, route string, rules []record.RuleHit, c RemedyContext) []record.Remedy {
	f := record.Finding{Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Rules: rules,
		Request: record.Request{Method: method, Route: route}}
	return remedy.For(&f, c)
}

// AttackIn says why the rules look like a real attack rather than a false
// positive, or "" (for waf replay's caveat).
func AttackIn(rules []record.RuleHit) string { return remedy.AttackIn(rules) }
