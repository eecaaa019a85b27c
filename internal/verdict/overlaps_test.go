package verdict

import (
	"slices"
	"testing"
)

// holding lists every rule of the table whose condition holds on the
// subject, in table order.
func holding(f *Facts) []string {
	var out []string
	for i := range rules {
		if rules[i].When(f) {
			out = append(out, rules[i].ID)
		}
	}
	return out
}

// declared reports whether rule later may be shadowed by the earlier one.
func declared(later, earlier string) bool {
	y, ok := yields[later]
	return ok && (slices.Contains(y.to, "*") || slices.Contains(y.to, earlier))
}

// TestOverlaps: for every test row and every replayed capture, every rule
// whose condition holds but loses to an earlier one must be declared in
// yields with a reason; an undeclared shadow is a rule that may be the
// right answer and never gets the chance (custom-page over rewrite did).
func TestOverlaps(t *testing.T) {
	check := func(src string, in Input) {
		_, fs := FactsOf(in)
		for _, f := range fs {
			if !needsVerdict(f) {
				continue
			}
			hold := holding(f)
			for _, later := range hold[min(1, len(hold)):] {
				if !declared(later, hold[0]) {
					t.Errorf("%s, subject %s: rule %s holds but %s wins; declare it in yields (overlaps.go) with the reason, or narrow a condition",
						src, f.Subject, later, hold[0])
				}
			}
		}
	}
	for name := range captureRules {
		check("capture "+name, loadRun(t, name))
	}
	for _, r := range ruleRows() {
		check("row "+r.rule, r.in)
	}
}

// TestYieldsDeclared: a declaration names existing rules, each earlier in
// the table than the rule that yields, and says why.
func TestYieldsDeclared(t *testing.T) {
	pos := map[string]int{}
	for i, r := range rules {
		pos[r.ID] = i
	}
	for later, y := range yields {
		p, ok := pos[later]
		if !ok {
			t.Errorf("yields: %s is not a rule", later)
			continue
		}
		if y.why == "" || len(y.to) == 0 {
			t.Errorf("yields: %s declares no reason or no rule", later)
		}
		for _, e := range y.to {
			if q, ok := pos[e]; e != "*" && (!ok || q >= p) {
				t.Errorf("yields: %s yields to %s, which is not an earlier rule", later, e)
			}
		}
	}
}
