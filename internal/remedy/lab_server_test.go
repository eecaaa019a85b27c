package remedy

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/record"
)

// serverCase is one refused request of a lab server scenario, the include
// hook its generated snippet goes to, and what must stay refused.
type serverCase struct {
	scenario string
	failing  int
	hook     string
	pick     func(run *labRun, rs []record.Remedy) string // the snippet a user would paste
	still    []serverExpect
}

type serverExpect struct {
	req  labkit.TruthRequest
	want string
}

func public(method, route string) labkit.TruthRequest {
	return labkit.TruthRequest{Method: method, Route: route, Auth: "public"}
}

// firstFor returns the snippet of the first remedy for the product.
func firstFor(product string) func(*labRun, []record.Remedy) string {
	return func(_ *labRun, rs []record.Remedy) string {
		for _, r := range rs {
			if strings.HasPrefix(r.Product, product) && r.Snippet != "" {
				return r.Snippet
			}
		}
		return ""
	}
}

// snippetLine picks one alternative line of a snippet, wrapped as the
// remedy's Where says (a <Directory> for directory-context directives).
func snippetLine(prefix, wrap string) func(*labRun, []record.Remedy) string {
	return func(run *labRun, rs []record.Remedy) string {
		for _, r := range rs {
			for _, l := range strings.Split(r.Snippet, "\n") {
				if strings.HasPrefix(l, prefix) {
					if wrap != "" {
						return "<Directory " + wrap + ">\n  " + l + "\n</Directory>\n"
					}
					return l + "\n"
				}
			}
		}
		return ""
	}
}

var serverCases = []serverCase{
	{"server-deny-route", 0, "nginx-server.conf", firstFor("nginx"), []serverExpect{
		{editor("GET", "/wp/v2/users/me", ""), "403"}, // other path under the denied prefix
		{public("POST", "/wp/v2/users"), "403"},       // other method on the route
	}},
	{"server-basic-auth-rest", 1, "nginx-server.conf", func(run *labRun, rs []record.Remedy) string {
		// The user copies their own auth_basic_user_file, as the snippet's comment asks.
		return strings.ReplaceAll(firstFor("nginx")(run, rs), "/etc/nginx/htpasswd", filepath.Join(run.lab.StateDir, "htpasswd"))
	}, []serverExpect{
		{public("GET", "/wp/v2/posts"), "401"},        // other method on the route keeps the site password
		{editor("GET", "/wp/v2/users/me", ""), "401"}, // other REST path keeps it
	}},
	{"apache-htaccess-deny", 0, "apache-vhost.conf", firstFor("Apache"), []serverExpect{
		{editor("GET", "/wp/v2/users/me", ""), "403"},
		{public("POST", "/wp/v2/users"), "403"},
	}},
	{"apache-no-authorization", 0, "apache-vhost.conf", snippetLine("SetEnvIf Authorization", ""), []serverExpect{
		{public("GET", "/wp/v2/users/me"), "401"},               // no credentials: still refused by WordPress
		{editor("GET", "/wp/v2/settings", ""), "403"},           // an editor still may not read settings
		{editor("GET", "/wp/v2/users?context=edit", ""), "403"}, // nor list users for editing
	}},
	{"apache-no-authorization", 0, "apache-vhost.conf", snippetLine("CGIPassAuth On", "/usr/share/wordpress"), []serverExpect{
		{public("GET", "/wp/v2/users/me"), "401"},
	}},
}

// TestLabServerSnippets applies the generated nginx/Apache snippets of the
// server and PHP-handler scenarios through the lab's include hooks and
// checks that the refused request passes while unrelated protected paths
// (and other methods on the same route) stay protected.
func TestLabServerSnippets(t *testing.T) {
	run := useLab(t)
	for _, c := range serverCases {
		sc := run.switchTo(c.scenario)
		tr := sc.Failing[c.failing]
		t.Run(c.scenario+"/"+c.hook+"/"+tr.String(), func(t *testing.T) {
			status, _ := run.send(t, "origin", tr)
			if status/100 != 4 {
				t.Fatalf("precondition: %s answered %d, want a refusal", tr, status)
			}
			f := record.Finding{Layer: record.Layer(sc.Layer), Mechanism: record.Mechanism(sc.Mechanism), Vendor: sc.Vendor,
				Request: record.Request{Method: tr.Method, Route: tr.Route, Auth: record.AuthKind(tr.Auth)}}
			rs := For(&f, Context{Server: sc.Origin})
			snippet := c.pick(run, rs)
			if snippet == "" {
				t.Fatalf("no usable snippet in %+v", rs)
			}
			t.Logf("snippet for %s:\n%s", c.hook, snippet)
			run.hook(t, c.hook, snippet)
			run.expect(t, "origin", tr, "2xx")
			run.expect(t, "edge", tr, "2xx")
			for _, s := range c.still {
				run.expect(t, "origin", s.req, s.want)
			}
		})
	}
}
