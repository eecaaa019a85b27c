package verdict

import (
	"slices"
	"strings"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// before: something before WordPress wrote the (HTTP) answer.
func before(f *Facts) bool { return f.Primary.HTTP && !f.Primary.ReadFailure && !f.Primary.ReachedWP }

// oneVantageEdge: an edge-side refusal with no origin comparison.
func oneVantageEdge(f *Facts) bool { return before(f) && f.OneVantage }

// upstreamRules explain an answer written before WordPress that the edge
// produced, or that a redirect explains.
var upstreamRules = []Rule{
	{ID: "edge-log", Doc: "The edge's own log (CDN, cloud WAF, reverse proxy), correlated with the refused request, names the rule that refused it.",
		When: func(f *Facts) bool { return before(f) && f.Log != nil && f.Log.Entry.Edge && f.Log.Entry.Blocked }, Then: edgeLog},
	{ID: "rest-login-redirect", Doc: "The REST request is redirected to a login page: a private-site or force-login plugin (or an access gateway) demands a session; core never does this.",
		When: func(f *Facts) bool { return before(f) && f.Primary.Redirect && loginLocation(f.Primary.Location) }, Then: loginRedirect},
	{ID: "redirect", Doc: "The REST request is redirected (3xx with Location).",
		When: func(f *Facts) bool { return before(f) && f.Primary.Redirect }, Then: redirect},
	{ID: "edge-signature", Doc: "An edge vendor's refusal signature names the mechanism by itself.",
		When: func(f *Facts) bool {
			return before(f) && f.Primary.Decisive != nil && f.Primary.Decisive.Layer == record.LayerEdge
		},
		Then: func(f *Facts) attribution { return signatureRefusal(f.Primary.Decisive, f.Primary.obs()) }},
	{ID: "edge-differential", Doc: "The edge refused what the origin accepts (edge-vs-origin comparison).",
		When: func(f *Facts) bool { return before(f) && f.Compared && f.OriginPasses }, Then: edgeDifferential},
	{ID: "edge-stock-page", Doc: "Without an origin comparison: the page is an edge product's own error page.",
		When: func(f *Facts) bool {
			return oneVantageEdge(f) && f.Primary.Refusal != nil && f.Primary.Refusal.Layer == record.LayerEdge
		},
		Then: func(f *Facts) attribution {
			return edgeByFingerprint(f, "the page is "+f.Primary.Refusal.Vendor+"'s own, written by the proxy in front of the site, not by the origin server")
		}},
	{ID: "edge-fingerprint", Doc: "Without an origin comparison: the refusal lacks the Server header WordPress's answers carry.",
		When: func(f *Facts) bool {
			return oneVantageEdge(f) && f.Site.OriginServer != "" && lacksOriginServer(f)
		},
		Then: func(f *Facts) attribution {
			return edgeByFingerprint(f, "the refusal lacks the origin's fingerprint (Server: "+f.Site.OriginServer+" on WordPress's own answers)")
		}},
}

// lacksOriginServer: some Server value WordPress's relayed answers carry
// (the origin's, beside an edge's own) is missing from the refusal.
func lacksOriginServer(f *Facts) bool {
	have := serverValues(f.Primary.obs())
	for _, v := range f.Site.originServers {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, v) }) {
			return true
		}
	}
	return false
}

// serverValues are all the Server header values of a response.
func serverValues(o *record.Observation) []string {
	if o == nil || o.Response == nil {
		return nil
	}
	var out []string
	for k, vs := range o.Response.Header {
		if strings.EqualFold(k, "Server") {
			out = append(out, vs...)
		}
	}
	return out
}

// signatureRefusal trusts a vendor refusal signature.
func signatureRefusal(m *record.Match, x *record.Observation) attribution {
	mech := m.Mechanism
	if mech == "" {
		mech = record.MechBlockPage
	}
	a := attribution{layer: m.Layer, mech: mech, vendor: m.Vendor, product: m.Product, conf: record.ConfHigh}
	a.summary = m.Vendor + " refused the request: " + strings.TrimSuffix(m.Meaning, ".") + "."
	if mech == record.MechUnreachable {
		a.summary = m.Vendor + " could not get a usable answer from the origin — a gateway problem, not a policy refusal: " + strings.TrimSuffix(m.Meaning, ".") + "."
	}
	if m.IncidentID != "" {
		a.summary += " Its incident id is " + m.IncidentID + "."
	}
	a.cite("signature "+m.ID+" matched", x)
	a.next = "Look the request up in " + m.Vendor + "'s event log and add an exception for exactly this route and method."
	return a
}

// mechanism is what the refused answer says by itself, else the variant
// that flips it, else an access rule nothing isolated.
func mechanism(f *Facts) (record.Mechanism, string, *record.Observation) {
	x := f.Refused
	switch {
	case x != nil && x.Intrinsic != "":
		return x.Intrinsic, x.IntrinsicWhy, nil
	case f.Flip != nil:
		return f.Flip.Mechanism, f.Flip.Why, f.Flip.o
	}
	return record.MechAccessRule, "a rule refuses this request; no single variant flipped the outcome", nil
}

// edgeDifferential: the edge refused what the origin accepts.
func edgeDifferential(f *Facts) attribution {
	a := attribution{layer: record.LayerEdge, conf: record.ConfHigh}
	a.cite("through the edge", f.Primary.obs())
	a.cite("the same request straight to the origin reaches WordPress", f.Origin.obs())
	mech, why, ctl := mechanism(f)
	a.mech = mech
	a.cite(why, ctl)
	a.vendor = edgeVendorOf(&f.Primary)
	a.summary = "The edge refused the request (" + itoa(f.Primary.Status) + ") that the origin accepts: " + mechanismText(mech, why) + "."
	a.next = "Scope the edge rule so that this route and method pass; keep it for everything else."
	return a
}

// edgeVendorOf names the edge product from a refusal or presence signature.
func edgeVendorOf(e *Obs) string {
	if e.Refusal != nil {
		return e.Refusal.Vendor
	}
	if m := matchOf(e.obs(), record.KindPresence); m != nil && m.Layer == record.LayerEdge {
		return m.Vendor
	}
	return ""
}

func edgeByFingerprint(f *Facts, why string) attribution {
	a := attribution{layer: record.LayerEdge, conf: record.ConfMedium}
	mech, vwhy, ctl := mechanism(f)
	a.mech = mech
	a.cite(why, f.Primary.obs())
	a.cite(vwhy, ctl)
	a.summary = "The proxy/CDN in front of the site refused the request (" + itoa(f.Primary.Status) + "): " + mechanismText(mech, vwhy) + "."
	a.needsOrigin = "Run again with --origin ADDR to confirm by sending the same request straight to the origin."
	a.next = "Scope the edge rule so that this route and method pass; keep it for everything else."
	return a
}

func mechanismText(m record.Mechanism, why string) string {
	if why != "" {
		return why
	}
	return string(m)
}

// loginLocation reports whether a redirect target is a login page.
func loginLocation(loc string) bool {
	l := strings.ToLower(loc)
	path, _, _ := strings.Cut(l, "?")
	return strings.Contains(path, "/wp-login.php") || strings.HasSuffix(path, "/login") || strings.HasSuffix(path, "/login/") ||
		strings.Contains(path, "/cdn-cgi/access/login")
}

// loginRedirect: core never sends a REST request to the login page; a
// plugin inside WordPress (X-Redirect-By: only wp_redirect() ran) or an
// access gateway in front of it did.
func loginRedirect(f *Facts) attribution {
	e := &f.Primary
	a := attribution{layer: record.LayerPlugin, mech: record.MechRedirect, conf: record.ConfMedium}
	switch by := e.RedirectBy; {
	case strings.Contains(strings.ToLower(e.Location), "/cdn-cgi/access/login"):
		a.layer, a.vendor, a.conf = record.LayerEdge, "Cloudflare Access", record.ConfHigh
	case by != "" && !strings.EqualFold(by, "WordPress"):
		a.vendor = by
	case by == "":
		a.layer = record.LayerServer
		a.needsOrigin = "Run again with --origin ADDR to tell an edge or server login gate from one inside WordPress."
	}
	a.summary = "The REST request was sent to a login page (" + itoa(e.Status) + " to " + e.Location + "): something demands a logged-in session for this route. " +
		"WordPress core never redirects a REST request to wp-login.php; a private-site or force-login plugin does (through wp_redirect(), hence X-Redirect-By: WordPress), or an access gateway in front of the site."
	a.cite("", e.obs())
	a.next = "Authenticate the client (an application password), or allow the REST routes it needs in the private-site plugin's or gateway's settings; the agent (--agent-key-file) names the plugin."
	return a
}

// redirect explains a 3xx answer to a REST request.
func redirect(f *Facts) attribution {
	e := &f.Primary
	a := attribution{layer: record.LayerServer, mech: record.MechRedirect, conf: record.ConfHigh}
	switch {
	case strings.EqualFold(e.RedirectBy, "WordPress"):
		// wp_redirect() ran: core's canonical redirect or any plugin's.
		a.layer, a.vendor, a.conf = record.LayerWordPress, "WordPress", record.ConfMedium
	case e.RedirectBy != "":
		a.layer, a.vendor = record.LayerPlugin, e.RedirectBy
	case f.Compared && !f.Origin.Redirect:
		a.layer = record.LayerEdge
		a.cite("the origin does not redirect", f.Origin.obs())
	case e.Vantage == record.VantageEdge && !f.Site.CanCompareOrigin():
		a.conf = record.ConfMedium
		a.needsOrigin = "Run with --origin ADDR to tell an edge redirect from an origin one."
	}
	a.summary = "The REST request is redirected (" + itoa(e.Status) + " to " + e.Location + "). Clients do not follow it safely: " +
		"301/302 turn POST into GET and credentials are dropped when the host changes."
	a.cite("", e.obs())
	a.next = "Call the REST API at its canonical URL, and exempt /wp-json/ from host or scheme redirects that change the request."
	return a
}

// edgeLog: the edge's log record of this very request names the rule.
func edgeLog(f *Facts) attribution {
	l := f.Log.Entry
	a := attribution{layer: record.LayerEdge, mech: edgeMechanism(l.Rules), conf: record.ConfHigh, vendor: l.Engine,
		product: edgeProduct(l.Engine)}
	a.rules = l.Rules
	a.summary = l.Engine + " refused the request at the edge (" + orAction(l.Action) + "): " + rulesText(a.rules) +
		", as its own log records for this request; the origin never saw it."
	a.cite("log "+l.Source+":"+itoa(l.Line)+" ("+l.Format+") records the edge rule", f.Log.o)
	a.next = "Add the product's narrow exception for this rule, scoped to this route and method (and to requests with credentials when the request had them); never switch the edge's protection off."
	return a
}

// edgeMechanism: managed WAF rules and signals inspect content; the other
// edge rules (custom, IP, rate, router) decide on who or where.
func edgeMechanism(rules []record.RuleHit) record.Mechanism {
	for _, r := range rules {
		switch k := strings.ToLower(r.Kind); {
		case strings.Contains(k, "rate"):
			return record.MechRateLimit
		case strings.Contains(k, "bot") || strings.Contains(k, "challenge") || strings.Contains(k, "security level"):
			return record.MechChallenge
		case strings.Contains(k, "managed") || strings.Contains(k, "preconfigured") || k == "signal" || k == "security policy rule" && r.ID != 0:
			return record.MechWAFRule
		}
	}
	return record.MechAccessRule
}

// edgeProduct is the registry id of the edge product a log names: the
// product of that name at the edge, else its edge entry ("Caddy (edge)"
// for Caddy, which is also a web server).
func edgeProduct(engine string) string {
	reg := product.Default()
	for _, n := range []string{engine, engine + " (edge)"} {
		if p := reg.Named(n); p != nil && p.Layer == record.LayerEdge {
			return p.ID
		}
	}
	return ""
}

func orAction(a string) string {
	if a == "" {
		return "refused"
	}
	return a
}
