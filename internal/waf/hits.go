package waf

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corazawaf/coraza/v3/types"
	"github.com/corazawaf/coraza/v3/types/variables"

	"github.com/wp403/wp403/internal/record"
)

// hits turns Coraza's matched rules into rule hits, one per rule and
// matched target, in match order. Rules a server would not log are
// skipped: those without a message and those marked nolog (the CRS's
// bookkeeping, such as 901340 "Enabling body inspection").
func hits(matched []types.MatchedRule) []record.RuleHit {
	var out []record.RuleHit
	seen := map[string]bool{}
	for _, mr := range matched {
		if l, ok := mr.(interface{ Log() bool }); mr.Message() == "" || ok && !l.Log() {
			continue
		}
		meta := mr.Rule()
		base := record.RuleHit{
			ID:       meta.ID(),
			Message:  mr.Message(),
			Data:     mr.Data(),
			Severity: severity(meta.Severity()),
			Paranoia: paranoia(meta.Tags()),
			Phase:    int(meta.Phase()),
		}
		targets := targetsOf(mr.MatchedDatas())
		if len(targets) == 0 {
			targets = []string{""}
		}
		for _, t := range targets {
			key := strconv.Itoa(base.ID) + " " + t
			if seen[key] {
				continue
			}
			seen[key] = true
			h := base
			h.Target = t
			out = append(out, h)
		}
	}
	return out
}

// targetsOf names the variables a rule matched, "ARGS:json.content" style.
// For a chain it is the variable the decisive (last) link matched: the
// starter of 920450 matches every header name, the link says which one is
// restricted. When that link only tests a TX variable the starter captured,
// the starter's match the capture came from is named instead.
func targetsOf(mds []types.MatchData) []string {
	var known []types.MatchData
	depth := 0
	for _, md := range mds {
		if md.Variable() == variables.Unknown && md.Key() == "" {
			continue
		}
		known = append(known, md)
		depth = max(depth, md.ChainLevel())
	}
	var last, first []types.MatchData
	for _, md := range known {
		switch md.ChainLevel() {
		case depth:
			last = append(last, md)
		case 0:
			first = append(first, md)
		}
	}
	if depth > 0 && allTX(last) && len(first) > 0 {
		last = capturedFrom(first, last)
	}
	var out []string
	for _, md := range last {
		t := md.Variable().Name()
		if md.Key() != "" {
			t += ":" + md.Key()
		}
		// A link that tests MATCHED_VARS names the variable the starter
		// matched as its key: "MATCHED_VARS:ARGS:json.content".
		for strings.HasPrefix(t, "MATCHED_VARS:") || strings.HasPrefix(t, "MATCHED_VAR:") {
			_, t, _ = strings.Cut(t, ":")
		}
		out = append(out, printableTarget(t))
	}
	return out
}

// printableTarget escapes what a terminal must not see in a variable name
// (a binary body parsed as form fields gives binary ARGS_NAMES).
func printableTarget(t string) string {
	for _, r := range t {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
			q := strconv.QuoteToGraphic(t)
			return q[1 : len(q)-1]
		}
	}
	return t
}

func allTX(mds []types.MatchData) bool {
	for _, md := range mds {
		if md.Variable() != variables.TX {
			return false
		}
	}
	return len(mds) > 0
}

// capturedFrom picks the starter matches whose value the decisive TX
// matches quote (the longest such value wins: "x-http-method-override",
// not "host"); all starter matches when none is quoted.
func capturedFrom(first, last []types.MatchData) []types.MatchData {
	var out []types.MatchData
	for _, l := range last {
		text := strings.ToLower(l.Key() + " " + l.Value())
		var best types.MatchData
		for _, f := range first {
			v := strings.ToLower(f.Value())
			if v != "" && strings.Contains(text, v) && (best == nil || len(v) > len(best.Value())) {
				best = f
			}
		}
		if best != nil && !slices.Contains(out, best) {
			out = append(out, best)
		}
	}
	if len(out) == 0 {
		return first
	}
	return out
}

func severity(s types.RuleSeverity) string {
	if s < 0 || s > 7 {
		return ""
	}
	return strings.ToUpper(s.String())
}

// paranoia reads the CRS "paranoia-level/N" tag.
func paranoia(tags []string) int {
	for _, t := range tags {
		if v, ok := strings.CutPrefix(t, "paranoia-level/"); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

// approximate says how the replay may differ from the server it stands in for.
func approximate(o Options) string {
	var notes []string
	eng, crs := strings.ToLower(o.Server.Engine), o.Server.CRS
	switch {
	case o.NoCRS:
		notes = append(notes, "replayed under Coraza with only the user's own rule files (not the embedded CRS)")
	case strings.HasPrefix(crs, "3"):
		notes = append(notes, "replayed with CRS 4 under Coraza; the server runs CRS "+crs+
			": rule ids mostly agree (CRS 4-only rules such as 941390 do not exist there), scores and messages can differ")
	case eng == "" && crs == "":
		notes = append(notes, "replayed with CRS 4 under Coraza, not the server's own engine and rule set;"+
			" confirm the rule ids in the server's audit or error log")
	}
	switch {
	case strings.Contains(eng, "v2"):
		notes = append(notes, "ModSecurity v2 names JSON body arguments ARGS:content where Coraza says ARGS:json.content")
	case strings.Contains(eng, "v3") && !strings.HasPrefix(crs, "3"):
		notes = append(notes, "the server runs libmodsecurity 3, not Coraza; rule ids and JSON targets agree, scores may differ")
	}
	return strings.Join(notes, "; ")
}
