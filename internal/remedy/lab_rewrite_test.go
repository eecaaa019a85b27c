package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestLabRewrite proves the rewrite remedies: nginx's try_files fallback (in
// a private nginx whose `location /` gets the remedy's line instead of the
// scenario's broken one) and WordPress's rewrite block on Apache (in a
// <Directory> of the vhost hook, as .htaccess would hold it).
func TestLabRewrite(t *testing.T) {
	run := useLab(t)
	t.Run("server-broken-try-files", func(t *testing.T) {
		sc := run.switchTo("server-broken-try-files")
		q := edgeReq{method: "GET", path: "/wp-json/wp/v2/posts"}
		if got, _ := run.do(t, run.lab.Origins["nginx"]+":443", q); got != 404 {
			t.Fatalf("precondition: the lab origin answered %d, want 404", got)
		}
		f := record.Finding{Layer: record.LayerServer, Mechanism: record.MechRewrite, Vendor: sc.Vendor,
			Request: record.Request{Method: "GET", Route: "/wp/v2/posts"}}
		line := ""
		for _, l := range strings.Split(firstFor("nginx")(run, For(&f, Context{})), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "try_files") {
				line = strings.TrimSpace(l)
			}
		}
		if line == "" {
			t.Fatal("no try_files line in the nginx remedy")
		}
		run.startOrigin(t, "nginx-root.conf;", false, line)
		run.expectAt(t, privOrigin, q, 200)
		run.expectAt(t, privOrigin, edgeReq{method: "POST", path: "/wp-json/wp/v2/posts", user: "editor", body: `{"title":"wp403 lab draft (rewrite)"}`}, 201)
		t.Cleanup(func() { _ = run.lab.Cleanup(t.Context()) })
		run.expectAt(t, privOrigin, edgeReq{method: "GET", path: "/wp-json/wp/v2/settings"}, 401)       // WordPress still checks
		run.expectAt(t, privOrigin, edgeReq{method: "GET", path: "/wp-content/plugins/hello.php"}, 403) // PHP under wp-content stays denied
	})
	t.Run("apache-no-rewrite", func(t *testing.T) {
		sc := run.switchTo("apache-no-rewrite")
		tr := sc.Failing[1]
		f := record.Finding{Layer: record.LayerServer, Mechanism: record.MechRewrite, Vendor: sc.Vendor,
			Request: record.Request{Method: tr.Method, Route: tr.Route, Auth: record.AuthAppPassword}}
		block := firstFor("Apache")(run, For(&f, Context{Server: "apache"}))
		if !strings.Contains(block, "RewriteRule . /index.php [L]") {
			t.Fatalf("no WordPress rewrite block:\n%s", block)
		}
		run.hook(t, "apache-vhost.conf", "<Directory /usr/share/wordpress>\n"+block+"</Directory>\n")
		run.expect(t, "origin", tr, "2xx")
		run.expect(t, "edge", sc.Failing[0], "2xx")
		run.expect(t, "origin", public("GET", "/wp/v2/settings"), "401")
	})
}
