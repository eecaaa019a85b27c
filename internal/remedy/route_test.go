package remedy

import (
	"net/url"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// routeOf is the REST route of a pretty or ?rest_route= URL (test helper).
func routeOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if r := u.Query().Get("rest_route"); r != "" {
		return r
	}
	return strings.TrimPrefix(u.Path, "/wp-json")
}

func TestRouteRE(t *testing.T) {
	cases := map[string]string{
		"/wp/v2/posts/12":          `^/wp-json/wp/v2/posts/[0-9]+/?$`,
		"/wp/v2/posts":             `^/wp-json/wp/v2/posts/?$`,
		"wp/v2/users/me/":          `^/wp-json/wp/v2/users/me/?$`,
		"/wc/v3/orders/5/notes/77": `^/wp-json/wc/v3/orders/[0-9]+/notes/[0-9]+/?$`,
		"/my.ns/v1/x+y":            `^/wp-json/my\.ns/v1/x\+y/?$`,
	}
	for route, want := range cases {
		c := Context{Route: "/" + strings.Trim(route, "/"), RESTPrefix: "/wp-json"}
		if got := c.pathRE(); got != want {
			t.Errorf("pathRE(%q) = %q, want %q", route, got, want)
		}
	}
	c := Context{RESTPrefix: "/blog/wp-json", Route: "/wp/v2/posts"}
	if got := c.indexRE(); got != `^/blog/(?:index\.php)?$` {
		t.Errorf("indexRE = %q", got)
	}
	for prefix, want := range map[string]string{"/wp-json": `^/(?:index\.php)?$`, "/api": `^/(?:index\.php)?$`, "/a.b/wp-json": `^/a\.b/(?:index\.php)?$`} {
		if got := (Context{RESTPrefix: prefix}).indexRE(); got != want {
			t.Errorf("indexRE(%s) = %q, want %q", prefix, got, want)
		}
	}
	f := record.Finding{Mechanism: record.MechWAFRule, Request: record.Request{Method: "post", Route: "wp/v2/posts/3?context=edit"}}
	if c := (Context{}).fill(&f); c.Route != "/wp/v2/posts/3" || c.Method != "POST" || c.RESTPrefix != "/wp-json" {
		t.Errorf("fill = route %q method %q prefix %q", c.Route, c.Method, c.RESTPrefix)
	}
	if a, b := localID("x", "y"), localID("x", "y"); a != b || a < 40000 || a > 49998 || a%2 != 0 {
		t.Errorf("localID = %d, %d: want equal, even, in 40000–49998", a, b)
	}
}
