package remedy

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// TestLabHAProxyEdits proves the generated HAProxy remedies on real
// HAProxy 2.6 in front of the lab origin: the refused request passes the
// edited rule and everything else the rule covered is still refused.
func TestLabHAProxyEdits(t *testing.T) {
	run := useLab(t)
	curl := "curl/7.88.1"
	cases := []struct {
		scenario, match string
		mech            record.Mechanism
		req             func(t *testing.T) edgeReq
		still           []edgeReq
	}{
		{"edge-path-block", "path_beg", record.MechAccessRule,
			func(*testing.T) edgeReq { return edgeReq{method: "GET", path: "/wp-json/wp/v2/users"} },
			[]edgeReq{{method: "GET", path: "/wp-json/wp/v2/users/me", user: "editor"}, {method: "POST", path: "/wp-json/wp/v2/users"}}},
		{"edge-method-block", "method PUT", record.MechMethodRule,
			func(t *testing.T) edgeReq {
				return edgeReq{method: "PUT", path: "/wp-json/wp/v2/posts/" + run.draft(t, "lab-editor"), user: "editor", body: `{"title":"wp403 lab draft (edge put)"}`}
			},
			[]edgeReq{{method: "PUT", path: "/wp-json/wp/v2/pages/7", user: "editor", body: `{}`},
				{method: "POST", path: "/wp-json/wp/v2/posts/1", user: "editor", header: map[string]string{"X-HTTP-Method-Override": "DELETE"}}}},
		{"edge-ua-block", "User-Agent", record.MechUserAgentRule,
			func(*testing.T) edgeReq { return edgeReq{method: "GET", path: "/wp-json/wp/v2/posts", ua: curl} },
			[]edgeReq{{method: "GET", path: "/wp-json/wp/v2/users", ua: curl}, {method: "GET", path: "/", ua: curl}}},
		{"edge-challenge", "wp403_edge_clearance", record.MechChallenge,
			func(*testing.T) edgeReq {
				return edgeReq{method: "GET", path: "/wp-json/wp/v2/users/me", user: "editor"}
			},
			[]edgeReq{{method: "GET", path: "/wp-json/wp/v2/users/me"}, {method: "GET", path: "/wp-json/wp/v2/posts"},
				{method: "GET", path: "/wp-json/wp/v2/settings", user: "editor"}}},
	}
	for _, c := range cases {
		sc := run.switchTo(c.scenario)
		t.Run(c.scenario, func(t *testing.T) {
			q := c.req(t)
			if got, _ := run.do(t, run.lab.Edge+":443", q); got != 403 {
				t.Fatalf("precondition: the lab edge answered %d, want 403", got)
			}
			route := strings.TrimPrefix(q.path, "/wp-json")
			f := record.Finding{Layer: record.LayerEdge, Mechanism: c.mech, Vendor: sc.Vendor,
				Request: record.Request{Method: q.method, Route: route, Auth: authOf(q)}}
			snippet := firstFor("HAProxy")(run, For(&f, Context{UserAgent: q.ua}))
			if snippet == "" {
				t.Fatal("no HAProxy remedy")
			}
			cfg := run.edgeConfig(t, c.match, snippet)
			t.Logf("remedy:\n%s\napplied:\n%s", snippet, scenarioPart(cfg))
			run.startEdge(t, cfg)
			run.expectAt(t, privEdge, q, okStatus(q.method))
			for _, s := range c.still {
				run.expectAt(t, privEdge, s, 403)
			}
		})
	}
	t.Run("edge-strip-authorization", func(t *testing.T) { run.proveKeepAuthorization(t) })
	t.Run("edge-rate-limit", func(t *testing.T) { run.proveRateLimit(t) })
}

func authOf(q edgeReq) record.AuthKind {
	if q.user != "" {
		return record.AuthAppPassword
	}
	return record.AuthNone
}

// proveRateLimit: after the edit, an editor's application-password saves
// are not limited on the route, while anonymous POSTs still are.
func (r *labRun) proveRateLimit(t *testing.T) {
	sc := r.switchTo("edge-rate-limit")
	save := edgeReq{method: "POST", path: "/wp-json/wp/v2/posts", user: "editor", body: `{"title":"wp403 lab draft (rate)"}`}
	t.Cleanup(func() { _ = r.lab.Cleanup(t.Context()) })
	last := func(addr string, q edgeReq) int {
		got := 0
		for i := 0; i < 5; i++ {
			got, _ = r.do(t, addr, q)
		}
		return got
	}
	if got := last(r.lab.Edge+":443", save); got != 429 {
		t.Fatalf("precondition: the 5th save via the lab edge answered %d, want 429", got)
	}
	f := record.Finding{Layer: record.LayerEdge, Mechanism: record.MechRateLimit, Vendor: sc.Vendor,
		Request: record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthAppPassword}}
	snippet := firstFor("HAProxy")(r, For(&f, Context{}))
	cfg := r.edgeConfig(t, "sc_http_req_rate", snippet)
	t.Logf("applied:\n%s", scenarioPart(cfg))
	r.startEdge(t, cfg)
	if got := last(privEdge, save); got != 201 {
		t.Errorf("5th editor save through the edited edge: %d, want 201", got)
	}
	if got := last(privEdge, edgeReq{method: "POST", path: "/wp-json/wp/v2/posts", body: `{}`}); got != 429 {
		t.Errorf("5th anonymous POST through the edited edge: %d, want 429 (the limit must stay for them)", got)
	} else {
		t.Log("anonymous POSTs are still rate limited (429)")
	}
}

func okStatus(method string) int {
	if method == "POST" {
		return 201
	}
	return 200
}

// proveKeepAuthorization: after the edit, application-password requests
// authenticate through the edge, and Authorization is still removed from
// non-REST requests (nginx logs $remote_user from the header it received).
func (r *labRun) proveKeepAuthorization(t *testing.T) {
	sc := r.switchTo("edge-strip-authorization")
	q := edgeReq{method: "GET", path: "/wp-json/wp/v2/users/me", user: "editor"}
	if got, _ := r.do(t, r.lab.Edge+":443", q); got != 401 {
		t.Fatalf("precondition: the lab edge answered %d, want 401", got)
	}
	f := record.Finding{Layer: record.LayerEdge, Mechanism: record.MechHeaderStripped, Vendor: sc.Vendor,
		Request: record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthAppPassword}}
	snippet := firstFor("HAProxy")(r, For(&f, Context{}))
	cfg := r.edgeConfig(t, "del-header Authorization", snippet)
	t.Logf("applied:\n%s", scenarioPart(cfg))
	r.startEdge(t, cfg)
	r.expectAt(t, privEdge, q, 200)
	r.expectAt(t, privEdge, edgeReq{method: "GET", path: "/?rest_route=/wp/v2/users/me", user: "editor"}, 200)
	u, _ := r.lab.Creds("editor")
	if _, rid := r.do(t, privEdge, q); r.remoteUser(t, rid) != u.Login {
		t.Fatalf("the REST request's remote_user is not %s: the access-log check below would prove nothing", u.Login)
	}
	_, rid := r.do(t, privEdge, edgeReq{method: "GET", path: "/wp-login.php?wp403=1", user: "editor"})
	if u := r.remoteUser(t, rid); u != "-" {
		t.Errorf("a non-REST request reached nginx with Authorization (remote_user %q): the edit is broader than REST", u)
	} else {
		t.Logf("non-REST request %s reached nginx without Authorization (remote_user -)", rid)
	}
}

// remoteUser reads $remote_user of the nginx access-log line with the request id.
func (r *labRun) remoteUser(t *testing.T, rid string) string {
	t.Helper()
	for i := 0; i < 20; i++ {
		b, _ := os.ReadFile(r.lab.Logs.NginxAccess)
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, `rid="`+rid+`"`) {
				if f := strings.Fields(l); len(f) > 2 {
					return f[2]
				}
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("request %s not in %s", rid, r.lab.Logs.NginxAccess)
	return ""
}

func scenarioPart(cfg string) string {
	a := strings.Index(cfg, "# --- scenario rules")
	b := strings.Index(cfg, "# --- extra/")
	if a < 0 || b < a {
		return cfg
	}
	return cfg[a:b]
}
