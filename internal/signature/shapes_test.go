package signature

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestRefusalShapes: refusals that are not a 401/403, each built from a
// lab capture (or a documented page) as a real site changes it.
func TestRefusalShapes(t *testing.T) {
	db := mustDB(t)
	noBody := ""
	for _, c := range []struct {
		name     string
		pc       precisionCase
		url      string
		refusal  bool
		gateway  bool
		producer record.Layer
		reason   string
	}{
		{"rest-error-in-200", precisionCase{Base: "wordpress/rest-forbidden-401.http", Status: 200}, "https://blog.example/wp-json/acme/v1/things",
			true, false, record.LayerWordPress, "HTTP 200 but the body is a REST error with status 401"},
		{"enveloped-200-is-not", precisionCase{Base: "wordpress/rest-not-logged-in-envelope-200.http"}, "https://blog.example/wp-json/wp/v2/users/me?_envelope",
			true, false, record.LayerWordPress, ""},
		{"private-site-302", precisionCase{Base: "wordpress/healthy-posts-200.http", Status: 302, Body: &noBody,
			Set: map[string][]string{"X-Redirect-By": {"WordPress"}, "Location": {"https://blog.example/wp-login.php?redirect_to=x"},
				"Access-Control-Expose-Headers": {}, "Access-Control-Allow-Headers": {}, "X-Wp-Total": {}, "X-Wp-Totalpages": {}, "Link": {}, "Content-Type": {}}},
			"https://blog.example/wp-json/wp/v2/posts", true, false, record.LayerPlugin, "X-Redirect-By: WordPress only says"},
		{"canonical-301-not-login", precisionCase{Base: "wordpress/healthy-posts-200.http", Status: 301, Body: &noBody,
			Set: map[string][]string{"X-Redirect-By": {"WordPress"}, "Location": {"https://www.blog.example/wp-json/wp/v2/posts"},
				"Access-Control-Expose-Headers": {}, "Access-Control-Allow-Headers": {}, "X-Wp-Total": {}, "X-Wp-Totalpages": {}, "Link": {}, "Content-Type": {}}},
			"https://blog.example/wp-json/wp/v2/posts", false, false, "", ""},
		{"nginx-405-allow", precisionCase{Base: "lab/nginx-deny-403.http", Status: 405, Set: map[string][]string{"Allow": {"GET, HEAD"}},
			Replace: [][2]string{{"403 Forbidden", "405 Not Allowed"}}}, "https://blog.example/wp-json/wp/v2/posts/1",
			true, false, record.LayerServer, "a server or proxy method limit"},
		{"fastly-first-byte-timeout", precisionCase{Base: "documented/fastly-first-byte-timeout-503.http"}, "https://blog.example/wp-json/wp/v2/posts",
			true, true, record.LayerEdge, "a gateway problem"},
		{"cloudflare-521", precisionCase{Base: "documented/cloudflare-origin-down-521.http"}, "https://blog.example/wp-json/wp/v2/posts",
			true, true, record.LayerEdge, "a gateway problem"},
		{"cloudflare-1020-is-no-gateway", precisionCase{Base: "documented/cloudflare-1020-access-denied-2020.http"}, "https://blog.example/wp-json/wp/v2/posts",
			true, false, record.LayerEdge, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.pc.Name, c.pc.URL = c.name, c.url
			req, resp := c.pc.load(t)
			req.Method = "GET"
			cls := db.Classify(req, resp)
			if cls.Refusal != c.refusal || cls.Gateway != c.gateway || c.producer != "" && cls.Producer != c.producer {
				t.Errorf("refusal %v gateway %v producer %s; want %v %v %s (reasons %q)", cls.Refusal, cls.Gateway, cls.Producer, c.refusal, c.gateway, c.producer, cls.Reasons)
			}
			if c.reason != "" && !strings.Contains(strings.Join(cls.Reasons, "\n"), c.reason) {
				t.Errorf("no reason %q in %q", c.reason, cls.Reasons)
			}
		})
	}
}
