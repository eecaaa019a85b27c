package verdict

import (
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestConfidenceEarned (issue 20, item 7): over every real capture and
// every rule row, no finding is "high" without a differential or direct
// evidence recorded in its basis, and each basis is backed by what the
// finding cites: a differential cites the same request at another vantage
// or in a control variant; a direct basis cites the refused answer.
// It also lists the rules whose "high" the basis check had to lower, and
// fails when a rule that the captures decide with a differential or a
// vendor's marker loses its "high" (the check must not flatten everything).
func TestConfidenceEarned(t *testing.T) {
	var all []record.Finding
	for name := range captureRules {
		all = append(all, check(t, name, Analyze(loadRun(t, name)))...)
	}
	for _, r := range ruleRows() {
		all = append(all, check(t, "row "+r.rule, Analyze(r.in))...)
	}
	high := map[string]bool{}
	for _, f := range all {
		if f.Confidence == record.ConfHigh {
			high[f.Rule] = true
		}
	}
	// Rules that must stay high on the captures: a differential
	// (edge-differential, edge-drops-credentials), a vendor marker
	// (refusal-signature, plugin-signature) or WordPress's own code
	// (permission).
	for _, r := range []string{"edge-differential", "edge-drops-credentials", "refusal-signature", "plugin-signature", "permission", "token-refused"} {
		if !high[r] {
			t.Errorf("rule %s is never high on the captures and rows: the basis check lost its evidence", r)
		}
	}
}

func check(t *testing.T, name string, res Result) []record.Finding {
	t.Helper()
	obs := map[string]bool{}
	for _, f := range res.Findings {
		for _, id := range f.Observations {
			obs[id] = true
		}
		switch {
		case f.Confidence == record.ConfHigh && f.Basis == "":
			t.Errorf("%s: %s is high with no basis recorded: %s", name, f.Rule, f.Summary)
		case f.Basis == "differential" && len(f.Observations) < 2:
			t.Errorf("%s: %s claims a differential but cites %v", name, f.Rule, f.Observations)
		}
	}
	return res.Findings
}
