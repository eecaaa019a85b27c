package remedy

import (
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// flavours lists the server syntaxes to write: the known one, or the two
// common ones when the server is unknown. LiteSpeed reads Apache syntax.
func (c Context) flavours() []string {
	switch c.Server {
	case "nginx":
		return []string{"nginx"}
	case "apache", "litespeed":
		return []string{"apache"}
	}
	return []string{"nginx", "apache"}
}

func (c Context) apacheProduct() string {
	if c.Server == "litespeed" {
		return "LiteSpeed (Apache syntax)"
	}
	return "Apache httpd"
}

// nginxLocation is the location that selects exactly the route: an exact
// match when the route has no id (it wins over every other location), a
// regex otherwise (it wins over plain prefix locations only).
func (c Context) nginxLocation() (string, bool) {
	if strings.Contains(routeRE(c.Route), "[0-9]+") {
		return "location ~ " + quote.Nginx(c.pathRE()), false
	}
	path := c.RESTPrefix + c.Route
	if c.Route == "/" {
		path = c.RESTPrefix + "/"
	}
	return "location = " + quote.Nginx(path), true
}

// nginxException lets exactly the route and method through a path, method
// or auth rule of the server. inner holds the directives that lift the
// rule; limit is the body of limit_except (what other methods still get).
func nginxException(c Context, what, inner, limit string) record.Remedy {
	loc, exact := c.nginxLocation()
	snippet := fmt.Sprintf(`# wp403: %s — nothing else changes
%s {
%s    limit_except %s {
%s    }
    try_files $uri $uri/ /index.php$is_args$args;
}
`, c.routeDesc(), loc, inner, c.Method, limit)
	r := record.Remedy{
		Layer: record.LayerServer, Product: "nginx", Narrow: true,
		Title:   "Let " + c.routeDesc() + " through the " + what + " in nginx",
		Scope:   c.routeDesc() + " only (other methods on it keep the rule, via limit_except; GET also allows HEAD); every other path keeps the existing rule.",
		Snippet: snippet,
		Where:   "the site's server { } block",
		Caveat:  "an exact `location =` wins over every prefix and regex location; it does not cover the trailing-slash form. Test with `nginx -t` and reload.",
	}
	if !exact {
		r.Where += ", before other regex locations that match " + c.RESTPrefix + "/ (regex locations win over plain prefix locations, in file order)"
		r.Caveat = "a refusal in `location ^~`, `location =`, a regex location listed earlier, or a server-level `if` is not overridden: " +
			"nest this location inside that block or add the exception to its condition; test with `nginx -t` and reload."
	}
	return r
}

// apacheException lets exactly the route and method through an
// authorization rule of Apache (Require, <Limit>, auth).
func apacheException(c Context, what, inner string) record.Remedy {
	snippet := fmt.Sprintf(`# wp403: %s — nothing else changes
<LocationMatch %s>
    <If "%%{REQUEST_METHOD} == '%s'">
%s        Require all granted
    </If>
</LocationMatch>
`, c.routeDesc(), quote.ApacheRegex(c.pathRE()), c.Method, inner)
	return record.Remedy{
		Layer: record.LayerServer, Product: c.apacheProduct(), Narrow: true,
		Title:   "Let " + c.routeDesc() + " through the " + what + " in Apache",
		Scope:   c.routeDesc() + " only; other methods on it and every other path keep the existing rule.",
		Snippet: snippet,
		Where:   "the virtual host, after the section that refuses (later <Location> sections override earlier ones; <If> merges last)",
		Caveat:  "a `RewriteRule … [F]` refusal is not changed by Require: add `RewriteCond %{REQUEST_METHOD} !^" + c.Method + "$ [OR]` / `RewriteCond %{REQUEST_URI} !" + c.pathRE() + "` conditions to it instead; reload Apache.",
	}
}

func accessRule(f *record.Finding, c Context) []record.Remedy {
	switch f.Layer {
	case record.LayerEdge:
		return edgeException(c, "path rule")
	case record.LayerWAF:
		return wafRule(f, c)
	}
	return serverExceptions(c, "path rule", "    allow all;\n", "        deny all;\n")
}

func serverExceptions(c Context, what, nginxInner, nginxLimit string) []record.Remedy {
	var out []record.Remedy
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			out = append(out, nginxException(c, what, nginxInner, nginxLimit))
		} else {
			out = append(out, apacheException(c, what, ""))
		}
	}
	return out
}

func methodRule(f *record.Finding, c Context) []record.Remedy {
	override := record.Remedy{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title:   "Send " + c.Method + " as POST with X-HTTP-Method-Override",
		Scope:   "no server change: WordPress reads the override header, as the block editor does.",
		Snippet: fmt.Sprintf("POST %s%s\nX-HTTP-Method-Override: %s\n", c.RESTPrefix, c.Route, c.Method),
		Caveat:  "only for clients you control; some hosts also refuse the override header.",
	}
	var out []record.Remedy
	switch f.Layer {
	case record.LayerWAF:
		if !hasRule(c.Rules, ruleMethod) {
			c.Rules = append(c.Rules, record.RuleHit{ID: ruleMethod, Target: "REQUEST_METHOD"})
		}
		out = wafRule(f, c)
	case record.LayerEdge:
		out = edgeException(c, "method rule")
	default:
		out = serverExceptions(c, "method rule", "", "        deny all;\n")
	}
	if c.Method == "PUT" || c.Method == "PATCH" || c.Method == "DELETE" {
		out = append(out, override)
	}
	return out
}

func hasRule(hits []record.RuleHit, id int) bool {
	for _, h := range hits {
		if h.ID == id {
			return true
		}
	}
	return false
}
