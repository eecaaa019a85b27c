package verdict

import (
	"net/url"
	"sort"

	"github.com/wp403/wp403/internal/record"
)

// Input is everything the reasoning needs.
type Input struct {
	Observations []record.Observation
	// HasOrigin is true when origin probes were sent.
	HasOrigin bool
	// AppPasswords is "available", "unavailable" or "" (unknown), from
	// the REST index's authentication field.
	AppPasswords string
	// Site is what WordPress said about itself, for canonical checks.
	Site record.Site
	// TargetURL is the URL the user gave.
	TargetURL string
	// Wanted are requests a policy says must be allowed: like the user's
	// --request, they are never taken for hardening.
	Wanted []record.Request
}

// subject is one request as sent in several variants and at several
// vantage points.
type subject struct {
	key   string
	order int
	req   record.Request
	obs   map[record.Variant]map[record.Vantage]*record.Observation
}

func (s *subject) get(variant record.Variant, v record.Vantage) *record.Observation {
	return s.obs[variant][v]
}

// primary is the observation a finding is about: the edge as sent, or
// what there is (HAR, log).
func (s *subject) primary() *record.Observation {
	for _, v := range []record.Vantage{record.VantageEdge, record.VantageHAR, record.VantageLog, record.VantageOrigin} {
		if o := s.get(record.VarAsSent, v); o != nil {
			return o
		}
	}
	return nil
}

// group collects observations into subjects, keeping first-seen order.
func group(obs []record.Observation) []*subject {
	byKey := map[string]*subject{}
	var out []*subject
	for i := range obs {
		o := &obs[i]
		key := o.Probe
		if key == "" {
			key = o.ID
		}
		s, ok := byKey[key]
		if !ok {
			s = &subject{key: key, order: len(out), obs: map[record.Variant]map[record.Vantage]*record.Observation{}}
			byKey[key] = s
			out = append(out, s)
		}
		if o.Variant == record.VarAsSent {
			s.req = record.Request{Method: o.Request.Method, Route: routeOf(o), Auth: o.Request.Auth}
		}
		if s.obs[o.Variant] == nil {
			s.obs[o.Variant] = map[record.Vantage]*record.Observation{}
		}
		s.obs[o.Variant][o.Vantage] = o
	}
	return out
}

// Result is the verdict: findings, or the problem that kept the run from
// diagnosing the site at all.
type Result struct {
	Findings []record.Finding
	Problem  *record.Problem
}

// Analyze turns observations into findings, most decisive first: facts
// are computed once per subject, then the rule table decides. When a
// problem rule holds (nothing answered, not WordPress) there are no
// findings: that is not a refusal.
func Analyze(in Input) Result {
	subjects := group(in.Observations)
	site := siteFacts(in, subjects)
	if p := problemOf(site); p != nil {
		return Result{Findings: []record.Finding{}, Problem: p}
	}
	var authSteps, found []judged
	for _, s := range subjects {
		f := subjectFacts(site, s)
		f.Asked = f.Role == record.RoleUser || wanted(in.Wanted, f.Request)
		if !needsVerdict(f) {
			continue
		}
		j := judged{Finding: evaluate(f), asked: f.Asked}
		if f.Role == record.RoleAuthStep {
			authSteps = append(authSteps, j)
		} else {
			found = append(found, j)
		}
	}
	var rest []judged
	for _, f := range siteFindings(site) {
		rest = append(rest, judged{Finding: f})
	}
	rest = append(rest, merge(found)...)
	sortFindings(rest)
	// A failed login or nonce fetch explains what follows: it comes first.
	out := []record.Finding{}
	for _, j := range append(authSteps, rest...) {
		out = append(out, j.Finding)
	}
	for i := range out {
		out[i].ID = "f" + itoa(i+1)
	}
	return Result{Findings: out}
}

// judged is a finding with what ordering and merging need.
type judged struct {
	record.Finding
	asked bool
}

func wanted(ws []record.Request, r record.Request) bool {
	for _, w := range ws {
		if w.Method == r.Method && w.Route == r.Route && (w.Auth == "" || w.Auth == r.Auth) {
			return true
		}
	}
	return false
}

// FactsOf returns the facts of every subject, for explaining a verdict.
func FactsOf(in Input) (*SiteFacts, []*Facts) {
	subjects := group(in.Observations)
	site := siteFacts(in, subjects)
	var out []*Facts
	for _, s := range subjects {
		out = append(out, subjectFacts(site, s))
	}
	return site, out
}

// needsVerdict: the subject failed and is a request the user needs, a
// login/nonce step, or a discovery that got no answer.
func needsVerdict(f *Facts) bool {
	switch {
	case f.Primary.ID == "" || f.Primary.Met || f.Primary.Failure == record.FailCanceled:
		return false
	case f.Role == record.RoleAuthStep:
		return true
	case f.Subject == record.ProbeDiscover:
		return noAnswer(f)
	}
	return f.Role == record.RolePlan || f.Role == record.RoleUser
}

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

// routeOf names a request: its REST route, or the URL path of a non-REST
// request (wp-login.php, admin-ajax.php).
func routeOf(o *record.Observation) string {
	if o.Request.Route != "" {
		return o.Request.Route
	}
	u, err := url.Parse(o.Request.URL)
	if err != nil {
		return o.Request.URL
	}
	if a := u.Query().Get("action"); a != "" {
		return u.Path + "?action=" + a
	}
	return u.Path
}
