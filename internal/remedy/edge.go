package remedy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// cfAuth is the Cloudflare expression for "this request carries WordPress
// credentials": the logged-in cookie, an Authorization header, or either.
func (c Context) cfAuth() string {
	cookie := `http.cookie contains "wordpress_logged_in_"`
	header := `any(lower(http.request.headers.names[*])[*] eq "authorization")`
	switch c.Auth {
	case record.AuthCookieNonce, record.AuthCookieOnly:
		return cookie
	case record.AuthAppPassword:
		return header
	case record.AuthNone:
		return "" // a public request: credentials cannot scope it
	}
	return "(" + cookie + " or " + header + ")"
}

// cfScope is the Cloudflare expression for the route, method and, for
// authenticated requests, the credentials.
func (c Context) cfScope() string {
	auth := ""
	if a := c.cfAuth(); a != "" {
		auth = " and " + a
	}
	return fmt.Sprintf(`(http.request.uri.path matches %s and http.request.method eq %s%s)`,
		quote.Cloudflare(c.pathRE()), quote.Cloudflare(c.Method), auth)
}

const cfCaveat = "`matches` (regex) needs a Business or Enterprise plan; on other plans use " +
	"`starts_with(http.request.uri.path, \"…\")` with the literal route. The cookie's presence is not proof of login: " +
	"WordPress still checks it, but the skipped rules no longer inspect these requests."

// edgeWAF is the remedy for a managed WAF rule at the edge.
func edgeWAF(c Context) []record.Remedy {
	if c.edgeSyntax() == "cloudflare" {
		return []record.Remedy{{
			Layer: record.LayerEdge, Product: "Cloudflare WAF", Narrow: true,
			Title:   "Skip only the matching managed rule for " + c.routeDesc() + " with WordPress credentials",
			Scope:   "the managed rule(s) named in the event are skipped for this route, method and authenticated requests only; every other rule still runs.",
			Snippet: c.cfScope() + "\n",
			Where:   "Security → WAF → Managed rules → Add exception: paste the expression, then \"Skip specific rules\" and pick the rule id shown in Security → Events for the request's Ray ID",
			Caveat:  cfCaveat,
		}}
	}
	return []record.Remedy{{
		Layer: record.LayerEdge, Product: c.edgeName("edge WAF"), Narrow: true,
		Title: "Ask for a rule exception scoped to " + c.routeDesc(),
		Scope: "the rule that matched, for this route and method only.",
		Snippet: fmt.Sprintf("path regex: %s\nmethod: %s\nrule: the id in the block page's incident/reference number\n",
			c.pathRE(), c.Method),
		Where:  c.edgeControl("the vendor's dashboard or support, quoting the block page's incident id"),
		Caveat: "do not allowlist the whole of " + c.RESTPrefix + "/ or switch the WAF off.",
	}}
}

// edgeException lets the route and method through an edge rule (path,
// method, user agent, auth), in the edge's config language. An edge that
// is not identified gets the two common self-hosted edges' forms; an
// identified edge whose syntax wp403 does not write gets the generic
// advice with its own control, never another product's syntax.
func edgeException(c Context, what string) []record.Remedy {
	switch c.edgeSyntax() {
	case "cloudflare":
		return []record.Remedy{{
			Layer: record.LayerEdge, Product: "Cloudflare", Narrow: true,
			Title:   "Exempt " + c.routeDesc() + " from the custom " + what,
			Scope:   "this route and method (with WordPress credentials when the request had them); the rule still applies to everything else.",
			Snippet: "... and not " + c.cfScope() + "\n",
			Where:   "Security → WAF → Custom rules: append this to the expression of the rule that blocks",
			Caveat:  cfCaveat,
		}}
	case "varnish":
		return []record.Remedy{varnishException(c, what)}
	case "haproxy":
		return []record.Remedy{haproxyException(c, what)}
	case "":
		return append([]record.Remedy{haproxyException(c, what)}, varnishException(c, what))
	}
	return []record.Remedy{genericEdgeException(c, what)}
}

// genericEdgeException is the advice for an edge whose exception syntax
// wp403 does not write: what to exempt, and where that product does it.
func genericEdgeException(c Context, what string) record.Remedy {
	scope := "this route with this method only"
	if c.withAuth {
		scope += ", with WordPress credentials (an Authorization header or the wordpress_logged_in_ cookie)"
	}
	return record.Remedy{
		Layer: record.LayerEdge, Product: c.edgeName("edge"), Narrow: true,
		Title:   "Exempt " + c.routeDesc() + " from the " + what + " at " + c.edgeName("the edge"),
		Scope:   scope + "; the rule still applies to everything else it matched.",
		Snippet: fmt.Sprintf("path regex: %s\nmethod: %s\n", c.pathRE(), c.Method),
		Where:   c.edgeControl("the edge's rules: the one that refused, found by the request's time and X-WP403-Request-Id"),
		Caveat:  "scope the exception to the route and method in the product's own rule language; do not allowlist the whole of " + c.RESTPrefix + "/ or switch the rule off.",
	}
}

func haproxyException(c Context, what string) record.Remedy {
	acls := fmt.Sprintf("acl wp403_route path_reg %s\nacl wp403_method method %s\n", quote.HAProxy(c.pathRE()), quote.HAProxy(c.Method))
	example := "{ path_beg " + quote.HAProxy(c.RESTPrefix+"/") + " }"
	cond := example + " !wp403_route || " + example + " !wp403_method"
	scope := "this route with this method only"
	if c.withAuth {
		acls += "acl wp403_auth req.hdr(Authorization) -m found\nacl wp403_auth req.hdr(Cookie) -m sub wordpress_logged_in_\n"
		cond += " || " + example + " !wp403_auth"
		scope += ", with WordPress credentials (Authorization or the login cookie)"
	}
	snippet := "# wp403: " + c.routeDesc() + " — exempt exactly this\n" + acls +
		"# then add the exemption to the refusing rule, e.g.\n" +
		"#   http-request deny if " + example + "\n# becomes\n#   http-request deny if " + cond + "\n"
	r := record.Remedy{
		Layer: record.LayerEdge, Product: "HAProxy", Narrow: true,
		Title:   "Exempt " + c.routeDesc() + " from the " + what + " in HAProxy",
		Scope:   scope + "; the rule still applies to everything else it matched.",
		Snippet: snippet,
		Where:   "the frontend, ACLs before the refusing http-request rule; HAProxy has no AND-NOT of several ACLs, hence the || branches",
		Caveat:  "an `http-request allow` before the rule would also skip every later http-request rule; prefer the condition. Reload HAProxy.",
	}
	if c.withAuth {
		r.Caveat = "the edge cannot check credentials: a client that sends any Authorization header skips the " + what +
			" on this route, and WordPress then refuses it if the credentials are wrong. " + r.Caveat
	}
	return r
}

func varnishException(c Context, what string) record.Remedy {
	test := fmt.Sprintf(`req.method == %s && req.url ~ %s`, quote.VCL(c.Method), quote.VCLRegex(strings.TrimSuffix(c.pathRE(), "$")+`(\?.*)?$`))
	if c.withAuth {
		test += ` && (req.http.Authorization || req.http.Cookie ~ "wordpress_logged_in_")`
	}
	return record.Remedy{
		Layer: record.LayerEdge, Product: "Varnish", Narrow: true,
		Title:   "Exempt " + c.routeDesc() + " from the " + what + " in Varnish",
		Scope:   "this route with this method only.",
		Snippet: fmt.Sprintf("# in vcl_recv, wrap the refusing test:\nif (!(%s)) {\n    # ... the existing rule that returns synth(403) ...\n}\n", test),
		Where:   "vcl_recv in the site's VCL",
		Caveat:  "req.url includes the query string, hence the optional (\\?.*)? before $; reload the VCL.",
	}
}

// keepACL is the HAProxy ACL of requests that must keep the header: REST
// requests for Authorization and X-WP-Nonce, logged-in requests for Cookie
// (whose stripping is usually a cache rule for anonymous REST traffic).
func (c Context) keepACL() (acl, desc string) {
	if strings.EqualFold(c.Header, "Cookie") {
		return "acl wp403_keep req.hdr(Cookie) -m sub wordpress_logged_in_\n", "requests with the WordPress login cookie"
	}
	return fmt.Sprintf("acl wp403_keep path_beg %s\nacl wp403_keep query -m reg (^|&)rest_route=\n", quote.HAProxy(c.RESTPrefix+"/")), "REST requests"
}

// edgeKeepHeader stops an edge from removing a header where WordPress needs it.
func edgeKeepHeader(c Context) []record.Remedy {
	acl, desc := c.keepACL()
	vclTest := fmt.Sprintf("req.url !~ %s && req.url !~ \"[?&]rest_route=\"", quote.VCLRegex("^"+regexp.QuoteMeta(c.RESTPrefix)+"/"))
	if strings.EqualFold(c.Header, "Cookie") {
		vclTest = "req.http.Cookie !~ \"wordpress_logged_in_\""
	}
	out := []record.Remedy{{
		Layer: record.LayerEdge, Product: "HAProxy", Narrow: true,
		Title: "Keep the " + c.Header + " header on " + desc,
		Scope: "the header reaches WordPress on " + desc + " only; it is still removed everywhere else, and WordPress checks it.",
		Snippet: acl + fmt.Sprintf(`# then exempt them in the rule that removes the header (append !wp403_keep to an existing condition), e.g.
#   http-request del-header %[1]s
# becomes
#   http-request del-header %[1]s if !wp403_keep
`, c.Header),
		Where:  "the frontend, ACLs before the rule that removes the header",
		Caveat: "same-name ACL lines are ORed; reload HAProxy.",
	}, {
		Layer: record.LayerEdge, Product: "Varnish", Narrow: true,
		Title:   "Keep the " + c.Header + " header on " + desc,
		Scope:   "the header reaches WordPress on " + desc + " only.",
		Snippet: fmt.Sprintf("if (%s) {\n    unset req.http.%s;\n}\n", vclTest, c.Header),
		Where:   "vcl_recv: wrap the existing unset in this test",
		Caveat:  "a request that keeps " + c.Header + " must not be served from or stored in the cache: `return (pass)` for it.",
	}}
	switch c.edgeSyntax() {
	case "haproxy":
		return out[:1]
	case "varnish":
		return out[1:]
	case "":
		return out
	}
	return []record.Remedy{{
		Layer: record.LayerEdge, Product: c.edgeName("edge"), Narrow: true,
		Title:  "Keep the " + c.Header + " header on " + desc,
		Scope:  "the header reaches WordPress on " + desc + " only; it is still removed everywhere else, and WordPress checks it.",
		Where:  c.edgeControl("the edge's request header rules: the one that removes " + c.Header),
		Caveat: "a request that keeps " + c.Header + " must not be served from or stored in the edge's cache.",
	}}
}
