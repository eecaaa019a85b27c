package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

// originRules explain a refusal written on the origin side, before
// WordPress: the WAF module, the server's rules, the PHP handler, or a
// plugin page. They read f.Refused (the origin's answer when both vantages
// refused, else the only one) and cite f.Relay (the edge's) with it. Seen
// from one vantage only behind an edge, they are hedged.
var originRules = []Rule{
	{ID: "waf-log", Doc: "A correlated server/WAF log entry records blocking rules for this request.",
		When: func(f *Facts) bool { return before(f) && f.Log != nil && !f.Log.Entry.Edge }, Then: hedged(wafLog)},
	{ID: "refusal-signature", Doc: "A refusal signature that names the mechanism matched the refused answer.",
		When: func(f *Facts) bool { return before(f) && f.Refused.Decisive != nil },
		Then: hedged(func(f *Facts) attribution {
			a := signatureRefusal(f.Refused.Decisive, f.Refused.obs())
			a.cite("", f.Relay.obs())
			return a
		})},
	{ID: "http-auth", Doc: "401 with WWW-Authenticate before WordPress: server-level HTTP authentication.",
		When: func(f *Facts) bool { return before(f) && f.Refused.Intrinsic == record.MechHTTPAuth },
		Then: hedged(func(f *Facts) attribution {
			a := attribution{layer: record.LayerServer, mech: record.MechHTTPAuth, conf: record.ConfHigh}
			a.summary = "The web server asks for HTTP authentication (401, WWW-Authenticate: " + header(f.Refused.obs(), "WWW-Authenticate") +
				") before WordPress runs; it also takes the Authorization header that application passwords need."
			a.cite("", f.Refused.obs(), f.Relay.obs())
			a.next = "Exclude the REST routes that integrations and the editor use from server-level HTTP auth, or protect them another way (IP allowlist)."
			return a
		})},
	{ID: "rate-limit", Doc: "429 before WordPress: the server rate-limits.",
		When: func(f *Facts) bool { return before(f) && f.Refused.Intrinsic == record.MechRateLimit },
		Then: hedged(func(f *Facts) attribution {
			a := attribution{layer: record.LayerServer, mech: record.MechRateLimit, conf: record.ConfHigh}
			a.summary = "The server rate-limits these requests (429, Retry-After " + header(f.Refused.obs(), "Retry-After") + ")."
			a.cite("", f.Refused.obs(), f.Relay.obs())
			return a
		})},
	{ID: "locked-origin-edge-side", Doc: "The origin only answers the edge, and nothing on the edge's answer names an origin layer: attribute from the edge side alone, never to the origin server.",
		When: func(f *Facts) bool {
			return before(f) && f.OneVantage && f.Site.OriginLocked && f.Primary.Vantage == record.VantageEdge && !f.Primary.AppPage
		},
		Then: lockedOriginEdgeSide},
	{ID: "php-code-refusal", Doc: "An empty refusal with PHP's default Content-Type and no server page: PHP code (a plugin or PHP firewall) wrote it, not a server rule.",
		When: func(f *Facts) bool {
			x := f.Refused
			return before(f) && x.Page == "empty" && (x.Writer == record.LayerPHP || x.Writer == record.LayerPlugin)
		},
		Then: hedged(func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechBlockPage, conf: record.ConfMedium, vendor: f.Refused.PluginSlug}
			a.summary = "An empty " + itoa(f.Refused.Status) + " with PHP's default Content-Type and no server error page: PHP code refused the request (a security plugin, or a PHP firewall loaded before WordPress), not a server rule."
			a.cite("empty body, PHP's default Content-Type", f.Refused.obs(), f.Relay.obs())
			a.next = "Look for a security plugin or an auto_prepend_file firewall (php.ini, .user.ini) and allowlist exactly this request there."
			return a
		})},
	{ID: "custom-page", Doc: "A custom HTML refusal (application code, or no variant gets around it): a security plugin's PHP firewall. Not a 404 that ?rest_route= gets around: that is the theme's 404 page and the rewrite rule's.",
		When: func(f *Facts) bool {
			return before(f) && mech(f) != record.MechRewrite && (f.Refused.AppPage || f.Refused.Page == "custom-html" && !f.AnyVariantPasses)
		},
		Then: hedged(customPage)},
	{ID: "waf-body", Doc: "The same request with a harmless body passes: a WAF inspects the body.",
		When: func(f *Facts) bool { return before(f) && mech(f) == record.MechWAFRule }, Then: hedged(originRefusal)},
	{ID: "waf-replay", Doc: "The OWASP CRS replay blocks the request and no variant points elsewhere: a WAF module.",
		When: func(f *Facts) bool {
			m, _, ctl := mechanism(f)
			return before(f) && replayBlocked(f) && (m == record.MechMethodRule || m == record.MechUserAgentRule || ctl == nil)
		},
		Then: hedged(originRefusal)},
	{ID: "rewrite", Doc: "?rest_route= reaches WordPress where /wp-json/ gets 404: pretty URLs are not routed.",
		When: func(f *Facts) bool { return before(f) && mech(f) == record.MechRewrite }, Then: hedged(originRefusal)},
	{ID: "server-rule", Doc: "A control variant flips the refusal before WordPress: a server rule keyed on what it changed.",
		When: func(f *Facts) bool { return before(f) && f.Flip != nil }, Then: hedged(originRefusal)},
	{ID: "server-unexplained", Doc: "Refused before WordPress and nothing isolates why: a server rule or a WAF module.",
		When: before, Then: hedged(originRefusal)},
}

// lockedOriginEdgeSide: the origin refuses every direct request, so the
// comparison that would tell an edge rule from an origin rule is not
// available; the edge answered, and the origin is not blamed.
func lockedOriginEdgeSide(f *Facts) attribution {
	m, why, ctl := mechanism(f)
	a := attribution{layer: record.LayerEdge, mech: m, conf: record.ConfLow, vendor: edgeVendorOf(&f.Primary)}
	a.cite("through the edge, refused before WordPress ("+pageOrStatus(&f.Primary)+")", f.Primary.obs())
	if ctl != nil {
		a.cite(why, ctl)
		a.conf = record.ConfMedium
	}
	a.summary = "The request was refused (" + itoa(f.Primary.Status) + ") before WordPress, through the edge: " + mechanismText(m, why) +
		". The origin only answers the edge, so no direct request can tell an edge rule from an origin rule; the edge's rules come first."
	a.next = "Look this request up in the edge's firewall or event log (by its X-WP403-Request-Id); if the edge let it through, read the origin's error log for the same id."
	return a
}

// classVendor is who the classifier says wrote a page: its refusal
// signature's vendor, else the plugin whose assets the page loads.
func classVendor(x *Obs) string {
	switch {
	case x.Refusal != nil:
		return x.Refusal.Vendor
	case x.PluginSlug != "":
		return x.PluginSlug
	}
	return ""
}

func mech(f *Facts) record.Mechanism {
	m, _, _ := mechanism(f)
	return m
}

func replayBlocked(f *Facts) bool { return f.Replay != nil && f.Replay.Blocked }

// hedged lowers a one-vantage conclusion behind a visible edge and says
// what --origin would settle.
func hedged(then func(*Facts) attribution) func(*Facts) attribution {
	return func(f *Facts) attribution {
		a := then(f)
		if !f.OneVantage || !f.Site.EdgePresence && !f.Site.OriginLocked {
			return a
		}
		if a.conf == record.ConfHigh {
			a.conf = record.ConfMedium
		}
		if f.Site.OriginLocked {
			return a // --origin was given; the origin only answers the edge
		}
		if f.Primary.Refusal == nil && (a.layer == record.LayerServer || a.layer == record.LayerWAF || a.layer == record.LayerPlugin) {
			a.summary += " Behind an edge/CDN an unbranded refusal like this one comes from the origin, or from a custom edge rule: only the edge-vs-origin comparison tells them apart."
		}
		a.needsOrigin = "An edge/CDN is in front of this site; run again with --origin ADDR (the origin server's IP, from the hosting panel or the DNS record before the CDN was enabled) to prove the refusal comes from the origin and not the edge."
		return a
	}
}

// wafLog uses server/WAF log entries correlated with the observations.
func wafLog(f *Facts) attribution {
	l := f.Log.Entry
	a := attribution{layer: record.LayerWAF, mech: record.MechWAFRule, conf: record.ConfHigh, vendor: engineName(l.Engine)}
	a.rules = blockingRules(l.Rules)
	a.summary = "The WAF (" + a.vendor + ") refused the request: " + rulesText(a.rules) + anomalyText(l.Score) + ", as its log records for this request."
	a.cite("log "+l.Source+":"+itoa(l.Line)+" ("+l.Format+") records the rule", f.Log.o)
	a.next = "Add a narrow exclusion for these rule ids on this route and method only (see the remedy), never switch the WAF off."
	return a
}

// customPage: a branded HTML refusal that is neither the server's stock
// page nor WordPress's REST server, and that no variant gets around.
func customPage(f *Facts) attribution {
	x := f.Refused
	a := attribution{layer: record.LayerPlugin, mech: record.MechBlockPage, conf: record.ConfMedium, vendor: classVendor(x)}
	if !x.AppPage {
		a.conf = record.ConfLow
	}
	a.summary = "A custom block page (not the web server's own error page, not WordPress's REST server) refused the request before WordPress routed it: the pattern of a security plugin's PHP firewall."
	if a.vendor != "" {
		a.summary = a.vendor + "'s block page refused the request before WordPress routed it."
	}
	if o := x.obs(); o != nil && o.Class != nil && o.Class.Plugin != "" {
		// the classifier named the plugin from its /wp-content/plugins/<slug>/ assets
		a.vendor = o.Class.Plugin
		a.summary = "The plugin " + o.Class.Plugin + " answered with its own block page (the page loads its assets) before WordPress routed the request."
	}
	if x.Incident != "" {
		a.summary += " It carries the incident id " + x.Incident + "."
	}
	a.cite("custom HTML refusal ("+x.Page+")", x.obs(), f.Relay.obs())
	a.next = "Find the security plugin (or server firewall) whose page this is, look the incident up in its log, and allowlist exactly this request there."
	return a
}

// originRefusal attributes an origin-side stock or unknown refusal from
// the variant that flips it, the WAF replay and the page shape.
func originRefusal(f *Facts) attribution {
	x := f.Refused
	m, why, ctl := mechanism(f)
	a := attribution{layer: record.LayerServer, mech: m, conf: record.ConfMedium}
	a.cite("refused before WordPress ("+pageOrStatus(x)+")", x.obs(), f.Relay.obs())
	if ctl != nil {
		a.cite(why, ctl)
		a.conf = record.ConfHigh
	}
	switch {
	case m == record.MechWAFRule:
		a.layer = record.LayerWAF
		if !replayBlocked(f) {
			a.conf = record.ConfMedium
		}
	case replayBlocked(f) && (m == record.MechMethodRule || m == record.MechUserAgentRule || ctl == nil):
		a.layer, a.mech, a.conf = record.LayerWAF, record.MechWAFRule, record.ConfMedium
		why += "; the OWASP CRS replay blocks it too"
	case m == record.MechRewrite:
		a.conf = record.ConfHigh
	case ctl == nil:
		a.conf = record.ConfLow
	}
	if replayBlocked(f) && a.layer == record.LayerWAF {
		a.rules = blockingRules(f.Replay.Rules)
		a.vendor = "ModSecurity/OWASP CRS"
	}
	a.summary = originSummary(a, x, why, f.OneVantage)
	a.next = originNext(a)
	return a
}
