// Command gencoraza writes real Coraza audit logs (JSON and Native) for the
// logscan fixtures: it runs the Coraza WAF with the OWASP CRS in process
// over the same requests lab/gen-log-fixtures sends to nginx and Apache.
//
// Usage: go run ./internal/logscan/testdata/gencoraza OUTDIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"github.com/corazawaf/coraza/v3"
)

type request struct {
	method, uri, ctype, body, ua string
	extra                        map[string]string
}

func requests() []request {
	ua := "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36"
	save := `{"id":1,"title":"Hello","content":"<!-- wp:paragraph -->\n<p>Hello <script>alert(1)</script></p>\n<!-- /wp:paragraph -->","status":"publish"}`
	auth := map[string]string{"Cookie": "wordpress_logged_in_0f1e2d=fixtureuser%7C1999999999%7CFAKE", "X-WP-Nonce": "0a1b2c3d4e"}
	return []request{
		{method: "GET", uri: "/wp-json/", ua: ua},
		{method: "POST", uri: "/wp-json/wp/v2/posts/1?_locale=user", ctype: "application/json", body: save, ua: ua,
			extra: map[string]string{"X-HTTP-Method-Override": "PUT", "Cookie": auth["Cookie"], "X-WP-Nonce": auth["X-WP-Nonce"]}},
		{method: "GET", uri: "/wp-json/wp/v2/posts?search=1%27%20UNION%20SELECT%20user_pass%20FROM%20wp_users--", ua: ua},
		{method: "PUT", uri: "/wp-json/wp/v2/posts/1", ctype: "application/json", body: `{"title":"x"}`, ua: ua},
		{method: "GET", uri: "/?rest_route=/wp/v2/users", ua: "sqlmap/1.7"},
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gencoraza OUTDIR")
		os.Exit(2)
	}
	for _, f := range []string{"JSON", "Native"} {
		name := "coraza-audit.json"
		if f == "Native" {
			name = "coraza-audit-native.log"
		}
		path, _ := filepath.Abs(filepath.Join(os.Args[1], name))
		_ = os.Remove(path)
		if err := run(f, path); err != nil {
			fmt.Fprintln(os.Stderr, "gencoraza:", err)
			os.Exit(1)
		}
	}
}

func run(format, path string) error {
	waf, err := coraza.NewWAF(coraza.NewWAFConfig().WithRootFS(coreruleset.FS).WithDirectives(`
Include @coraza.conf-recommended
Include @crs-setup.conf.example
Include @owasp_crs/*.conf
SecRuleEngine On
SecAuditEngine RelevantOnly
SecAuditLogParts ABIJDEFHZ
SecAuditLogType Serial
SecAuditLogFormat ` + format + `
SecAuditLog ` + path))
	if err != nil {
		return fmt.Errorf("build waf: %w", err)
	}
	for i, r := range requests() {
		send(waf, i+1, r)
	}
	return nil
}

func send(waf coraza.WAF, n int, r request) {
	tx := waf.NewTransaction()
	defer func() { tx.ProcessLogging(); tx.Close() }()
	tx.ProcessConnection("127.0.0.1", 40000+n, "127.0.91.5", 8080)
	tx.ProcessURI(r.uri, r.method, "HTTP/1.1")
	tx.AddRequestHeader("Host", "blog.wp403.test")
	tx.AddRequestHeader("User-Agent", r.ua)
	tx.AddRequestHeader("Accept", "application/json, */*;q=0.1")
	tx.AddRequestHeader("X-WP403-Request-Id", "coraza-"+strconv.Itoa(n))
	for k, v := range r.extra {
		tx.AddRequestHeader(k, v)
	}
	if r.ctype != "" {
		tx.AddRequestHeader("Content-Type", r.ctype)
		tx.AddRequestHeader("Content-Length", strconv.Itoa(len(r.body)))
	}
	it := tx.ProcessRequestHeaders()
	if it == nil && r.body != "" {
		it, _, _ = tx.WriteRequestBody([]byte(r.body))
	}
	if it == nil {
		it, _ = tx.ProcessRequestBody()
	}
	status := 200
	if it != nil {
		status = it.Status
	}
	tx.AddResponseHeader("Content-Type", "text/html")
	tx.ProcessResponseHeaders(status, "HTTP/1.1")
	fmt.Printf("coraza-%d %s %s %d %s\n", n, r.method, r.uri, status, strings.TrimSpace(r.ctype))
}
