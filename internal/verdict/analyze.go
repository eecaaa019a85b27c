package verdict

import (
	"net/url"
	"slices"
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
	// First are observations of the user's own step (the save the editor
	// reported as failing): the findings citing them come first.
	First []string
	// RESTRoot is the REST root probed; ForeignRESTRoot the one the site
	// advertised on another host, which was not followed.
	RESTRoot, ForeignRESTRoot string
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
	userStepFirst(rest, in.First)
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

// userStepFirst moves the findings that cite the user's own step ahead of
// the others, keeping their order.
func userStepFirst(fs []judged, first []string) {
	if len(first) == 0 {
		return
	}
	cites := func(f *judged) bool {
		for _, id := range f.Observations {
			if slices.Contains(first, id) {
				return true
			}
		}
		return false
	}
	sort.SliceStable(fs, func(i, j int) bool { return cites(&fs[i]) && !cites(&fs[j]) })
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
