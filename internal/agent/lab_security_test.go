package agent

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
)

// Signatures the plugin must ignore: it then behaves as if absent.
var badSignatures = map[string]header{
	"wrong key": func(la *labAgent, req *http.Request, body []byte, id string) string {
		return Signer{Key: []byte("not-the-lab-key-not-the-lab-key-0123")}.Header(RequestOf(req, body), id)
	},
	"expired": func(la *labAgent, req *http.Request, body []byte, id string) string {
		return Signer{Key: la.key, Now: func() time.Time { return time.Now().Add(-6 * time.Minute) }}.Header(RequestOf(req, body), id)
	},
	"from the future": func(la *labAgent, req *http.Request, body []byte, id string) string {
		return Signer{Key: la.key, Now: func() time.Time { return time.Now().Add(6 * time.Minute) }}.Header(RequestOf(req, body), id)
	},
	"another path": func(la *labAgent, req *http.Request, body []byte, id string) string {
		r := RequestOf(req, body)
		r.Path += "x"
		return Signer{Key: la.key}.Header(r, id)
	},
	"another method": func(la *labAgent, req *http.Request, body []byte, id string) string {
		r := RequestOf(req, body)
		r.Method = "PATCH"
		return Signer{Key: la.key}.Header(r, id)
	},
	"version 1": func(la *labAgent, req *http.Request, body []byte, id string) string {
		return strings.Replace(signed(la, req, body, id), "v2 ", "v1 ", 1)
	},
	"garbage": func(la *labAgent, req *http.Request, body []byte, id string) string { return "v2 t=1 id=x sig=zz" },
}

var inertRequests = []labkit.TruthRequest{
	{Method: "GET", Route: "/", Auth: "public"},
	{Method: "GET", Route: "/wp/v2/posts", Auth: "public"},
	{Method: "GET", Route: "/wp/v2/posts", Style: "rest_route", Auth: "public"},
	{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor"},
	{Method: "POST", Route: "/wp/v2/posts", Auth: "public", Body: "benign.json"},
	{Method: "GET", Route: "/wp/v2/no-such-route", Auth: "public"},
}

// snapshot is a response without what legitimately differs per request.
func snapshot(t *testing.T, resp *http.Response) string {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for k, vs := range resp.Header {
		switch k {
		case "Date", "X-Edge-Ref":
			continue
		}
		lines = append(lines, k+": "+strings.Join(vs, "\x00"))
	}
	sort.Strings(lines)
	return resp.Status + "\n" + strings.Join(lines, "\n") + "\n\n" + string(body)
}

// labInert: without a valid signature (none, wrong key, expired,
// another route or method, replayed id) the site's responses are
// byte-for-byte those of the site without the plugin, at both origins.
func labInert(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	type key struct{ vantage, req, sig string }
	collect := func() map[key]string {
		out := map[key]string{}
		for _, v := range []string{"nginx", "apache"} {
			for _, r := range inertRequests {
				resp, _ := la.do(t, v, r, nil)
				out[key{v, r.String(), "none"}] = snapshot(t, resp)
				for name, sign := range badSignatures {
					resp, _ := la.do(t, v, r, sign)
					if resp.Header.Get(TraceHeader) != "" {
						t.Errorf("%s at %s with a bad signature (%s): the agent answered", r, v, name)
					}
					out[key{v, r.String(), name}] = snapshot(t, resp)
				}
			}
		}
		return out
	}
	with := collect()
	removeAgent(t)
	without := collect()
	for k, w := range without {
		if got := with[k]; got != w {
			t.Errorf("%s at %s, signature %s: the response differs with the agent installed:\n--- without\n%s\n--- with\n%s", k.req, k.vantage, k.sig, w, got)
		}
	}
}

// removeAgent takes the plugin out of mu-plugins until the test ends.
func removeAgent(t *testing.T) {
	t.Helper()
	path := filepath.Join(labMuDir, FileName)
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(path, saved, 0o644); err != nil {
			t.Errorf("put the agent back: %v", err)
		}
	})
}

// labReplay: a request id is accepted once; the replayed request
// gets no trace.
func labReplay(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	r := labkit.TruthRequest{Method: "GET", Route: "/wp/v2/posts", Auth: "public"}
	var first string
	once := func(la *labAgent, req *http.Request, body []byte, id string) string {
		if first == "" {
			first = signed(la, req, body, id)
		}
		return first
	}
	resp, _ := la.do(t, "nginx", r, once)
	if resp.Header.Get(TraceHeader) == "" {
		t.Fatal("the first signed request got no trace")
	}
	for _, v := range []string{"nginx", "apache", "edge"} {
		if resp, _ := la.do(t, v, r, once); resp.Header.Get(TraceHeader) != "" {
			t.Errorf("a replayed request id got a trace at %s", v)
		}
	}
}

var (
	nonceLike = regexp.MustCompile(`[0-9a-f]{10}`)
	ridField  = regexp.MustCompile(`"rid":"[^"]*"`)
)

// labNoSecrets: traces of requests carrying an application
// password, a login cookie and nonce, and planted secrets hold none of
// them, and the edge serves them private, no-store.
func labNoSecrets(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	const planted = "PLANTEDsecret0123456789"
	u, err := la.lab.Creds("editor")
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{planted, u.Password, u.AppPassword, strings.ReplaceAll(u.AppPassword, " ", ""), string(la.key)}
	reqs := []labkit.TruthRequest{
		{Method: "GET", Route: "/wp/v2/users/me?planted=" + planted, Auth: "app-password", User: "editor",
			Headers: map[string]string{"X-Planted": planted, "X-WP-Nonce": planted}},
		{Method: "POST", Route: "/wp/v2/posts", Auth: "cookie+nonce", User: "editor", Body: "benign.json",
			Headers: map[string]string{"X-Planted": planted}},
		{Method: "GET", Route: "/wp/v2/users/me", Auth: "cookie+stale-nonce", User: "editor"},
		{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor", WrongSecret: true},
	}
	for _, r := range reqs {
		tr, raw, resp := la.trace(t, "edge", r)
		for _, s := range secrets {
			if s != "" && strings.Contains(raw, s) {
				t.Errorf("%s: the trace holds a secret (%d bytes)", r, len(s))
			}
		}
		if nonceLike.MatchString(ridField.ReplaceAllString(raw, "")) || strings.Contains(raw, "|") || strings.Contains(raw, u.Login) {
			t.Errorf("%s: the trace holds something nonce- or cookie-like: %s", r, raw)
		}
		cc := strings.Join(resp.Header.Values("Cache-Control"), ", ")
		if !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") || strings.Contains(cc, "public") {
			t.Errorf("%s: the edge served the trace with Cache-Control %q", r, cc)
		}
		if r.Auth == "cookie+nonce" && (tr.Auth.UserID == 0 || !tr.Auth.CookieSent || tr.Auth.Nonce == nil || *tr.Auth.Nonce != 1) {
			t.Errorf("%s: the trace says anonymous: %s", r, raw)
		}
	}
}
