package remedy

import (
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

func userAgentRule(f *record.Finding, c Context) []record.Remedy {
	client := record.Remedy{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title:   "Send a descriptive User-Agent that is not on scanner lists",
		Scope:   "no server change; only this client's requests differ.",
		Snippet: "User-Agent: my-integration/1.0 (+https://example.com/contact)\n",
		Caveat:  fmt.Sprintf("the refused agent was %q; default agents of HTTP libraries and security tools are commonly refused.", c.UserAgent),
	}
	var out []record.Remedy
	switch f.Layer {
	case record.LayerWAF:
		if len(c.Rules) == 0 {
			c.Rules = []record.RuleHit{{ID: 913100, Target: "REQUEST_HEADERS:User-Agent"}}
		}
		out = wafRule(f, c)
	case record.LayerEdge:
		out = edgeException(c, "user-agent rule")
	default:
		out = uaServerEdits(c)
	}
	return append([]record.Remedy{client}, out...)
}

func httpAuth(f *record.Finding, c Context) []record.Remedy {
	var out []record.Remedy
	if c.Auth != record.AuthAppPassword {
		out = append(out, record.Remedy{
			Layer: record.LayerClient, Product: "REST client", Narrow: true,
			Title: "Send the site's HTTP credentials",
			Scope: "no server change; the server-level login stays for everyone.",
			Caveat: "a browser sends them after the login prompt; an application password cannot be sent at the same time " +
				"(both use the Authorization header), so app-password clients need the exception below.",
		})
	}
	if f.Layer == record.LayerEdge {
		return append(out, edgeException(c, "HTTP authentication")...)
	}
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			r := nginxException(c, "HTTP authentication", "    auth_basic off;\n",
				"        # other methods keep the site password: the same two lines as the protected block\n"+
					"        auth_basic \"Restricted\";\n        auth_basic_user_file /etc/nginx/htpasswd;\n")
			r.Caveat = "only if you want this route reachable without the site password: WordPress still checks the request's own credentials. " + r.Caveat
			out = append(out, r)
			continue
		}
		r := apacheException(c, "HTTP authentication", "")
		r.Caveat = "only if you want this route reachable without the site password: WordPress still checks the request's own credentials; " +
			"`Require all granted` in the later section replaces `Require valid-user` for this route and method only."
		out = append(out, r)
	}
	return out
}

func headerStripped(f *record.Finding, c Context) []record.Remedy {
	if f.Layer == record.LayerEdge {
		return edgeKeepHeader(c)
	}
	var out []record.Remedy
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			out = append(out, record.Remedy{
				Layer: record.LayerPHP, Product: "nginx + PHP-FPM", Narrow: true,
				Title:   "Pass the " + c.Header + " header to PHP",
				Scope:   "requests that carry the header get it in $_SERVER; nothing is allowed that WordPress does not check.",
				Snippet: fmt.Sprintf("fastcgi_param %s $http_%s;\n", cgiName(c.Header), nginxVar(c.Header)),
				Where:   "the `location ~ \\.php$` block, after `include fastcgi_params;`; for a proxied backend use `proxy_set_header " + c.Header + " $http_" + nginxVar(c.Header) + ";`",
				Caveat:  "reload nginx; check that no `fastcgi_param " + cgiName(c.Header) + " \"\";` later in the block clears it.",
			})
			continue
		}
		out = append(out, record.Remedy{
			Layer: record.LayerPHP, Product: c.apacheProduct() + " + PHP (FastCGI/CGI)", Narrow: true,
			Title: "Pass the " + c.Header + " header to PHP",
			Scope: "requests that carry the header get it in $_SERVER; nothing is allowed that WordPress does not check.",
			Snippet: fmt.Sprintf(`# Apache 2.4.13 and later:
CGIPassAuth On
# or, for older versions and LiteSpeed:
SetEnvIf %[1]s "(.*)" HTTP_%[2]s=$1
# or with mod_rewrite, in WordPress's .htaccess block (core ships this since 5.6; re-save permalinks):
RewriteRule .* - [E=HTTP_%[2]s:%%{HTTP:%[1]s}]
`, c.Header, cgiSuffix(c.Header)),
			Where:  "the site's <Directory> block or .htaccess in the WordPress root",
			Caveat: "use one of the three; CGIPassAuth needs AllowOverride AuthConfig in .htaccess.",
		})
	}
	return out
}

// uaServerEdits exempts the route and method from a server's user-agent
// test, which sits in the server block (nginx `if`, Apache rewrite or env).
func uaServerEdits(c Context) []record.Remedy {
	var out []record.Remedy
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			out = append(out, record.Remedy{
				Layer: record.LayerServer, Product: "nginx", Narrow: true,
				Title: "Exempt " + c.routeDesc() + " from the user-agent test in nginx",
				Scope: "this route and method only; every other request is still tested.",
				Snippet: fmt.Sprintf(`set $wp403_ua $http_user_agent;
set $wp403_req "$request_method $uri";
if ($wp403_req ~ %s) {
    set $wp403_ua "";
}
# then test $wp403_ua instead of $http_user_agent in the existing rule:
#   if ($wp403_ua ~* "…existing pattern…") { return 403; }
`, quote.Nginx("^"+c.Method+" "+strings.TrimPrefix(c.pathRE(), "^"))),
				Where:  "the server { } block, before the existing `if ($http_user_agent …)` rule",
				Caveat: "nginx's `if` has no AND, hence the variable; test with `nginx -t` and reload.",
			})
			continue
		}
		out = append(out, record.Remedy{
			Layer: record.LayerServer, Product: c.apacheProduct(), Narrow: true,
			Title: "Exempt " + c.routeDesc() + " from the user-agent test in Apache",
			Scope: "this route and method only; every other request is still tested.",
			Snippet: fmt.Sprintf(`# before the existing RewriteRule that refuses by %%{HTTP_USER_AGENT}, add to its conditions:
RewriteCond %%{THE_REQUEST} %s
`, quote.ApacheRegex("!^"+c.Method+`\ `+strings.TrimSuffix(strings.TrimPrefix(c.pathRE(), "^"), "/?$")+`/?[?\ ]`)),
			Where:  "the virtual host or .htaccess, among the RewriteCond lines of the user-agent rule (conditions are ANDed)",
			Caveat: "for a `SetEnvIf User-Agent … bad_bot` + `Require not env bad_bot` setup, add `SetEnvIf Request_URI \"" + c.pathRE() + "\" !bad_bot` after it instead.",
		})
	}
	return out
}
