package verdict

import (
	"sort"

	"github.com/wp403/wp403/internal/record"
)

var sevRank = map[record.Severity]int{record.SevBlock: 0, record.SevWarn: 1, record.SevInfo: 2}
var confRank = map[record.Confidence]int{record.ConfHigh: 0, record.ConfMedium: 1, record.ConfLow: 2}

// sortFindings orders block before warn before info, then the user's own
// requests first, then by confidence, then refusals that explain more
// requests first.
func sortFindings(fs []judged) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if sevRank[a.Severity] != sevRank[b.Severity] {
			return sevRank[a.Severity] < sevRank[b.Severity]
		}
		if a.asked != b.asked {
			return a.asked
		}
		if confRank[a.Confidence] != confRank[b.Confidence] {
			return confRank[a.Confidence] < confRank[b.Confidence]
		}
		return len(a.Related) > len(b.Related)
	})
}

// causeKey names a cause: the same layer, mechanism, vendor, rule,
// missing header and WAF rules.
func causeKey(f *record.Finding) string {
	return string(f.Layer) + "|" + string(f.Mechanism) + "|" + f.Vendor + "|" + f.Rule + "|" + f.Header + "|" + ruleKey(f.Rules)
}

// merge makes one finding per cause: the same request seen with other
// auth kinds adds to Auths, other requests go to Related, and the user's
// own request is the headline. Hardening of a request that shares the
// cause of a refusal is folded into that refusal as context.
func merge(fs []judged) []judged {
	byCause := map[string]int{}
	var out []judged
	for _, pass := range []bool{true, false} { // the user's requests first
		for _, f := range fs {
			if f.asked != pass || f.Severity != record.SevBlock {
				continue
			}
			k := causeKey(&f.Finding)
			if i, ok := byCause[k]; ok {
				out[i].absorb(f.Finding)
				continue
			}
			byCause[k] = len(out)
			out = append(out, f)
		}
	}
	for _, f := range fs {
		if f.Severity == record.SevBlock {
			continue
		}
		if f.Rule == ruleHardening {
			if i := blockWithCause(out, &f.Finding); i >= 0 {
				out[i].absorb(f.Finding)
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// blockWithCause finds a block finding with the same layer, mechanism and
// vendor as a hardening finding.
func blockWithCause(out []judged, h *record.Finding) int {
	for i := range out {
		f := &out[i]
		if f.Severity == record.SevBlock && f.Layer == h.Layer && f.Mechanism == h.Mechanism && f.Vendor == h.Vendor {
			return i
		}
	}
	return -1
}

// absorb adds another finding of the same cause.
func (j *judged) absorb(o record.Finding) {
	same := o.Request.Method == j.Request.Method && o.Request.Route == j.Request.Route
	switch {
	case same && o.Request.Auth != j.Request.Auth:
		if len(j.Auths) == 0 {
			j.Auths = []record.AuthKind{j.Request.Auth}
		}
		if !hasAuth(j.Auths, o.Request.Auth) {
			j.Auths = append(j.Auths, o.Request.Auth)
		}
	case !same:
		j.Related = append(j.Related, o.Request)
	}
	j.Related = append(j.Related, o.Related...)
	j.Observations = appendUnique(j.Observations, o.Observations...)
}

func hasAuth(as []record.AuthKind, a record.AuthKind) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func ruleKey(rs []record.RuleHit) string {
	s := ""
	for _, r := range rs {
		s += itoa(r.ID) + ","
	}
	return s
}

func appendUnique(list []string, more ...string) []string {
	for _, m := range more {
		found := false
		for _, l := range list {
			if l == m {
				found = true
				break
			}
		}
		if !found {
			list = append(list, m)
		}
	}
	return list
}
