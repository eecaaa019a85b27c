package diagnose

import (
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy"
	"github.com/wp403/wp403/internal/verdict"
)

// Analyze is the one way observations become a verdict: it runs the
// verdict engine on the report's observations and site (findings, or the
// problem that kept the run from diagnosing the site) and attaches the
// narrowest remedies. diagnose.Run (and so policy checks), har and the
// exporter use it; hasOrigin says whether origin probes were sent. extra
// findings the driver made itself (a REST root on a foreign host) are
// appended before the remedies.
func Analyze(rep *record.Report, hasOrigin bool, extra ...record.Finding) {
	AnalyzeWanted(rep, hasOrigin, nil, extra...)
}

// AnalyzeWanted is Analyze for a run whose requests the user asked for
// (retest --browser walks the user's own editor path): a refusal of a
// wanted request is never taken for deliberate hardening.
func AnalyzeWanted(rep *record.Report, hasOrigin bool, wanted []record.Request, extra ...record.Finding) {
	res := verdict.Analyze(verdict.Input{Observations: rep.Observations, HasOrigin: hasOrigin,
		AppPasswords: rep.Site.AppPasswords, Site: rep.Site, TargetURL: rep.Target.URL, Wanted: wanted})
	rep.Findings, rep.Problem = append(res.Findings, extra...), res.Problem
	AttachRemedies(rep)
}

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
