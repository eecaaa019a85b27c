package policy

import (
	"slices"

	"github.com/wp403/wp403/internal/record"
)

// explain fills a check's verdict, layer, detail and finding from the
// judged outcome and the findings of the diagnosis that sent it. A deny
// rule that holds turns its finding into an info "hardening still in
// place" without remedies (the fix would undo the hardening); an allow
// rule that holds turns a block finding on its request into info.
func explain(rep *record.Report, c *record.Check, out Outcome, edge *record.Observation, own, others []string) {
	c.Pass, c.Verdict, c.Detail = out.Pass, out.Verdict, out.Detail
	f := findingFor(rep, c.Request, own, others)
	if edge == nil && f == nil {
		f = firstBlock(rep) // not sent: the login or nonce failed, and a finding says where
	}
	switch {
	case f == nil:
		if !c.Pass && edge != nil && edge.Class != nil && edge.Class.Refusal {
			c.Layer = edge.Class.Producer
		}
		if c.Pass && c.Expect == record.ExpectDeny && edge != nil && edge.Class != nil {
			c.Layer = edge.Class.Producer
		}
	case c.Pass && c.Expect == record.ExpectDeny:
		c.Finding, c.Layer = f.ID, f.Layer
		c.Detail = "hardening still in place: refused by " + layerPhrase(f)
		if f.Layer == record.LayerClient && edge != nil && edge.Class != nil && edge.Class.Producer != "" {
			// "the client sent no credentials" is why; who refused is who answered
			c.Layer = edge.Class.Producer
			c.Detail = "hardening still in place: refused by " + string(c.Layer) + " (" + statusText(edge) + ")"
		}
		if f.Severity != record.SevInfo {
			f.Severity, f.Summary = record.SevInfo, "Hardening still in place: "+f.Summary
			f.Remedies, f.Next = nil, ""
		}
	case c.Pass:
		if f.Severity == record.SevBlock {
			f.Severity = record.SevInfo
			f.Summary = "Counted as allowed (" + string(c.Expect) + " rule): " + f.Summary
		}
	case f.Severity != record.SevInfo:
		c.Finding, c.Layer = f.ID, f.Layer
		c.Detail += ": " + layerPhrase(f)
	}
}

func layerPhrase(f *record.Finding) string {
	s := string(f.Layer)
	if f.Vendor != "" {
		s += " (" + f.Vendor + ", " + string(f.Mechanism) + ")"
	} else {
		s += " (" + string(f.Mechanism) + ")"
	}
	return s
}

// findingFor returns the finding about a check's request: first one that
// cites the observations of its own probe (own), else one naming its
// request (or naming it as related) that cites no observation of another
// probe with the same method, route and auth (others: a rule for the same
// route with another query); block first.
func findingFor(rep *record.Report, req record.Request, own, others []string) *record.Finding {
	rank := func(f *record.Finding) int {
		return map[record.Severity]int{record.SevBlock: 3, record.SevWarn: 2, record.SevInfo: 1}[f.Severity]
	}
	pick := func(match func(*record.Finding) bool) *record.Finding {
		var best *record.Finding
		for i := range rep.Findings {
			if f := &rep.Findings[i]; match(f) && (best == nil || rank(f) > rank(best)) {
				best = f
			}
		}
		return best
	}
	if f := pick(func(f *record.Finding) bool { return cites(f, own) }); f != nil {
		return f
	}
	return pick(func(f *record.Finding) bool {
		named := sameRequest(f.Request, req) || slices.ContainsFunc(f.Related, func(r record.Request) bool { return sameRequest(r, req) })
		return named && !cites(f, others)
	})
}

func cites(f *record.Finding, ids []string) bool {
	for _, id := range ids {
		if slices.Contains(f.Observations, id) {
			return true
		}
	}
	return false
}

func sameRequest(a, b record.Request) bool {
	return a.Method == b.Method && a.Route == b.Route && a.Auth == b.Auth
}

func firstBlock(rep *record.Report) *record.Finding {
	for i := range rep.Findings {
		if rep.Findings[i].Severity == record.SevBlock {
			return &rep.Findings[i]
		}
	}
	return nil
}
