package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// passes reports whether a control variant got through the layers in
// front of WordPress (WordPress answered, whatever it said).
func passes(o *record.Observation) bool {
	return o != nil && (ok(o) || reachedWP(o))
}

// mechanismFromVariants finds the variant that flips the outcome at one
// vantage and returns the mechanism it implies, a reason, and the control.
func (c *context) mechanismFromVariants(s *subject, v record.Vantage, x *record.Observation) (record.Mechanism, string, *record.Observation) {
	if x.Status() == 429 {
		return record.MechRateLimit, "429 Too Many Requests", nil
	}
	if x.Status() == 401 && header(x, "WWW-Authenticate") != "" {
		return record.MechHTTPAuth, "it asks for HTTP authentication (" + header(x, "WWW-Authenticate") + ")", nil
	}
	if m := decisive(x); m != nil {
		return m.Mechanism, m.Meaning, nil
	}
	if isChallenge(x) {
		return record.MechChallenge, "the answer is a browser check (a script that sets a cookie and reloads), which API clients cannot pass", nil
	}
	if u := s.get(VarBrowserUA, v); passes(u) {
		return record.MechUserAgentRule, "a plain browser user agent passes, so the rule keys on the User-Agent", u
	}
	if b := s.get(VarBenignBody, v); passes(b) {
		return record.MechWAFRule, "the same request with a harmless body passes, so a rule inspects the body", b
	}
	for _, mv := range []string{VarGetControl, VarOverride} {
		if g := s.get(mv, v); passes(g) && x.Request.Method != "GET" {
			return record.MechMethodRule, "the same route with " + g.Request.Method + " passes, so the rule keys on the method " + x.Request.Method, g
		}
	}
	if q := s.get(VarRESTRoute, v); passes(q) {
		if x.Status() == 404 {
			return record.MechRewrite, "?rest_route= reaches WordPress but /wp-json/ does not, so pretty REST URLs are not routed to WordPress", q
		}
		return record.MechAccessRule, "the same request as ?rest_route= passes, so the rule keys on the /wp-json/ path", q
	}
	if n := s.get(VarNoAuth, v); passes(n) {
		return record.MechAccessRule, "the same request without credentials passes, so the rule keys on the credentials", n
	}
	return record.MechAccessRule, "a rule refuses this request; no single variant flipped the outcome", nil
}

func mechanismText(m record.Mechanism, why string) string {
	if why != "" {
		return why
	}
	return string(m)
}

// originDifferential attributes an origin-side stock or unknown refusal
// from the variants that flip it, WAF replay and page shape.
func (c *context) originDifferential(s *subject, x, e *record.Observation) attribution {
	mech, why, ctl := c.mechanismFromVariants(s, x.Vantage, x)
	a := attribution{layer: record.LayerServer, mech: mech, conf: record.ConfMedium}
	a.cite("refused before WordPress ("+pageOrStatus(x)+")", x, e)
	if ctl != nil {
		a.cite(why, ctl)
		a.conf = record.ConfHigh
	}
	replay := wafReplay(x, e)
	switch {
	case mech == record.MechWAFRule:
		a.layer = record.LayerWAF
		if replay == nil || !replay.Blocked {
			a.conf = record.ConfMedium
		}
	case replay != nil && replay.Blocked && (mech == record.MechMethodRule || mech == record.MechUserAgentRule || ctl == nil):
		a.layer, a.mech, a.conf = record.LayerWAF, record.MechWAFRule, record.ConfMedium
		why = why + "; the OWASP CRS replay blocks it too"
	case mech == record.MechRewrite:
		a.conf = record.ConfHigh
	case ctl == nil:
		a.conf = record.ConfLow
	}
	if replay != nil && replay.Blocked && a.layer == record.LayerWAF {
		a.rules = blockingRules(replay.Rules)
		a.vendor = "ModSecurity/OWASP CRS"
	}
	a.summary = c.originSummary(a, x, why)
	a.next = originNext(a)
	return a
}

func wafReplay(obs ...*record.Observation) *record.WAFResult {
	for _, o := range obs {
		if o != nil && o.WAF != nil {
			return o.WAF
		}
	}
	return nil
}

func pageOrStatus(o *record.Observation) string {
	if p := page(o); p != "" {
		return p + " page, no WordPress REST headers"
	}
	return itoa(o.Status()) + " without WordPress REST headers"
}

func (c *context) originSummary(a attribution, x *record.Observation, why string) string {
	switch a.layer {
	case record.LayerWAF:
		s := "A WAF on the origin server refused the request (" + itoa(x.Status()) + "): " + why
		if len(a.rules) > 0 {
			s += "; it matched " + rulesText(a.rules)
		}
		return s + "."
	}
	if a.conf == record.ConfLow {
		return "The origin web server refused the request (" + itoa(x.Status()) + ") before WordPress ran, with its own error page; a server rule or a WAF module on it (both answer with the same page)."
	}
	return "The origin web server refused the request (" + itoa(x.Status()) + ") before WordPress ran: " + why + "."
}

func originNext(a attribution) string {
	switch {
	case a.layer == record.LayerWAF:
		return "Confirm the rule ids in the origin's ModSecurity error or audit log (wp403 diagnose --log FILE), then add the narrow exclusion shown."
	case a.mech == record.MechRewrite:
		return "Route /wp-json/ to WordPress: nginx try_files $uri $uri/ /index.php$is_args$args; Apache: restore the WordPress .htaccess rewrite block."
	case a.conf == record.ConfLow:
		return "Read the origin's error log for this request id: a ModSecurity line names a WAF rule, otherwise look for a deny/location rule in the server config."
	}
	return "Scope the server rule so that this route and method reach WordPress."
}

// isChallenge recognises an interstitial browser check by its working
// parts, whatever its wording: a script that sets a cookie and reloads or
// redirects, or a CAPTCHA form.
func isChallenge(o *record.Observation) bool {
	if o == nil || o.Response == nil {
		return false
	}
	b := strings.ToLower(o.Response.Body)
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	if !strings.Contains(b, "<script") && !strings.Contains(b, "http-equiv=\"refresh\"") {
		return false
	}
	setsCookie := strings.Contains(b, "document.cookie")
	reloads := strings.Contains(b, "location.reload") || strings.Contains(b, "location.href") ||
		strings.Contains(b, "location.replace") || strings.Contains(b, "http-equiv=\"refresh\"")
	captcha := strings.Contains(b, "captcha") || strings.Contains(b, "turnstile")
	return setsCookie && reloads || captcha
}
