package remedy

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/record"
)

// rawCase is a request that is not a plain REST call at the WordPress
// root: a non-REST endpoint, or a REST route under a subdirectory the
// origin serves through an alias hook. It is sent as raw bytes to the
// origin over TLS.
type rawCase struct {
	name, scenario string
	alias          map[string]string // hook file -> content that makes the path served
	method, target string
	ctype, body    string
	wp             func(status int, body string) bool // WordPress's own answer once the WAF lets it through
	still          []rawReq                           // attacks that must stay refused with the exclusion
}

type rawReq struct{ method, target, ctype, body string }

const (
	loginPwd  = "log=lab-editor&pwd=p4%24%24w0rd%22--x%3BTz%3C9&wp-submit=Log+In&testcookie=1"
	loginForm = "application/x-www-form-urlencoded"
	xssQuery  = "wp403_probe=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E"
)

var subdirAlias = map[string]string{
	"nginx-server.conf": "# wp403 test: a subdirectory install's REST prefix\n" +
		"location ^~ /blog/wp-json/ {\n    rewrite ^/blog/wp-json/(.*)$ /index.php?rest_route=/$1 last;\n}\n",
	"apache-vhost.conf": "# wp403 test: a subdirectory install's REST prefix\n" +
		"RewriteEngine On\nRewriteRule ^/blog/wp-json/(.*)$ /index.php?rest_route=/$1 [QSA,PT,L]\n",
}

const ajaxSave = "action=wp403_lab_save&content=%3C!--%20wp%3Aparagraph%20--%3E%3Cp%3EHi%3C%2Fp%3E%3C!--%20%2Fwp%3Aparagraph%20--%3E"

// ajaxNoAction is admin-ajax.php's own answer to an action nobody registered.
func ajaxNoAction(status int, body string) bool {
	return status == 400 && strings.TrimSpace(body) == "0"
}

func loginPage(status int, body string) bool {
	return status == 200 && strings.Contains(body, "loginform")
}

func restRefused(status int, body string) bool {
	return status == 401 && strings.Contains(body, "rest_cannot_create")
}

func rawCases(save string) []rawCase {
	var out []rawCase
	for _, sc := range []string{"waf-post-content", "apache-waf-post-content"} {
		out = append(out, rawCase{
			name: sc + "/wp-login.php", scenario: sc, method: "POST", target: "/wp-login.php", ctype: loginForm, body: loginPwd, wp: loginPage,
			still: []rawReq{
				{"POST", "/wp-login.php?" + xssQuery, loginForm, loginPwd},                                                                                 // another parameter, same path
				{"POST", "/wp-comments-post.php", loginForm, strings.Replace(loginPwd, "p4", "'%20UNION%20SELECT%20user_pass%20FROM%20wp_users--%20-", 1)}, // the same parameter, another path
			},
		}, rawCase{
			name: sc + "/admin-ajax.php", scenario: sc, method: "POST", target: "/wp-admin/admin-ajax.php", ctype: loginForm, body: ajaxSave, wp: ajaxNoAction,
			still: []rawReq{
				{"POST", "/wp-admin/admin-ajax.php", loginForm, strings.Replace(ajaxSave, "wp403_lab_save", "heartbeat", 1)}, // the same parameter, another action
				{"POST", "/wp-admin/admin-ajax.php?" + xssQuery, loginForm, ajaxSave},                                        // another parameter, same action
			},
		}, rawCase{
			name: sc + "/blog/wp-json", scenario: sc, alias: subdirAlias, method: "POST", target: "/blog/wp-json/wp/v2/posts",
			ctype: "application/json", body: save, wp: restRefused,
			still: []rawReq{
				{"POST", "/blog/wp-json/wp/v2/posts?" + xssQuery, "application/json", save}, // another parameter, same route
				{"POST", "/blog/wp-json/wp/v2/pages", "application/json", save},             // the same payload, another route
				{"POST", "/wp-json/wp/v2/posts", "application/json", save},                  // the same route without the install prefix
			},
		})
	}
	return out
}

// TestLabWAFExclusionsPaths extends the proof of issue 6 to issue 16's
// requests on the real nginx + libmodsecurity 3 and Apache + mod_security2
// origins: a non-REST endpoint (wp-login.php) and a REST route under a
// subdirectory (/blog/wp-json/…, served by an alias hook). Each is refused
// as sent; the exclusion wp403 writes from the audit log's rules lets it
// reach WordPress (the login page, or WordPress's own 401); attacks on
// another parameter or route stay refused.
func TestLabWAFExclusionsPaths(t *testing.T) {
	run := useLab(t)
	save, err := os.ReadFile(filepath.Join(run.lab.Dir(), "bodies", "editor-save.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range rawCases(string(save)) {
		sc := run.switchTo(rc.scenario)
		t.Run(rc.name, func(t *testing.T) { run.provePath(t, sc, rc) })
	}
}

func (r *labRun) provePath(t *testing.T, sc labkit.Scenario, rc rawCase) {
	audit, hookName, engine := r.lab.Logs.ModsecAudit, "modsec-before-crs.conf", "modsecurity-v3"
	if sc.Origin == "apache" {
		audit, hookName, engine = r.lab.Logs.ApacheModsecAudit, "apache-modsec-before-crs.conf", "modsecurity-v2"
	}
	for name, content := range rc.alias {
		r.hook(t, name, content)
	}
	req := rawReq{rc.method, rc.target, rc.ctype, rc.body}
	status, body, rid := r.sendRaw(t, sc.Origin, req)
	if status != 403 {
		t.Fatalf("precondition: %s %s answered %d, want 403 from ModSecurity:\n%.300s", rc.method, rc.target, status, body)
	}
	entry := r.logged(t, audit, rid)
	t.Logf("audit log %s: %s %s rules %v targets %v", entry.Engine, entry.Method, entry.URI, scoringIDs(entry.Rules), targetsOf(entry.Rules))
	f := record.Finding{Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Rules: entry.Rules, Request: record.Request{Method: rc.method}}
	c := Context{Server: sc.Origin, WAF: engine, CRS: 3, Target: entry.URI, ContentType: rc.ctype}
	if v, err := url.ParseQuery(rc.body); err == nil && rc.ctype == loginForm && v.Get("action") != "" {
		c.Action, c.ActionInBody = v.Get("action"), true
	}
	rs := wafRemedies(For(&f, c))
	if len(rs) == 0 || !rs[0].Narrow || rs[0].Snippet == "" {
		t.Fatalf("no narrow exclusion: %+v", rs)
	}
	if strings.Contains(rs[0].Snippet, "wp-json") != strings.Contains(rc.target, "wp-json") || !strings.Contains(rs[0].Snippet, strings.Split(rc.target, "/")[1]) {
		t.Fatalf("the exclusion is not scoped to %s:\n%s", rc.target, rs[0].Snippet)
	}
	t.Logf("exclusion (%s):\n%s", rs[0].Product, rs[0].Snippet)
	r.hook(t, hookName, rs[0].Snippet)
	if status, body, _ := r.sendRaw(t, sc.Origin, req); !rc.wp(status, body) {
		t.Errorf("with the exclusion: %d, want WordPress's own answer:\n%.300s", status, body)
	}
	for _, s := range rc.still {
		if status, _, _ := r.sendRaw(t, sc.Origin, s); status != 403 {
			t.Errorf("with the exclusion, %s %s: %d, want 403", s.method, s.target, status)
		} else {
			t.Logf("with the exclusion, %s %s: 403 as expected", s.method, s.target)
		}
	}
}

// sendRaw writes the request bytes to the origin over TLS (SNI and Host
// the lab's site) and reads the answer.
func (r *labRun) sendRaw(t *testing.T, origin string, q rawReq) (int, string, string) {
	t.Helper()
	addr, err := r.lab.OriginAddr(origin)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(r.lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: &tls.Config{RootCAs: pool, ServerName: r.lab.Host, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(addr, "443"))
	if err != nil {
		t.Fatalf("dial %s: %v", origin, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	rid := randomID()
	body := q.body
	raw := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nContent-Type: %s\r\nContent-Length: %d\r\n"+
		"X-WP403-Request-Id: %s\r\nConnection: close\r\n\r\n%s", q.method, q.target, r.lab.Host, labkit.BrowserUA, q.ctype, len(body), rid, body)
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, string(b), rid
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "wafpath-" + hex.EncodeToString(b)
}
