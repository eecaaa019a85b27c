package remedy

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// product is a firewall, security plugin or REST-restricting plugin whose
// own narrow controls remedy knows. It is found by exact name: its
// wordpress.org slug, one of the vendor names the signature database
// uses, or a WP_Error code only it returns. Never by substring: the slug
// disable-rest-api must not find the theme feature disable-rest-api-soil.
type product struct {
	slug  string       // wordpress.org slug, or the product's own short name
	layer record.Layer // where it runs: the plugin layer when empty
	names []string     // other names, as the signature database spells them
	codes []string     // WP_Error codes that only this product returns
	// settings says where the product's switch is, per kind of fix:
	// "rest" (REST restriction), "app-passwords", "cache".
	settings map[string]string
	// fixes are the product's own remedies for some mechanisms; the
	// generic generator handles the others.
	fixes map[record.Mechanism]generator
}

// normName is the comparison form of a vendor name or slug: lower case,
// trimmed, spaces as dashes.
func normName(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
}

// productFor returns the product named exactly by one of names (a slug or
// a vendor name) or, failing that, by a WP_Error code only it returns.
func productFor(code string, names ...string) *product {
	for _, n := range names {
		if n = normName(n); n == "" {
			continue
		}
		for i := range products {
			if products[i].named(n) {
				return &products[i]
			}
		}
	}
	if code == "" {
		return nil
	}
	for i := range products {
		for _, c := range products[i].codes {
			if c == code {
				return &products[i]
			}
		}
	}
	return nil
}

// display is the product's name for the user.
func (p *product) display() string {
	if len(p.names) > 0 {
		return p.names[0]
	}
	return p.slug
}

func (p *product) named(n string) bool {
	if n == p.slug {
		return true
	}
	for _, name := range p.names {
		if n == normName(name) {
			return true
		}
	}
	return false
}

// productFix returns the product's own remedy for the finding, or nil. The
// product must run at the finding's layer: a refusal inside WordPress
// behind Cloudflare never gets Cloudflare's fix, nor the reverse.
func productFix(f *record.Finding, c Context) []record.Remedy {
	names := []string{f.Vendor}
	switch f.Layer {
	case record.LayerEdge:
		names = append(names, c.Edge)
	case record.LayerPlugin, record.LayerWordPress:
		names = append(names, c.Plugin)
	}
	p := productFor(c.Code, names...)
	if p == nil || p.runsAt() != f.Layer && !(p.runsAt() == record.LayerPlugin && f.Layer == record.LayerWordPress) {
		return nil
	}
	if g := p.fixes[f.Mechanism]; g != nil {
		return g(f, c)
	}
	return nil
}

// runsAt is the layer the product runs at.
func (p *product) runsAt() record.Layer {
	if p.layer == "" {
		return record.LayerPlugin
	}
	return p.layer
}

// pluginSetting says where the fix is, for a plugin slug or vendor name.
func pluginSetting(plugin, kind string) string {
	if p := productFor("", plugin); p != nil {
		if s, ok := p.settings[kind]; ok {
			return s
		}
	}
	switch kind {
	case "cache":
		return "the page-cache plugin's settings: never cache /wp-admin/ and do not cache pages for logged-in users"
	case "app-passwords":
		return "the plugin's security or login settings: the option that disables application passwords"
	}
	return "the plugin's settings for REST API access (per route or role)"
}

// pluginFirewall is the remedy for a refusal by a security plugin whose
// allowlist is not known: never a web-server or ModSecurity snippet, since
// the plugin runs in PHP after both.
func pluginFirewall(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: orDefault(f.Vendor, "security plugin"), Narrow: true,
		Title: "Allow " + c.routeDesc() + " in the plugin's firewall or allowlist",
		Scope: "this route, method (and parameter, where the plugin allows) only; every other request is still filtered.",
		Where: "the plugin's firewall log names the rule or reason; its allowlist or exception screen takes the URL",
		Caveat: "the plugin runs inside PHP, after the web server and any ModSecurity: server or WAF exceptions do not help. " +
			"Do not deactivate the plugin; an IP allowlist entry exempts that address from every rule.",
	}}
}

// isPluginFirewallMech reports whether a plugin-layer finding with this
// mechanism needs the plugin's own allowlist rather than the generic fix.
func isPluginFirewallMech(m record.Mechanism) bool {
	switch m {
	case record.MechWAFRule, record.MechAccessRule, record.MechBlockPage, record.MechUserAgentRule:
		return true
	}
	return false
}
