package waf_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy"
	"github.com/wp403/wp403/internal/waf"
)

// Real payloads, as a scanner or an attacker sends them.
var attacks = map[string]string{
	"xss":  `<script>alert(document.cookie)</script>`,
	"sqli": `' UNION SELECT user_login,user_pass FROM wp_users-- -`,
}

// TestExclusionCorpus checks every request of the corpus three ways, at
// paranoia levels 1 and 4: the CRS refuses it; it passes once wp403's own
// exclusion for it is loaded as a --rules file; and with that exclusion a
// real XSS or SQLi payload is still refused, both in another parameter of
// the same route and in the same parameter of another route.
func TestExclusionCorpus(t *testing.T) {
	if len(waf.WPCorpus) < 60 {
		t.Fatalf("the corpus has %d requests, want at least 60", len(waf.WPCorpus))
	}
	for _, pl := range []int{1, 4} {
		t.Run(fmt.Sprintf("PL%d", pl), func(t *testing.T) {
			if pl > 1 && testing.Short() {
				t.Skip("PL4 builds a WAF per request (about 20 s); run without -short")
			}
			blocked, fixed := 0, 0
			var same sameParam
			for _, c := range waf.WPCorpus {
				b, ok := checkExclusion(t, pl, c, &same)
				if b {
					blocked++
				}
				if ok {
					fixed++
				}
			}
			t.Logf("PL%d: %d of %d legitimate requests blocked by CRS 4; wp403's exclusion lets %d of %d through, with every attack variant still refused",
				pl, blocked, len(waf.WPCorpus), fixed, blocked)
			t.Logf("PL%d: an attack in the excluded parameter itself, same route: %d of %d still refused (the exclusion removes rule × target pairs, not whole rule families)",
				pl, same.refused, same.total)
			if blocked == 0 || fixed != blocked {
				t.Errorf("PL%d: %d of %d fixed", pl, fixed, blocked)
			}
		})
	}
}

// checkExclusion runs the three checks for one request; it reports
// whether the CRS blocked it and whether all checks held.
func checkExclusion(t *testing.T, pl int, c waf.CorpusCase, same *sameParam) (blocked, ok bool) {
	t.Helper()
	base := mustEngine(t, waf.Options{Paranoia: pl})
	req, err := waf.ParseRaw(strings.NewReader(c.Raw()))
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	res := replayOK(t, base, req)
	if !res.Blocked {
		return false, false
	}
	fail := func(format string, a ...any) bool {
		t.Errorf("PL%d %s: "+format, append([]any{pl, c.Name}, a...)...)
		return false
	}
	if why := remedy.AttackIn(res.Rules); why != "" {
		return true, fail("a legitimate request was called an attack: %s", why)
	}
	snippet := exclusion(req, res.Rules)
	if snippet == "" {
		return true, fail("no narrow exclusion for %v", targets(res))
	}
	file := filepath.Join(t.TempDir(), "wp403-exclusion-before.conf")
	if err := os.WriteFile(file, []byte(snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	excl := mustEngine(t, waf.Options{Paranoia: pl, Rules: []waf.RuleSource{{Path: file, Place: waf.PlaceBefore}}})
	if after := replayOK(t, excl, req); after.Blocked {
		return true, fail("still blocked with the exclusion (rules %v):\n%s", targets(after), snippet)
	}
	same.count(t, excl, req, res.Rules)
	for name, v := range attackVariants(req, res.Rules) {
		r := replayOK(t, base, v)
		if !r.Blocked {
			return true, fail("attack %s is not refused even without the exclusion: %v", name, targets(r))
		}
		// (a payload in a password field is masked in the matched data, so only the probe parameter is checked)
		if strings.HasSuffix(name, "another parameter") && remedy.AttackIn(r.Rules) == "" {
			return true, fail("attack %s is not called an attack: %v", name, targets(r))
		}
		if r := replayOK(t, excl, v); !r.Blocked {
			return true, fail("attack %s gets through with the exclusion (%s %s):\n%s", name, v.Method, v.URL, snippet)
		}
	}
	return true, true
}

// sameParam counts attacks placed in the very parameter an exclusion
// covers, on the same route: a measure of how much inspection is left, not
// a gate (an exclusion for a parameter cannot promise to refuse them all).
type sameParam struct{ refused, total int }

func (s *sameParam) count(t *testing.T, e *waf.Engine, req waf.Request, rules []record.RuleHit) {
	t.Helper()
	for _, p := range attacks {
		v, injected := req, false
		for _, h := range rules {
			var ok bool
			v, ok = inject(v, h.Target, p)
			injected = injected || ok
		}
		if !injected {
			continue
		}
		s.total++
		if replayOK(t, e, v).Blocked {
			s.refused++
		}
	}
}

// exclusion is the snippet wp403 waf replay writes for the request, as its
// glue does: the target as sent, the method, the content type, the action.
func exclusion(req waf.Request, rules []record.RuleHit) string {
	f := record.Finding{Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Rules: rules,
		Request: record.Request{Method: req.Method}}
	ctx := remedy.Context{WAF: "coraza", CRS: 4, Target: req.URL, ContentType: req.Header.Get("Content-Type")}
	ctx.Action, ctx.ActionInBody, _ = req.Param("action")
	for _, r := range remedy.For(&f, ctx) {
		if r.Layer == record.LayerWAF && r.Narrow && r.Snippet != "" {
			return r.Snippet
		}
	}
	return ""
}

// attackVariants are the attacks the exclusion must still refuse: each
// payload in a new parameter of the same route, and in each parameter the
// exclusion covers, on another route (another admin-ajax.php action).
func attackVariants(req waf.Request, rules []record.RuleHit) map[string]waf.Request {
	out := map[string]waf.Request{}
	for name, p := range attacks {
		out[name+" in another parameter"] = withTarget(req, addQuery(req.URL, "wp403_probe", p))
		moved, injected := otherRoute(req), false
		for _, h := range rules {
			var ok bool
			moved, ok = inject(moved, h.Target, p)
			injected = injected || ok
		}
		if !injected { // the exclusion covers no parameter (a method, a header): a parameter of the other route
			moved = withTarget(moved, addQuery(moved.URL, "wp403_probe", p))
		}
		out[name+" in the same parameter of another route"] = moved
	}
	return out
}

func otherRoute(req waf.Request) waf.Request {
	p, q, _ := strings.Cut(req.URL, "?")
	if v, err := url.ParseQuery(q); err == nil && v.Get("rest_route") != "" {
		v.Set("rest_route", swapRoute(v.Get("rest_route")))
		return withTarget(req, p+"?"+v.Encode())
	}
	if i := strings.Index(p, "/wp-json/"); i >= 0 {
		return withTarget(req, p[:i+len("/wp-json")]+swapRoute(p[i+len("/wp-json"):])+queryPart(q))
	}
	if strings.HasSuffix(p, "/admin-ajax.php") {
		return setParam(req, "action", "wp403_other_action")
	}
	other := "admin-post.php"
	if path.Base(p) == other {
		other = "options.php"
	}
	return withTarget(req, path.Join(path.Dir(p), other)+queryPart(q))
}

func swapRoute(r string) string {
	if strings.Contains(r, "/comments") {
		return "/wp/v2/posts/99"
	}
	return "/wp/v2/comments/99"
}

func queryPart(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// inject puts the payload into the variable a hit names, where the
// request carries it: query, form or JSON body, or cookie.
func inject(req waf.Request, target, payload string) (waf.Request, bool) {
	col, key, _ := strings.Cut(target, ":")
	switch {
	case col == "ARGS" && strings.HasPrefix(key, "json."):
		if b, ok := setJSON(req.Body, strings.Split(strings.TrimPrefix(key, "json."), "."), payload); ok {
			return withBody(req, b), true
		}
	case col == "ARGS":
		return setParam(req, key, payload), true
	case col == "REQUEST_COOKIES":
		return setCookie(req, key, payload), true
	}
	return req, false
}

func setParam(req waf.Request, key, value string) waf.Request {
	p, q, _ := strings.Cut(req.URL, "?")
	if v, _ := url.ParseQuery(q); v.Has(key) {
		v.Set(key, value)
		return withTarget(req, p+"?"+v.Encode())
	}
	if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		v, _ := url.ParseQuery(string(req.Body))
		if v.Has(key) {
			v.Set(key, value)
			return withBody(req, []byte(v.Encode()))
		}
	}
	// A multipart field: the same ARGS name, in the query string.
	return withTarget(req, addQuery(req.URL, key, value))
}

func setJSON(body []byte, keys []string, payload string) ([]byte, bool) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	cur := doc
	for i, k := range keys {
		last := i == len(keys)-1
		switch node := cur.(type) {
		case map[string]any:
			if _, ok := node[k]; !ok {
				return nil, false
			}
			if last {
				node[k] = payload
			}
			cur = node[k]
		case []any:
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 || n >= len(node) {
				return nil, false
			}
			if last {
				node[n] = payload
			}
			cur = node[n]
		default:
			return nil, false
		}
	}
	b, err := json.Marshal(doc)
	return b, err == nil
}

func setCookie(req waf.Request, name, value string) waf.Request {
	out := clone(req)
	for i, f := range out.Fields {
		if strings.EqualFold(f.Name, "Cookie") {
			var parts []string
			for _, kv := range strings.Split(f.Value, "; ") {
				if k, _, _ := strings.Cut(kv, "="); k == name {
					kv = k + "=" + url.QueryEscape(value)
				}
				parts = append(parts, kv)
			}
			out.Fields[i].Value = strings.Join(parts, "; ")
		}
	}
	return out
}

func addQuery(target, k, v string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + url.QueryEscape(k) + "=" + url.QueryEscape(v)
}

func clone(req waf.Request) waf.Request {
	out := req
	out.Fields = append([]waf.Field(nil), req.Fields...)
	out.Header = req.Header.Clone()
	return out
}

func withTarget(req waf.Request, target string) waf.Request {
	out := clone(req)
	out.URL = target
	return out
}

// withBody replaces the body and its Content-Length, as a client would.
func withBody(req waf.Request, body []byte) waf.Request {
	out := clone(req)
	out.Body = body
	for i, f := range out.Fields {
		if strings.EqualFold(f.Name, "Content-Length") {
			out.Fields[i].Value = strconv.Itoa(len(body))
		}
	}
	out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return out
}

func mustEngine(t *testing.T, o waf.Options) *waf.Engine {
	t.Helper()
	e, err := waf.Shared(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func replayOK(t *testing.T, e *waf.Engine, r waf.Request) *record.WAFResult {
	t.Helper()
	res, err := e.Replay(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func targets(res *record.WAFResult) []string {
	var out []string
	for _, h := range res.Rules {
		out = append(out, fmt.Sprintf("%d@%s", h.ID, h.Target))
	}
	return out
}
