package remedy

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// session logs a lab user in at the origin and returns the Cookie header
// and a REST nonce, as the block editor has them.
func (r *labRun) session(t *testing.T, role string) (cookie, nonce string) {
	t.Helper()
	u, err := r.lab.Creds(role)
	if err != nil {
		t.Fatal(err)
	}
	c := r.client(t, r.lab.Origins["nginx"]+":443")
	form := url.Values{"log": {u.Login}, "pwd": {u.Password}, "testcookie": {"1"}, "redirect_to": {"/wp-admin/"}}
	req, _ := http.NewRequest("POST", "https://"+r.lab.Host+"/wp-login.php", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "wordpress_test_cookie=WP%20Cookie%20check")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	resp.Body.Close()
	var parts []string
	for _, ck := range resp.Cookies() {
		if ck.Value != "" && ck.Value != "deleted" {
			parts = append(parts, ck.Name+"="+ck.Value)
		}
	}
	cookie = strings.Join(parts, "; ")
	if !strings.Contains(cookie, "wordpress_logged_in_") {
		t.Fatalf("login as %s gave no logged-in cookie (status %d)", u.Login, resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", "https://"+r.lab.Host+"/wp-admin/admin-ajax.php?action=rest-nonce", nil)
	req.Header.Set("Cookie", cookie)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatalf("rest-nonce: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if nonce = strings.TrimSpace(string(b)); resp.StatusCode != 200 || nonce == "" || nonce == "0" {
		t.Fatalf("rest-nonce answered %d %q", resp.StatusCode, nonce)
	}
	return cookie, nonce
}

// auditHas reports whether the origin's audit-log entry of a request shows
// the marker (the audit log records the request headers nginx received).
func (r *labRun) auditHas(t *testing.T, rid, marker string) bool {
	t.Helper()
	for i := 0; i < 20; i++ {
		b, _ := os.ReadFile(r.lab.Logs.ModsecAudit)
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, rid) {
				return strings.Contains(l, marker)
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("request %s not in %s", rid, r.lab.Logs.ModsecAudit)
	return false
}

// TestLabHAProxyKeepCookieAndNonce proves the keep-header remedies for the
// editor's own credentials on a private HAProxy: the edited rule lets the
// logged-in cookie (or the nonce) through on REST, and still removes what
// it removed for everyone else, as the origin's audit log shows.
func TestLabHAProxyKeepCookieAndNonce(t *testing.T) {
	run := useLab(t)
	cases := []struct {
		scenario, header, match string
		probe                   edgeReq // must still lose the header
		marker                  string
	}{
		{"edge-strip-cookie", "Cookie", "del-header Cookie",
			edgeReq{method: "GET", path: "/wp-json/wp/v2/settings", header: map[string]string{"Cookie": "wp403probe=anonymous"}}, "wp403probe"},
		{"edge-strip-nonce", "X-WP-Nonce", "del-header X-WP-Nonce",
			edgeReq{method: "GET", path: "/wp-admin/admin-ajax.php?action=wp403-none", header: map[string]string{"X-WP-Nonce": "wp403probe"}}, "wp403probe"},
	}
	for _, c := range cases {
		sc := run.switchTo(c.scenario)
		t.Run(c.scenario, func(t *testing.T) {
			cookie, nonce := run.session(t, "editor")
			save := edgeReq{method: "POST", path: "/wp-json/wp/v2/posts", body: `{"title":"wp403 lab draft (cookie)","status":"draft"}`,
				header: map[string]string{"Cookie": cookie, "X-WP-Nonce": nonce}}
			t.Cleanup(func() { _ = run.lab.Cleanup(t.Context()) })
			if got, _ := run.do(t, run.lab.Edge+":443", save); got/100 != 4 {
				t.Fatalf("precondition: the lab edge answered %d, want a refusal", got)
			}
			f := record.Finding{Layer: record.LayerEdge, Mechanism: record.MechHeaderStripped, Vendor: sc.Vendor,
				Request: record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieNonce}}
			snippet := firstFor("HAProxy")(run, For(&f, Context{Header: c.header}))
			cfg := run.edgeConfig(t, c.match, snippet)
			t.Logf("applied:\n%s", scenarioPart(cfg))
			run.startEdge(t, cfg)
			run.expectAt(t, privEdge, save, 201)
			if _, rid := run.do(t, run.lab.Origins["nginx"]+":443", c.probe); !run.auditHas(t, rid, c.marker) {
				t.Fatalf("the audit log does not show %s sent straight to the origin: the check below would prove nothing", c.header)
			}
			if _, rid := run.do(t, privEdge, c.probe); run.auditHas(t, rid, c.marker) {
				t.Errorf("%s %s kept %s through the edited edge: broader than the remedy says", c.probe.method, c.probe.path, c.header)
			} else {
				t.Logf("%s %s still loses %s at the edge", c.probe.method, c.probe.path, c.header)
			}
		})
	}
}
