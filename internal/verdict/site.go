package verdict

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// SiteRule is a rule about the whole run rather than one request.
type SiteRule struct {
	ID   string
	Doc  string
	When func(*SiteFacts) bool
	Then func(*SiteFacts) record.Finding
}

// SiteRules returns the site-wide rules (a copy).
func SiteRules() []SiteRule { return append([]SiteRule(nil), siteRules...) }

// siteRules all apply (they are not exclusive).
var siteRules = []SiteRule{
	{ID: "origin-locked", Doc: "The origin refuses every direct request that reaches WordPress through the edge: origin results are not used.",
		When: func(s *SiteFacts) bool { return s.OriginLocked }, Then: originLockFinding},
	{ID: "canonical-mismatch", Doc: "home or siteurl differ from the URL used in host or scheme.",
		When: func(s *SiteFacts) bool { return canonicalMismatch(s) != "" },
		Then: func(s *SiteFacts) record.Finding {
			key := canonicalMismatch(s)
			val := s.Home
			if key == "siteurl" {
				val = s.SiteURL
			}
			t, _ := url.Parse(s.TargetURL)
			return record.Finding{
				Severity: record.SevWarn, Layer: record.LayerWordPress, Mechanism: record.MechCanonical,
				Confidence: record.ConfHigh, Basis: "direct",
				Summary: "WordPress's " + key + " is " + val + " but the site was reached as " +
					t.Scheme + "://" + t.Host + ": REST URLs, cookies and nonces follow " + key + ".",
				Next: "Make home and siteurl the canonical https URL visitors use (Settings → General).",
			}
		}},
	{ID: "login-cookie-scope", Doc: "The login's wordpress_logged_in_ cookie is scoped (Domain, Path, Secure) so that browsers do not send it to the REST root: cookie-authenticated REST calls fail with rest_cookie_invalid_nonce.",
		When: func(s *SiteFacts) bool { return s.LoginCookieMiss != "" }, Then: cookieScopeFinding},
	{ID: "foreign-rest-root", Doc: "The site advertises its REST root on another host: wp403 did not follow it (credentials go only to the host named) and probed the target's own.",
		When: func(s *SiteFacts) bool { return s.ForeignRESTRoot != "" }, Then: foreignRootFinding},
}

// foreignRootFinding reports a REST root advertised on another host; it
// usually means home/siteurl name another address.
func foreignRootFinding(s *SiteFacts) record.Finding {
	return record.Finding{Severity: record.SevWarn, Layer: record.LayerWordPress,
		Mechanism: record.MechCanonical, Confidence: record.ConfHigh, Basis: "direct",
		Request: record.Request{Method: "GET", Route: "/", Auth: record.AuthNone},
		Summary: "The site advertises its REST root on another host (" + s.ForeignRESTRoot + "); wp403 did not follow it " +
			"and probed " + s.RESTRoot + " instead, because credentials go only to the host you named.",
		Next: "If that host is the site's real address, run wp403 against it; otherwise make home and siteurl " +
			"name the address clients use.", StoppedAt: record.LayerWordPress, Observations: s.discover}
}

// siteFindings evaluates every site rule.
func siteFindings(s *SiteFacts) []record.Finding {
	var out []record.Finding
	for _, r := range siteRules {
		if r.When(s) {
			f := r.Then(s)
			f.Rule = r.ID
			out = append(out, f)
		}
	}
	return out
}

func originLockFinding(s *SiteFacts) record.Finding {
	return record.Finding{
		Severity: record.SevInfo, Layer: record.LayerServer, Mechanism: record.MechOriginLocked,
		Confidence: record.ConfHigh, Basis: "differential", Observations: s.OriginRefusals,
		Summary: "The origin refuses direct connections: it only answers its CDN or proxy. " +
			"Origin results were not used to blame any layer.",
		Next: "To compare edge and origin, run wp403 from an address the origin allows, or allow this address temporarily.",
	}
}

// canonicalMismatch names "home" or "siteurl" when it differs from the
// URL used in host or scheme: cookies and nonces then break in the editor.
func canonicalMismatch(s *SiteFacts) string {
	t, err := url.Parse(s.TargetURL)
	if err != nil || s.Home == "" {
		return ""
	}
	for _, pair := range [][2]string{{"home", s.Home}, {"siteurl", s.SiteURL}} {
		u, err := url.Parse(pair[1])
		if err != nil || u.Host == "" {
			continue
		}
		if !strings.EqualFold(u.Hostname(), t.Hostname()) || u.Scheme != t.Scheme {
			return pair[0]
		}
	}
	return ""
}
