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
}

// subject is one request as sent in several variants and at several
// vantage points.
type subject struct {
	key   string
	order int
	req   record.Request
	obs   map[string]map[record.Vantage]*record.Observation
}

func (s *subject) get(variant string, v record.Vantage) *record.Observation {
	return s.obs[variant][v]
}

// primary is the observation a finding is about: the edge as sent, or
// what there is (HAR, log).
func (s *subject) primary() *record.Observation {
	for _, v := range []record.Vantage{record.VantageEdge, record.VantageHAR, record.VantageLog, record.VantageOrigin} {
		if o := s.get(VarAsSent, v); o != nil {
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
			s = &subject{key: key, order: len(out), obs: map[string]map[record.Vantage]*record.Observation{}}
			byKey[key] = s
			out = append(out, s)
		}
		if o.Variant == VarAsSent {
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
	findings := siteFindings(site)
	var authSteps []record.Finding
	for _, s := range subjects {
		f := subjectFacts(site, s)
		if !needsVerdict(f) {
			continue
		}
		if f.Role == RoleAuthStep {
			authSteps = append(authSteps, evaluate(f))
		} else {
			findings = append(findings, evaluate(f))
		}
	}
	findings = merge(findings)
	sortFindings(findings)
	// A failed login or nonce fetch explains what follows: it comes first.
	findings = append(authSteps, findings...)
	for i := range findings {
		findings[i].ID = "f" + itoa(i+1)
	}
	return Result{Findings: findings}
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
	case f.Role == RoleAuthStep:
		return true
	case f.Subject == "discover":
		return noAnswer(f)
	}
	return f.Role == RolePlan
}

// isAuxiliary marks probes that gather facts rather than test a request
// the user needs (discovery, login, nonce fetch, stock-page baseline).
func isAuxiliary(key string) bool {
	switch key {
	case "discover", "login", "rest-nonce", "baseline-404", "cleanup":
		return true
	}
	return len(key) > 4 && key[:4] == "aux:"
}

var sevRank = map[record.Severity]int{record.SevBlock: 0, record.SevWarn: 1, record.SevInfo: 2}
var confRank = map[record.Confidence]int{record.ConfHigh: 0, record.ConfMedium: 1, record.ConfLow: 2}

// sortFindings orders block before warn before info, then by confidence,
// then refusals closer to the client first (they hide what lies behind).
func sortFindings(fs []record.Finding) {
	layerRank := map[record.Layer]int{}
	for i, l := range record.Layers {
		layerRank[l] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if sevRank[a.Severity] != sevRank[b.Severity] {
			return sevRank[a.Severity] < sevRank[b.Severity]
		}
		if confRank[a.Confidence] != confRank[b.Confidence] {
			return confRank[a.Confidence] < confRank[b.Confidence]
		}
		return len(a.Related) > len(b.Related)
	})
}

// merge folds findings with the same layer, mechanism, vendor and auth
// kind into one, listing the other requests as related.
func merge(fs []record.Finding) []record.Finding {
	var out []record.Finding
	idx := map[string]int{}
	for _, f := range fs {
		if f.Severity != record.SevBlock {
			out = append(out, f)
			continue
		}
		k := string(f.Layer) + "|" + string(f.Mechanism) + "|" + f.Vendor + "|" + string(f.Request.Auth) + "|" + ruleKey(f.Rules)
		if i, ok := idx[k]; ok {
			out[i].Related = append(out[i].Related, f.Request)
			out[i].Observations = appendUnique(out[i].Observations, f.Observations...)
			continue
		}
		idx[k] = len(out)
		out = append(out, f)
	}
	return out
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
