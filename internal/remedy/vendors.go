package remedy

import (
	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// Products are internal/product's registry: one entry per product with
// its narrow control, settings, config language and fixes as data. remedy
// finds the refusing product by id (the finding's Product, the context's
// Edge), by plugin directory or by a WP_Error code only it returns; a
// name is matched exactly, never as a substring: the slug
// disable-rest-api must not find the theme feature disable-rest-api-soil.

// lookup returns the product a context value names: a registry id, a
// plugin directory, or a product's exact name or alias.
func lookup(s string) *product.Product {
	if s == "" {
		return nil
	}
	reg := product.Default()
	if p := reg.ByID(s); p != nil {
		return p
	}
	if p := reg.ByAsset(s); p != nil {
		return p
	}
	return reg.Named(s)
}

// refuser returns the registry product that refused: the finding's, else
// the edge's (edge findings) or the plugin's (plugin and WordPress
// findings), else the one that alone returns the WP_Error code. It must
// run at the finding's layer: a refusal inside WordPress behind Cloudflare
// never gets Cloudflare's fix, nor the reverse.
func refuser(f *record.Finding, c Context) *product.Product {
	cands := []*product.Product{product.ByID(f.Product)}
	switch f.Layer {
	case record.LayerEdge:
		cands = append(cands, product.ByID(c.Edge))
	case record.LayerPlugin, record.LayerWordPress:
		cands = append(cands, lookup(c.Plugin))
	}
	cands = append(cands, product.Default().ByCode(c.Code))
	for _, p := range cands {
		if p != nil && (p.Layer == f.Layer || p.Layer == record.LayerPlugin && f.Layer == record.LayerWordPress) {
			return p
		}
	}
	return nil
}

// syntaxFixes are the remedies written in a product's config language
// for the mechanisms its registry entry has no text fix for.
var syntaxFixes = map[string]map[record.Mechanism]generator{
	"cloudflare": {
		record.MechWAFRule:   func(_ *record.Finding, c Context) []record.Remedy { c.Edge = "cloudflare"; return edgeWAF(c) },
		record.MechBlockPage: cloudflareBlock,
	},
}

// productFix returns the refusing product's own remedy for the finding:
// its registry fix for the mechanism, else one in its config language;
// nil when it has neither.
func productFix(f *record.Finding, c Context) []record.Remedy {
	p := refuser(f, c)
	if p == nil {
		return nil
	}
	if fx, ok := p.Fixes[f.Mechanism]; ok {
		fx = fx.Render(c.RESTPrefix+c.Route, c.routeDesc())
		return []record.Remedy{{Layer: p.Layer, Product: orDefault(fx.Product, p.Name), Narrow: true,
			Title: fx.Title, Scope: fx.Scope, Snippet: fx.Snippet, Where: fx.Where, Caveat: fx.Caveat}}
	}
	if g := syntaxFixes[p.Syntax][f.Mechanism]; g != nil {
		return g(f, c)
	}
	return nil
}

// cloudflareBlock: Cloudflare's block page comes from a managed rule or a
// custom rule (1020); Security → Events for the Ray ID says which, and each
// has its own narrow exception.
func cloudflareBlock(_ *record.Finding, c Context) []record.Remedy {
	c.Edge = "cloudflare"
	return append(edgeWAF(c), edgeException(c, "rule that blocked (error 1020)")...)
}

// edgeSyntax is the config language of the context's edge: "" when the
// edge is not identified, "none" when it is but wp403 writes no snippets
// for it (its remedies are then the generic edge advice).
func (c Context) edgeSyntax() string {
	if c.Edge == "" {
		return ""
	}
	if p := product.ByID(c.Edge); p != nil && p.Syntax != "" {
		return p.Syntax
	}
	return "none"
}

// edgeName is the display name of the context's edge.
func (c Context) edgeName(def string) string {
	if p := product.ByID(c.Edge); p != nil {
		return p.Name
	}
	return orDefault(c.Edge, def)
}

// edgeControl says where the identified edge's own narrow control is,
// from the registry; the generic text otherwise.
func (c Context) edgeControl(generic string) string {
	p := product.ByID(c.Edge)
	switch {
	case p == nil || p.Control == nil:
		return generic
	case p.Control.Where != "":
		return p.Control.Where
	}
	return p.Control.None
}

// pluginSetting says where the fix is, for a plugin slug, id or name.
func pluginSetting(plugin, kind string) string {
	if s, ok := lookup(plugin).Setting(kind); ok {
		return s
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
	where := "the plugin's firewall log names the rule or reason; its allowlist or exception screen takes the URL"
	if p := refuser(f, c); p != nil && p.Control != nil {
		where = orDefault(p.Control.Where, p.Control.None)
	}
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: orDefault(f.Vendor, "security plugin"), Narrow: true,
		Title: "Allow " + c.routeDesc() + " in the plugin's firewall or allowlist",
		Scope: "this route, method (and parameter, where the plugin allows) only; every other request is still filtered.",
		Where: where,
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

// controlHint names the identified edge's own control, for advice that
// has no snippet.
func (c Context) controlHint() string {
	p := product.ByID(c.Edge)
	if p == nil || p.Control == nil || p.Control.Where == "" {
		return ""
	}
	return " (" + p.Name + ": " + p.Control.Where + ")"
}
