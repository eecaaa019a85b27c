package verdict

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/wpcore"
)

// subjectFacts computes the facts of one subject, once.
func subjectFacts(site *SiteFacts, s *subject) *Facts {
	e := s.primary()
	f := &Facts{Subject: s.key, Role: subjectRole(s), Request: s.req, Site: site,
		PublicRoute: corePublic(s.req, "")}
	if e == nil {
		return f
	}
	f.PublicRoute = corePublic(s.req, wpCode(e))
	f.Primary, f.Status = *obsFacts(e), statusPair(s)
	o := s.get(record.VarAsSent, record.VantageOrigin)
	if o != nil && o != e {
		f.Origin = obsFacts(o)
	}
	f.Compared = e.Vantage == record.VantageEdge && site.CanCompareOrigin() && f.Origin != nil
	f.OriginPasses = f.Compared && passes(o)
	f.OriginGotFurther = f.Compared && gotFurther(e, o)
	f.FreshNonce = obsFacts(s.get(record.VarWithNonce, e.Vantage))
	if s.req.Auth != record.AuthCookieNonce && s.req.Auth != record.AuthNone {
		f.CookieSession = obsFacts(site.cookieRequests[sessionKey(s.req.Method, s.req.Route, e.Vantage)])
	}
	f.GetControl = obsFacts(s.get(record.VarGetControl, e.Vantage))
	f.NoAuth = obsFacts(s.get(record.VarNoAuth, e.Vantage))
	refused, relay := e, (*record.Observation)(nil)
	switch {
	case f.Compared && !f.OriginPasses:
		refused, relay = o, e
	case e.Vantage != record.VantageOrigin && !f.Compared:
		f.OneVantage = true
	}
	f.Refused, f.Relay = obsFacts(refused), obsFacts(relay)
	if f.Refused.HTTP {
		f.Flip = flipOf(s, refused)
		f.AnyVariantPasses = anyVariantPasses(s, refused.Vantage)
	}
	f.Log = logHit(refused, relay)
	f.Replay = wafReplay(refused, relay)
	return f
}

// corePublic reports an anonymous request WordPress core would answer
// with 200 (internal/wpcore owns the routes): the index, published
// content, public taxonomy terms, users who have published posts, oEmbed.
// With a refusal code core's own callback raises on that route (a draft
// post's rest_forbidden), the route is not public for this request.
func corePublic(r record.Request, code string) bool {
	if r.Auth != record.AuthNone {
		return false
	}
	route, query, _ := strings.Cut(r.Route, "?")
	q, _ := url.ParseQuery(query)
	a, ok := wpcore.Lookup(r.Method, route, q, "")
	return ok && a.Anonymous && (code == "" || !slices.Contains(a.Codes, code) && !wpcore.IsAuthCode(code))
}

// gotFurther: at the origin WordPress accepted what it did not see
// through the edge (not an auth failure, not the same error).
func gotFurther(e, o *record.Observation) bool {
	return ok(o) || reachedWP(o) && o.Status() != 401 && o.Status() != 403 &&
		!isAuthErrorCode(wpCode(o)) && wpCode(o) != wpCode(e)
}

// flipOf finds the control variant that gets through at x's vantage.
func flipOf(s *subject, x *record.Observation) *Flip {
	v := x.Vantage
	mk := func(variant record.Variant, m record.Mechanism, why string, ctl *record.Observation) *Flip {
		return &Flip{Variant: variant, Mechanism: m, Why: why, Control: ctl.ID, o: ctl}
	}
	if u := s.get(record.VarBrowserUA, v); passes(u) {
		return mk(record.VarBrowserUA, record.MechUserAgentRule, "a plain browser user agent passes, so the rule keys on the User-Agent", u)
	}
	if b := s.get(record.VarBenignBody, v); passes(b) {
		return mk(record.VarBenignBody, record.MechWAFRule, "the same request with a harmless body passes, so a rule inspects the body", b)
	}
	for _, mv := range []record.Variant{record.VarGetControl, record.VarOverride} {
		if g := s.get(mv, v); passes(g) && x.Request.Method != "GET" {
			return mk(mv, record.MechMethodRule, "the same route with "+g.Request.Method+" passes, so the rule keys on the method "+x.Request.Method, g)
		}
	}
	if q := s.get(record.VarRESTRoute, v); passes(q) {
		if x.Status() == 404 {
			return mk(record.VarRESTRoute, record.MechRewrite, "?rest_route= reaches WordPress but /wp-json/ does not, so pretty REST URLs are not routed to WordPress", q)
		}
		return mk(record.VarRESTRoute, record.MechAccessRule, "the same request as ?rest_route= passes, so the rule keys on the /wp-json/ path", q)
	}
	if n := s.get(record.VarNoAuth, v); passes(n) {
		return mk(record.VarNoAuth, record.MechAccessRule, "the same request without credentials passes, so the rule keys on the credentials", n)
	}
	return nil
}

// anyVariantPasses reports whether any control variant got through.
func anyVariantPasses(s *subject, v record.Vantage) bool {
	for variant, byVantage := range s.obs {
		if variant != record.VarAsSent && passes(byVantage[v]) {
			return true
		}
	}
	return false
}

// logHit returns the first correlated log entry that records blocking rules.
func logHit(obs ...*record.Observation) *LogHit {
	for _, o := range obs {
		if o == nil {
			continue
		}
		for _, l := range o.Logs {
			if len(l.Rules) > 0 && (l.Blocked || l.Status >= 400) {
				return &LogHit{Entry: l, Obs: o.ID, o: o}
			}
		}
	}
	return nil
}

// siteFacts computes the run-wide facts.
func siteFacts(in Input, subjects []*subject) *SiteFacts {
	byKey := map[string]*subject{}
	for _, s := range subjects {
		byKey[s.key] = s
	}
	sf := &SiteFacts{HasOrigin: in.HasOrigin, OriginLocked: originLocked(subjects),
		RESTRoot: in.RESTRoot, ForeignRESTRoot: in.ForeignRESTRoot, discover: discoverIDs(in.Observations),
		TargetURL: in.TargetURL, Home: in.Site.Home, SiteURL: in.Site.URL, Reach: reachOf(in.Observations),
		SecurityPlugins: securityPlugins(in.Site.Namespaces),
		OriginServer:    originServer(in.Observations), EdgePresence: edgePresence(in.Observations)}
	sf.originServers = originServers(in.Observations)
	for i := range in.Observations {
		if o := &in.Observations[i]; o.Request.Auth == record.AuthNone && o.Variant == record.VarAsSent && ok(o) {
			sf.AnonymousPasses = true
			break
		}
	}
	authFacts(sf, byKey)
	sf.cookieRequests = cookieRequests(subjects)
	if sf.OriginLocked {
		for _, s := range subjects {
			if o := s.get(record.VarAsSent, record.VantageOrigin); o != nil && len(sf.OriginRefusals) < 3 {
				sf.OriginRefusals = append(sf.OriginRefusals, o.ID)
			}
		}
	}
	sf.appPasswordsObs, sf.AppPasswordsOff = appPasswordsOff(in, byKey[record.ProbeIntrospectApp])
	return sf
}

// cookieRequests indexes the requests the login session sent (cookie +
// nonce, as sent) by method, route and vantage.
func cookieRequests(subjects []*subject) map[string]*record.Observation {
	out := map[string]*record.Observation{}
	for _, s := range subjects {
		if s.req.Auth != record.AuthCookieNonce {
			continue
		}
		for _, v := range []record.Vantage{record.VantageEdge, record.VantageOrigin, record.VantageHAR} {
			k := sessionKey(s.req.Method, s.req.Route, v)
			if o := s.get(record.VarAsSent, v); o != nil && out[k] == nil {
				out[k] = o
			}
		}
	}
	return out
}

// authFacts reads what the auxiliary probes learnt about authentication.
func authFacts(sf *SiteFacts, byKey map[string]*subject) {
	aux := func(key string) (*record.Observation, bool) {
		if s := byKey[key]; s != nil && s.primary() != nil {
			return s.primary(), ok(s.primary())
		}
		return nil, false
	}
	if o, _ := aux(record.ProbeRESTNonce); o != nil {
		sf.NonceFetch = obsFacts(o)
		sf.CookieWorks = ok(o)
	}
	if o, works := aux(record.ProbeUsersMeCookie); works {
		sf.CookieUserWorks = obsFacts(o)
	}
	noncePageFacts(sf, byKey)
	if o, _ := aux(record.ProbeLogin); o != nil {
		if sf.LoginCookieMiss = loginCookieMiss(o, sf.RESTRoot); sf.LoginCookieMiss != "" {
			sf.loginObs = []string{o.ID}
		}
	}
	if o, works := aux(record.ProbeAuthHeader); works {
		sf.AuthHeaderTest, sf.AuthHeaderGood = obsFacts(o), siteHealthGood(o)
	}
	if fresh := byKey[record.ProbeFreshAppPass]; fresh != nil {
		sf.FreshAppPassword = true
		sf.FreshAt = map[record.Vantage]Obs{}
		for _, v := range []record.Vantage{record.VantageEdge, record.VantageOrigin, record.VantageHAR, record.VantageLog} {
			if x := obsFacts(fresh.get(record.VarAsSent, v)); x != nil {
				sf.FreshAt[v] = *x
			}
		}
	}
}

func siteHealthGood(o *record.Observation) bool {
	var body struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal([]byte(o.Response.Body), &body)
	return body.Status == "good"
}

// appPasswordsOff reports whether the site says application passwords
// are unavailable, and the observation that says so.
func appPasswordsOff(in Input, introspect *subject) (*record.Observation, string) {
	if introspect != nil {
		o := introspect.primary()
		if we := wpErr(o); we != nil && (we.Code == "application_passwords_disabled" || we.Code == "application_passwords_disabled_for_user") {
			return o, we.Code
		}
	}
	if in.AppPasswords == "unavailable" {
		return nil, "the REST index does not offer them"
	}
	return nil, ""
}

// originLocked is true when the origin refuses direct requests that
// reach WordPress through the edge, and no direct request (of any
// subject or variant) reached WordPress: the origin only accepts its CDN.
// One such subject is enough (a --request run compares few).
func originLocked(subjects []*subject) bool {
	compared, lockedLike := 0, 0
	for _, s := range subjects {
		for _, byVantage := range s.obs {
			if o := byVantage[record.VantageOrigin]; o != nil && reachedWP(o) {
				return false
			}
		}
		e, o := s.get(record.VarAsSent, record.VantageEdge), s.get(record.VarAsSent, record.VantageOrigin)
		if e == nil || o == nil || !reachedWP(e) {
			continue
		}
		compared++
		if !reachedWP(o) {
			lockedLike++
		}
	}
	return compared >= 1 && lockedLike == compared
}

func originServer(obs []record.Observation) string {
	for i := range obs {
		o := &obs[i]
		if o.Vantage == record.VantageEdge && restHeaders(o) {
			if s := header(o, "Server"); s != "" {
				return s
			}
		}
	}
	return ""
}

// originServers are all the Server values of the first WordPress answer
// relayed by the edge.
func originServers(obs []record.Observation) []string {
	for i := range obs {
		o := &obs[i]
		if o.Vantage == record.VantageEdge && restHeaders(o) {
			if vs := serverValues(o); len(vs) > 0 {
				return vs
			}
		}
	}
	return nil
}

func edgePresence(obs []record.Observation) bool {
	for i := range obs {
		if m := matchOf(&obs[i], record.KindPresence); m != nil && m.Layer == record.LayerEdge {
			return true
		}
	}
	return false
}

// discoverIDs are the discovery observations (the page that advertised
// the REST root).
func discoverIDs(obs []record.Observation) []string {
	var out []string
	for i := range obs {
		if obs[i].Probe == record.ProbeDiscover {
			out = append(out, obs[i].ID)
		}
	}
	return out
}

// subjectRole is the role of a subject's observations as their source set
// it (record.RoleOfObservation), the probe key's when none did.
func subjectRole(s *subject) record.ProbeRole {
	if o := s.primary(); o != nil {
		return record.RoleOfObservation(o)
	}
	return record.RoleOf(s.key)
}
