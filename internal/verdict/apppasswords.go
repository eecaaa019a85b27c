package verdict

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// securityPlugins names the security plugins the REST index shows active:
// the namespaces (the part before the first '/') that the product
// registry says a security plugin registers.
func securityPlugins(namespaces []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, ns := range namespaces {
		if p := product.Default().ByNamespace(ns); p.Security() && !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p.Name)
		}
	}
	return out
}

// appPasswordsCause explains why application passwords are unavailable:
// WordPress only offers them on a request it sees as HTTPS (is_ssl()),
// and a plugin or filter can switch them off.
func appPasswordsCause(s *SiteFacts) (cause, vendor, next string) {
	if u, err := url.Parse(s.TargetURL); err == nil && u.Scheme == "http" {
		return "the site was reached over plain HTTP, and WordPress only offers application passwords on requests it sees as HTTPS",
			"", "Use the site's https:// URL; behind a proxy that terminates TLS, make PHP see HTTPS (set $_SERVER['HTTPS'] from X-Forwarded-Proto)."
	}
	if ps := s.SecurityPlugins; len(ps) > 0 {
		return "the REST index shows " + strings.Join(ps, ", ") + " active, and security plugins can switch application passwords off",
			ps[0], "Re-enable application passwords in " + ps[0] + "'s settings (it filters wp_is_application_passwords_available), or check that PHP sees HTTPS behind a proxy."
	}
	return "a plugin or filter switched them off (wp_is_application_passwords_available), or PHP does not see HTTPS behind a proxy",
		"", "Look for a plugin or snippet filtering wp_is_application_passwords_available; behind a proxy that terminates TLS, make PHP see HTTPS (set $_SERVER['HTTPS'] from X-Forwarded-Proto)."
}

func appPasswordsUnavailable(f *Facts) attribution {
	cause, vendor, next := appPasswordsCause(f.Site)
	a := attribution{layer: record.LayerWordPress, mech: record.MechAppPasswordsOff, conf: record.ConfHigh, vendor: vendor}
	if vendor != "" {
		a.layer = record.LayerPlugin
		a.conf = record.ConfMedium
	}
	a.summary = "Application passwords are unavailable on this site (" + f.Site.AppPasswordsOff + "): " + cause +
		". WordPress then ignores the Basic credentials and sees an anonymous user."
	a.cite("", f.Primary.obs())
	a.cite("", f.Site.appPasswordsObs)
	a.next = next
	return a
}
