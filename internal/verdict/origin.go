package verdict

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// originSide explains a refusal written on the origin side, before
// WordPress: the WAF module, the server's rules, the PHP handler, or a
// plugin page. x is the origin observation (or the only one), e the edge
// observation when there is one.
func (c *context) originSide(s *subject, x, e *record.Observation) attribution {
	if a, ok := c.fromLogs(x, e); ok {
		return a
	}
	if m := decisive(x); m != nil {
		a := c.signatureRefusal(s, x, m)
		a.cite("", e)
		return a
	}
	switch {
	case isPHPDenied(x):
		a := attribution{layer: record.LayerPHP, mech: record.MechHandler, conf: record.ConfHigh}
		a.summary = "PHP-FPM refused to run the script (\"Access denied.\"): the server passes the request to PHP with a path or extension PHP will not execute."
		a.cite("", x, e)
		a.next = "Route /wp-json/ to index.php (try_files … /index.php$is_args$args) instead of passing the REST path to PHP as a script."
		return a
	case x.Status() == 401 && header(x, "WWW-Authenticate") != "":
		return c.httpAuth(x, e)
	case x.Status() == 429:
		a := attribution{layer: record.LayerServer, mech: record.MechRateLimit, conf: record.ConfHigh}
		a.summary = "The server rate-limits these requests (429, Retry-After " + header(x, "Retry-After") + ")."
		a.cite("", x, e)
		return a
	case isAppPage(x) || page(x) == "custom-html" && !c.variantFlips(s, x):
		return c.customPage(x, e)
	}
	return c.originDifferential(s, x, e)
}

// customPage: a branded HTML refusal that is neither the server's stock
// page nor WordPress's REST server, and that no variant gets around: the
// pattern of a security plugin's PHP firewall.
func (c *context) customPage(x, e *record.Observation) attribution {
	a := attribution{layer: record.LayerPlugin, mech: record.MechBlockPage, conf: record.ConfMedium}
	if !isAppPage(x) {
		a.conf = record.ConfLow
	}
	a.summary = "A custom block page (not the web server's own error page, not WordPress's REST server) refused the request before WordPress routed it: the pattern of a security plugin's PHP firewall."
	if id := incidentID(x); id != "" {
		a.summary += " It carries the incident id " + id + "."
	}
	a.cite("custom HTML refusal ("+page(x)+")", x, e)
	a.next = "Find the security plugin (or server firewall) whose page this is, look the incident up in its log, and allowlist exactly this request there."
	return a
}

// variantFlips reports whether any control variant got through.
func (c *context) variantFlips(s *subject, x *record.Observation) bool {
	for v, byVantage := range s.obs {
		if v != VarAsSent && passes(byVantage[x.Vantage]) {
			return true
		}
	}
	return false
}

var incidentRe = regexp.MustCompile(`(?i)(?:incident|reference|request|block|support|event)[ _-]?(?:id|#|number|no\.?)\s*[:#]?\s*(?:<[^>]+>\s*)*#?([A-Za-z0-9][A-Za-z0-9._-]{3,40})`)

// incidentID extracts an incident or reference id from a block page.
func incidentID(o *record.Observation) string {
	if m := matchOf(o, record.KindRefusal); m != nil && m.IncidentID != "" {
		return m.IncidentID
	}
	if o.Response == nil {
		return ""
	}
	body := o.Response.Body
	if len(body) > 16<<10 {
		body = body[:16<<10]
	}
	if m := incidentRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func isPHPDenied(o *record.Observation) bool {
	return page(o) == "php-fpm-denied" || o.Response != nil && strings.TrimSpace(o.Response.Body) == "Access denied."
}

// isAppPage: an HTML refusal produced by application code rather than the
// server: a wp_die page, WordPress's no-cache headers, or PHP's marks.
func isAppPage(o *record.Observation) bool {
	if o.Class != nil && (o.Class.Producer == record.LayerPlugin || o.Class.Producer == record.LayerPHP) {
		return true
	}
	switch page(o) {
	case "wp-die-html", "wordpress-html", "php-page":
		return true
	}
	return strings.Contains(header(o, "Expires"), "11 Jan 1984") || header(o, "X-Powered-By") != "" && strings.Contains(strings.ToLower(header(o, "X-Powered-By")), "php")
}

func (c *context) httpAuth(x, e *record.Observation) attribution {
	a := attribution{layer: record.LayerServer, mech: record.MechHTTPAuth, conf: record.ConfHigh}
	a.summary = "The web server asks for HTTP authentication (401, WWW-Authenticate: " + header(x, "WWW-Authenticate") +
		") before WordPress runs; it also takes the Authorization header that application passwords need."
	a.cite("", x, e)
	a.next = "Exclude the REST routes that integrations and the editor use from server-level HTTP auth, or protect them another way (IP allowlist)."
	return a
}

// fromLogs uses server/WAF log entries correlated with the observations.
func (c *context) fromLogs(obs ...*record.Observation) (attribution, bool) {
	for _, o := range obs {
		if o == nil {
			continue
		}
		for _, l := range o.Logs {
			if len(l.Rules) == 0 || !l.Blocked && l.Status < 400 {
				continue
			}
			a := attribution{layer: record.LayerWAF, mech: record.MechWAFRule, conf: record.ConfHigh, vendor: engineName(l.Engine)}
			a.rules = blockingRules(l.Rules)
			a.summary = "The WAF (" + a.vendor + ") refused the request: " + rulesText(a.rules) + anomalyText(l.Score) + ", as its log records for this request."
			a.cite("log "+l.Source+":"+itoa(l.Line)+" ("+l.Format+") records the rule", o)
			a.next = "Add a narrow exclusion for these rule ids on this route and method only (see the remedy), never switch the WAF off."
			return a, true
		}
	}
	return attribution{}, false
}

func engineName(e string) string {
	if e == "" {
		return "ModSecurity"
	}
	return e
}

// blockingRules drops the anomaly-evaluation rules (949xxx, 980xxx) when
// the contributing rules are present.
func blockingRules(rs []record.RuleHit) []record.RuleHit {
	var out []record.RuleHit
	for _, r := range rs {
		if r.ID >= 949000 && r.ID < 950000 || r.ID >= 980000 && r.ID < 981000 {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return rs
	}
	return out
}

func rulesText(rs []record.RuleHit) string {
	var parts []string
	for _, r := range rs {
		p := "rule " + itoa(r.ID)
		if r.Message != "" {
			p += " (" + r.Message + ")"
		}
		if r.Target != "" {
			p += " on " + r.Target
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func anomalyText(score int) string {
	if score <= 0 {
		return ""
	}
	return ", anomaly score " + itoa(score)
}
