package remedy

import (
	"fmt"
	"hash/fnv"
	"path"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// Context is what the diagnosis knows about the site beyond the finding.
// Empty fields mean unknown; remedies then cover the likely variants.
type Context struct {
	Server     string // origin web server: "nginx", "apache", "litespeed"
	WAF        string // origin WAF engine: "modsecurity-v2", "modsecurity-v3", "coraza"
	CRS        int    // OWASP CRS major version on the origin: 3 or 4
	Edge       string // edge vendor: "cloudflare", "haproxy", "varnish"
	RESTPrefix string // "/wp-json" when empty; "/blog/wp-json" for a subdirectory install

	// The failing request; taken from the finding when empty.
	Method string
	Route  string // "/wp/v2/posts/1"
	Auth   record.AuthKind
	Rules  []record.RuleHit

	ContentType string // of the refused request (CRS 920420)
	UserAgent   string // of the refused request (user-agent rules)
	Header      string // the header that did not arrive; "Authorization" when empty
	Plugin      string // vendor or slug of the refusing plugin; the finding's Vendor when empty
	// Callback is the callback the wp403 agent saw refuse (agent-callback findings).
	Callback *record.AgentCallback
	Code     string // the WordPress error code, e.g. "rest_cannot_edit"
	URL      string // the site URL the client used
	Home     string // WordPress home option
	SiteURL  string // WordPress siteurl option
	Location string // the redirect target, for redirect findings

	// The refused request's target as sent (path and query, or an absolute
	// URL). When set, a WAF exclusion is scoped to it: the REST route with
	// the install prefix it shows, or the script path (wp-login.php,
	// wp-admin/post.php, …) for requests that are not REST.
	Target       string
	Action       string // admin-ajax.php's action parameter
	ActionInBody bool   // the action came in the form body, not the query

	// withAuth narrows edge exceptions to requests that carry WordPress
	// credentials (set for challenges and rate limits).
	withAuth bool
	// notes say which hostile or malformed values were left out; refused
	// says why no snippet can be written (see sanitize).
	notes   []string
	refused string
}

// generator writes the remedies for one mechanism.
type generator func(f *record.Finding, c Context) []record.Remedy

// generators covers every mechanism of the closed vocabulary.
var generators = map[record.Mechanism]generator{
	record.MechWAFRule:         wafRule,
	record.MechAccessRule:      accessRule,
	record.MechUserAgentRule:   userAgentRule,
	record.MechMethodRule:      methodRule,
	record.MechHTTPAuth:        httpAuth,
	record.MechHeaderStripped:  headerStripped,
	record.MechRewrite:         rewrite,
	record.MechRedirect:        redirect,
	record.MechHandler:         handler,
	record.MechPermission:      permission,
	record.MechAppPasswordsOff: appPasswordsOff,
	record.MechCredentials:     credentials,
	record.MechNonce:           nonce,
	record.MechRESTDisabled:    restDisabled,
	record.MechBlockPage:       blockPage,
	record.MechChallenge:       challenge,
	record.MechRateLimit:       rateLimit,
	record.MechLockout:         lockout,
	record.MechOriginLocked:    originLocked,
	record.MechUnreachable:     unreachable,
	record.MechTLS:             tlsFailure,
	record.MechBadResponse:     badResponse,
	record.MechCanonical:       canonical,
	record.MechUnknown:         unknown,
}

// For returns the narrowest fixes for the finding, most specific first.
// It never returns nil for a mechanism of the vocabulary.
func For(f *record.Finding, c Context) []record.Remedy {
	if f == nil {
		return nil
	}
	fc := *f
	fc.Product = productID(f)
	c = c.fill(&fc).sanitize()
	fc.Vendor = c.keep(f.Vendor, "the vendor's name", quote.ProductName) // the generators read it: validate it too
	f = &fc
	if c.refused != "" {
		return c.refusal(f)
	}
	if c.Callback != nil && f.Layer == record.LayerPlugin {
		return append(productFix(f, c), agentFix(f, c)...)
	}
	if rs := edgeRuleFix(f, c); rs != nil {
		return c.withNotes(rs)
	}
	if rs := productFix(f, c); rs != nil {
		return c.withNotes(rs)
	}
	if f.Layer == record.LayerPlugin && isPluginFirewallMech(f.Mechanism) {
		return c.withNotes(pluginFirewall(f, c))
	}
	g, ok := generators[f.Mechanism]
	if !ok {
		g = unknown
	}
	return c.withNotes(g(f, c))
}

// productID is the finding's registry id. A finding from an older report,
// or written by hand, names its vendor only: the registry entry named
// exactly by it stands in.
func productID(f *record.Finding) string {
	if f.Product != "" || f.Vendor == "" {
		return f.Product
	}
	if p := product.Named(f.Vendor); p != nil {
		return p.ID
	}
	return ""
}

// fill completes the context from the finding.
func (c Context) fill(f *record.Finding) Context {
	if c.Method == "" {
		c.Method = f.Request.Method
	}
	c.Method = strings.ToUpper(orDefault(c.Method, "GET"))
	if c.Route == "" {
		c.Route = f.Request.Route
	}
	route, _, _ := strings.Cut(orDefault(c.Route, "/"), "?")
	c.Route = "/" + strings.Trim(route, "/")
	if c.Auth == "" {
		c.Auth = f.Request.Auth
	}
	if len(c.Rules) == 0 {
		c.Rules = f.Rules
	}
	if c.Plugin == "" && (f.Layer == record.LayerPlugin || f.Layer == record.LayerWordPress) {
		c.Plugin = f.Vendor
	}
	if p := product.Default().ByCode(c.Code); c.Plugin == "" && p != nil {
		c.Plugin = p.Name // a WP_Error code only that plugin returns
	}
	p := product.ByID(f.Product)
	switch {
	case p == nil:
	case c.Edge == "" && f.Layer == record.LayerEdge && p.Layer == record.LayerEdge:
		c.Edge = p.ID
	case c.Server == "" && (f.Layer == record.LayerServer || f.Layer == record.LayerPHP) && knownServer(p.ID):
		c.Server = p.ID
	}
	c.Header = orDefault(c.Header, "Authorization")
	c.RESTPrefix = "/" + strings.Trim(orDefault(c.RESTPrefix, "/wp-json"), "/")
	return c
}

func knownServer(v string) bool { return v == "nginx" || v == "apache" || v == "litespeed" }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

var numericSegment = regexp.MustCompile(`^[0-9]+$`)

// routeRE is the regexp for the route alone ("/wp/v2/posts/[0-9]+/?"):
// numeric ids generalize to any id, so every post is covered but no other
// route is.
func routeRE(route string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.Trim(route, "/"), "/") {
		if seg == "" {
			continue
		}
		b.WriteString("/")
		if numericSegment.MatchString(seg) {
			b.WriteString("[0-9]+")
		} else {
			b.WriteString(regexp.QuoteMeta(seg))
		}
	}
	return b.String() + "/?"
}

// pathRE is the anchored regexp of the pretty REST URL path.
func (c Context) pathRE() string {
	return "^" + regexp.QuoteMeta(c.RESTPrefix) + routeRE(c.Route) + "$"
}

// queryRE is the anchored regexp of the rest_route query value.
func (c Context) queryRE() string { return "^" + routeRE(c.Route) + "$" }

// home is WordPress's home path: the REST prefix without its last
// segment ("/blog/wp-json" -> "/blog", "/wp-json" -> "").
func (c Context) home() string {
	return strings.TrimSuffix(path.Dir(c.RESTPrefix), "/")
}

// indexRE matches the front controller a ?rest_route= request reaches.
func (c Context) indexRE() string {
	return "^" + regexp.QuoteMeta(c.home()) + `/(?:index\.php)?$`
}

// routeDesc names what a remedy lets through: "POST /wp-json/wp/v2/posts/<id>".
func (c Context) routeDesc() string {
	var segs []string
	for _, s := range strings.Split(strings.Trim(c.Route, "/"), "/") {
		if numericSegment.MatchString(s) {
			s = "<id>"
		}
		segs = append(segs, s)
	}
	return c.Method + " " + c.RESTPrefix + "/" + strings.Join(segs, "/")
}

// localID is a stable rule id for a remedy in 40000–49998 (even), inside
// ModSecurity's range reserved for local rules (1–99,999); a remedy with
// two rules uses id and id+1.
func localID(parts ...string) int {
	h := fnv.New32a()
	h.Write([]byte(strings.Join(parts, "\x00")))
	return 40000 + int(h.Sum32()%5000)*2
}

// noNarrowFix is the remedy that says no narrow fix exists.
func noNarrowFix(layer record.Layer, product, why, next string) record.Remedy {
	return record.Remedy{
		Layer: layer, Product: product, Narrow: false,
		Title:  "No narrow fix exists",
		Scope:  why,
		Caveat: next,
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}
