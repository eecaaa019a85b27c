package verdict

import (
	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// attribution is what a rule concludes about one subject.
type attribution struct {
	layer       record.Layer
	mech        record.Mechanism
	vendor      string
	product     string // the vendor's internal/product id; productOf(vendor) when empty
	conf        record.Confidence
	summary     string
	next        string
	needsOrigin string
	header      string // the request header that did not arrive (header-stripped)
	evidence    []string
	cites       []*record.Observation
	rules       []record.RuleHit
	severity    record.Severity
}

// cite adds observations as evidence; the reason goes on the first line.
func (a *attribution) cite(reason string, obs ...*record.Observation) {
	for _, o := range obs {
		if o == nil {
			continue
		}
		a.cites = append(a.cites, o)
		if reason != "" {
			a.evidence = append(a.evidence, describe(o)+" — "+reason)
			reason = ""
		} else {
			a.evidence = append(a.evidence, describe(o))
		}
	}
}

// finish turns an attribution into a finding citing its observations.
func finish(f *Facts, rule string, a attribution) record.Finding {
	if a.severity == "" {
		a.severity = record.SevBlock
	}
	basis := earn(f, &a)
	fd := record.Finding{Basis: basis,
		Severity: a.severity, Layer: a.layer, Mechanism: a.mech, Vendor: a.vendor, Product: a.product, Rule: rule,
		Request: f.Request, Status: f.Status, Confidence: a.conf, Summary: a.summary,
		Evidence: a.evidence, Next: a.next, NeedsOrigin: a.needsOrigin, Rules: a.rules,
		StoppedAt: a.layer, Header: a.header,
	}
	if fd.Product == "" {
		fd.Product = productOf(a.vendor)
	}
	seen := map[string]bool{}
	cited := append([]*record.Observation{f.Primary.obs()}, a.cites...)
	if basis == "differential" && f.Compared && f.Origin != nil {
		cited = append(cited, f.Origin.obs()) // the comparison the confidence rests on
	}
	for _, o := range cited {
		if o != nil && !seen[o.ID] {
			seen[o.ID] = true
			fd.Observations = append(fd.Observations, o.ID)
		}
	}
	return fd
}

// statusPair is the status of the request as sent at the edge and at the origin.
func statusPair(s *subject) record.StatusPair {
	st := func(o *record.Observation) int {
		if o == nil {
			return 0
		}
		if o.Response == nil {
			return -1
		}
		return o.Status()
	}
	p := record.StatusPair{Edge: st(s.get(record.VarAsSent, record.VantageEdge)), Origin: st(s.get(record.VarAsSent, record.VantageOrigin))}
	if p.Edge == 0 {
		p.Edge = st(s.primary())
	}
	return p
}

// productOf is the registry id of a vendor the rules named without one: a
// plugin directory (the classifier's asset slug, the agent's component) or
// a name a log or header gave (a WAF engine, X-Redirect-By), matched
// exactly, never as a substring.
func productOf(vendor string) string {
	if vendor == "" {
		return ""
	}
	reg := product.Default()
	p := reg.ByAsset(vendor)
	if p == nil {
		p = reg.Named(vendor)
	}
	if p == nil {
		return ""
	}
	return p.ID
}
