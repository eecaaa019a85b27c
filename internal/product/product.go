package product

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Product is one registry entry.
type Product struct {
	ID      string       `yaml:"id"`
	Name    string       `yaml:"name"`    // the name a support desk would recognise
	Aliases []string     `yaml:"aliases"` // other spellings (signature vendors, slugs, log engines)
	Layer   record.Layer `yaml:"layer"`
	Kind    Kind         `yaml:"kind"`
	// Namespaces are the REST namespaces (the part before the first '/')
	// the product registers: the index lists them when it is active.
	Namespaces []string `yaml:"namespaces,omitempty"`
	// Codes are WP_Error codes only this product returns.
	Codes []string `yaml:"codes,omitempty"`
	// Assets are the plugin directories (/wp-content/plugins/<dir>/) its
	// pages load assets from.
	Assets []string `yaml:"assets,omitempty"`
	// Control is the product's own narrow control. Every plugin, edge and
	// WAF product has one or says it has none.
	Control *Control `yaml:"control,omitempty"`
	// Settings say where the product's switch is, per kind of fix:
	// "rest" (REST restriction), "app-passwords", "cache".
	Settings map[string]string `yaml:"settings,omitempty"`
	// Syntax is the config language wp403 writes this product's
	// exceptions in (see Syntaxes); empty when it has none.
	Syntax string `yaml:"syntax,omitempty"`
	// Fixes are the product's own remedies per mechanism, as text.
	Fixes map[record.Mechanism]Fix `yaml:"fixes,omitempty"`
	Doc   string                   `yaml:"doc,omitempty"`
}

// Kind says what sort of product it is.
type Kind string

// The kinds.
const (
	KindCDN      Kind = "cdn" // a CDN or edge network (may include a WAF)
	KindCloudWAF Kind = "cloud-waf"
	KindProxy    Kind = "proxy"    // a reverse proxy or load balancer
	KindHost     Kind = "host"     // a managed host's edge
	KindWAF      Kind = "waf"      // a WAF module or agent on the origin
	KindServer   Kind = "server"   // a web server or PHP handler
	KindCore     Kind = "core"     // WordPress itself
	KindSecurity Kind = "security" // a security plugin (firewall, login protection)
	KindREST     Kind = "rest"     // a plugin or snippet that restricts the REST API
	KindCache    Kind = "cache"    // a page-cache plugin
)

// Kinds is the closed vocabulary of kinds.
var Kinds = []Kind{KindCDN, KindCloudWAF, KindProxy, KindHost, KindWAF, KindServer, KindCore, KindSecurity, KindREST, KindCache}

// Syntaxes are the config languages remedy writes snippets in.
var Syntaxes = []string{"cloudflare", "haproxy", "varnish", "nginx", "apache", "modsecurity"}

// Control is a product's own narrow control: where it is, or why none
// exists. Exactly one of Where and None is set.
type Control struct {
	Where string `yaml:"where,omitempty"`
	None  string `yaml:"none,omitempty"`
}

// Fix is a product's own remedy for one mechanism. Its text may use the
// placeholders {route} (the REST path, install prefix included) and
// {route_desc} (method and route, ids generalised).
type Fix struct {
	Product string `yaml:"product,omitempty"` // the remedy's product label; the product's name when empty
	Title   string `yaml:"title"`
	Scope   string `yaml:"scope"`
	Snippet string `yaml:"snippet,omitempty"`
	Where   string `yaml:"where,omitempty"`
	Caveat  string `yaml:"caveat,omitempty"`
}

// Placeholders are the names a Fix may use in braces.
var Placeholders = []string{"route", "route_desc"}

// Render fills a fix's placeholders.
func (f Fix) Render(route, routeDesc string) Fix {
	r := strings.NewReplacer("{route}", route, "{route_desc}", routeDesc)
	f.Title, f.Scope, f.Snippet = r.Replace(f.Title), r.Replace(f.Scope), r.Replace(f.Snippet)
	f.Where, f.Caveat = r.Replace(f.Where), r.Replace(f.Caveat)
	return f
}

// NeedsControl reports whether the product must state its narrow
// control: every plugin, edge and WAF product.
func (p *Product) NeedsControl() bool {
	switch p.Layer {
	case record.LayerPlugin, record.LayerEdge, record.LayerWAF:
		return true
	}
	return false
}

// Setting says where the product's switch is for one kind of fix.
func (p *Product) Setting(kind string) (string, bool) {
	if p == nil {
		return "", false
	}
	s, ok := p.Settings[kind]
	return s, ok
}

// Security reports whether the product is a security plugin.
func (p *Product) Security() bool { return p != nil && p.Kind == KindSecurity }
