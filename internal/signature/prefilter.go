package signature

import "regexp/syntax"

// prefilter holds literals of which at least one must occur in the body
// for a regex to match; checking them with strings.Contains first keeps
// Classify fast on large bodies. A nil prefilter means "always run".
type prefilter struct {
	ids []int32 // literal ids in the database's scanner: any of these
}

// minPrefix is the shortest literal worth a prefilter.
const minPrefix = 3

func newPrefilter(expr string, ls *litScanner) *prefilter {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	lits, fold := required(re.Simplify())
	for _, l := range lits {
		// Literals are found in the normalised text (normText): one
		// that normalisation could change cannot rule a raw match out.
		if len(l) < minPrefix || firstSpecial(l) >= 0 {
			return nil
		}
	}
	if len(lits) == 0 {
		return nil
	}
	p := &prefilter{}
	for _, l := range lits {
		p.ids = append(p.ids, ls.add(l, fold))
	}
	return p
}

// required returns literals one of which any match contains, and whether
// they are case-folded; nil when it cannot tell.
func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, re.Flags&syntax.FoldCase != 0
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		return bestOf(re.Sub)
	case syntax.OpAlternate:
		var all []string
		fold := false
		for _, sub := range re.Sub {
			lits, f := required(sub)
			if lits == nil {
				return nil, false
			}
			all, fold = append(all, lits...), fold || f
		}
		return all, fold
	}
	return nil, false
}

// bestOf picks, among the parts of a concatenation, the requirement whose
// shortest literal is longest.
func bestOf(subs []*syntax.Regexp) ([]string, bool) {
	var best []string
	bestFold, bestLen := false, 0
	for _, sub := range subs {
		lits, fold := required(sub)
		if n := shortest(lits); lits != nil && n > bestLen {
			best, bestFold, bestLen = lits, fold, n
		}
	}
	return best, bestFold
}

func shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}

// mayMatch reports whether the body contains one of the literals.
func (p *prefilter) mayMatch(v *view) bool {
	if p == nil {
		return true
	}
	found := v.literals()
	for _, id := range p.ids {
		if found[id] {
			return true
		}
	}
	return false
}
