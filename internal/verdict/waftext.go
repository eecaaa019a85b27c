package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

func wafReplay(obs ...*record.Observation) *record.WAFResult {
	for _, o := range obs {
		if o != nil && o.WAF != nil {
			return o.WAF
		}
	}
	return nil
}

func pageOrStatus(x *Obs) string {
	if x.Page != "" {
		return x.Page + " page, no WordPress REST headers"
	}
	return itoa(x.Status) + " without WordPress REST headers"
}

func originSummary(a attribution, x *Obs, why string, oneVantage bool) string {
	if a.layer == record.LayerWAF {
		who := "A WAF on the origin server"
		if oneVantage {
			who = "Content inspection (a WAF, at the edge or on the origin)"
		}
		s := who + " refused the request (" + itoa(x.Status) + "): " + why
		if len(a.rules) > 0 {
			s += "; it matched " + rulesText(a.rules)
		}
		return s + "."
	}
	if a.conf == record.ConfLow {
		return "The origin web server refused the request (" + itoa(x.Status) + ") before WordPress ran, with its own error page; a server rule or a WAF module on it (both answer with the same page)."
	}
	return "The origin web server refused the request (" + itoa(x.Status) + ") before WordPress ran: " + why + "."
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
		if r.Name != "" {
			p = "rule " + r.Name
		}
		if r.Kind != "" {
			p = r.Kind + " " + p
		}
		if r.Set != "" {
			p += " of " + r.Set
		}
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
