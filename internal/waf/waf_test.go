package waf

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

const (
	browserUA  = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36"
	editorSave = `{"id":1,"title":"Hello","content":"<!-- wp:paragraph -->\n<p>Hello</p>\n<!-- /wp:paragraph -->","status":"publish"}`
)

func jsonReq(method, url, body string) Request {
	h := http.Header{}
	h.Set("Host", "blog.wp403.test")
	h.Set("User-Agent", browserUA)
	h.Set("Accept", "application/json, */*;q=0.1")
	h.Set("Content-Type", "application/json")
	h.Set("X-WP-Nonce", "0a1b2c3d4e")
	return Request{Method: method, URL: url, Header: h, Body: []byte(body)}
}

func replay(t *testing.T, o Options, r Request) *record.WAFResult {
	t.Helper()
	e, err := Shared(o)
	if err != nil {
		t.Fatalf("Shared(%+v): %v", o, err)
	}
	res, err := e.Replay(context.Background(), r)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	return res
}

func ids(res *record.WAFResult) []int {
	var out []int
	for _, h := range res.Rules {
		if !slices.Contains(out, h.ID) {
			out = append(out, h.ID)
		}
	}
	return out
}

func hit(res *record.WAFResult, id int) *record.RuleHit {
	for i := range res.Rules {
		if res.Rules[i].ID == id {
			return &res.Rules[i]
		}
	}
	return nil
}

func TestReplayBlockEditorSave(t *testing.T) {
	res := replay(t, Options{}, jsonReq("POST", "/wp-json/wp/v2/posts/1?_locale=user", editorSave))
	if !res.Blocked || res.Status != 403 || res.Score != 5 {
		t.Fatalf("blocked=%t status=%d score=%d, want true 403 5; rules %v", res.Blocked, res.Status, res.Score, ids(res))
	}
	h := hit(res, 941180)
	if h == nil {
		t.Fatalf("941180 not matched; rules %v", ids(res))
	}
	if h.Target != "ARGS:json.content" || h.Phase != 2 || h.Paranoia != 1 || h.Severity != "CRITICAL" {
		t.Errorf("941180 hit = %+v, want target ARGS:json.content phase 2 PL1 CRITICAL", *h)
	}
	if hit(res, 949110) == nil {
		t.Errorf("no 949110 blocking evaluation in %v", ids(res))
	}
	if res.Processor != "JSON" || res.Paranoia != 1 || res.Threshold != 5 {
		t.Errorf("processor=%q pl=%d threshold=%d", res.Processor, res.Paranoia, res.Threshold)
	}
	if !strings.HasPrefix(res.Engine, "Coraza v3") || !strings.Contains(res.RuleSet, "OWASP CRS 4.") {
		t.Errorf("engine %q rule set %q", res.Engine, res.RuleSet)
	}
	if !strings.Contains(res.Approximate, "not the server's own engine") {
		t.Errorf("approximate = %q", res.Approximate)
	}
}

func TestReplayPassesPlainContent(t *testing.T) {
	res := replay(t, Options{}, jsonReq("POST", "/wp-json/wp/v2/posts/1", `{"content":"<p>Hello <strong>world</strong></p>"}`))
	if res.Blocked || res.Score != 0 || len(res.Rules) != 0 {
		t.Fatalf("blocked=%t score=%d rules=%v, want a clean pass", res.Blocked, res.Score, res.Rules)
	}
}

func TestReplayProtocolRules(t *testing.T) {
	jpeg := jsonReq("POST", "https://blog.wp403.test/wp-json/wp/v2/media", "\xff\xd8\xff\xe0 JFIF")
	jpeg.Header.Set("Content-Type", "image/jpeg")
	jpeg.Header.Del("Host") // taken from the URL
	cases := []struct {
		name   string
		req    Request
		id     int
		target string
	}{
		{"put", jsonReq("PUT", "/wp-json/wp/v2/posts/1", `{"title":"x"}`), 911100, "REQUEST_METHOD"},
		{"delete", jsonReq("DELETE", "/wp-json/wp/v2/posts/1?force=true", ""), 911100, "REQUEST_METHOD"},
		{"jpeg", jpeg, 920420, "REQUEST_HEADERS:content-type"},
		{"rest_route", jsonReq("POST", "/?rest_route=/wp/v2/posts/1", editorSave), 941180, "ARGS:json.content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := replay(t, Options{}, c.req)
			h := hit(res, c.id)
			if !res.Blocked || h == nil {
				t.Fatalf("blocked=%t rules=%v, want %d", res.Blocked, ids(res), c.id)
			}
			if !strings.EqualFold(h.Target, c.target) {
				t.Errorf("%d target = %q, want %q", c.id, h.Target, c.target)
			}
		})
	}
}

func TestReplayBodyProcessor(t *testing.T) {
	req := jsonReq("POST", "/wp-json/wp/v2/posts/1", editorSave)
	res := replay(t, Options{BodyProcessor: BodyURLEncoded}, req)
	if res.Processor != "URLENCODED" || !res.Blocked {
		t.Fatalf("processor=%q blocked=%t, want URLENCODED and blocked", res.Processor, res.Blocked)
	}
	for _, h := range res.Rules {
		if h.Target == "ARGS:json.content" {
			t.Errorf("urlencoded processor still produced %+v", h)
		}
	}
	if res := replay(t, Options{BodyProcessor: BodyOff}, req); res.Blocked || res.Score != 0 {
		t.Errorf("body access off: blocked=%t score=%d rules=%v", res.Blocked, res.Score, ids(res))
	}
}

func TestReplayParanoia(t *testing.T) {
	req := jsonReq("POST", "/wp-json/wp/v2/posts/1", editorSave)
	pl2 := replay(t, Options{Paranoia: 2}, req)
	if pl2.Paranoia != 2 || pl2.Score <= 5 {
		t.Fatalf("PL2 paranoia=%d score=%d, want 2 and more than PL1's 5", pl2.Paranoia, pl2.Score)
	}
	if res := replay(t, Options{Threshold: 10}, req); res.Blocked || res.Score != 5 {
		t.Errorf("threshold 10: blocked=%t score=%d, want a pass with score 5", res.Blocked, res.Score)
	}
}

// A GET has no body processor, so CRS 901340 (nolog, "Enabling body
// inspection") matches; like a server's log, the result leaves it out.
func TestReplaySkipsNologRules(t *testing.T) {
	res := replay(t, Options{}, jsonReq("GET", "/wp-json/wp/v2/posts?search=hello", ""))
	if res.Blocked || len(res.Rules) != 0 {
		t.Errorf("blocked=%t rules=%v, want a clean pass with no logged rules", res.Blocked, ids(res))
	}
}

// Matched data quoting a cookie or credential is masked in the result.
func TestReplayMasksSecrets(t *testing.T) {
	r := jsonReq("GET", "/wp-json/wp/v2/users/me", "")
	r.Header.Set("Cookie", "wordpress_logged_in_abc=<script>alert(1)</script>SeCrEt-cookie-42; other=1")
	res := replay(t, Options{}, r)
	if !res.Blocked {
		t.Fatalf("the XSS cookie was not refused: %v", ids(res))
	}
	seen := false
	for _, h := range res.Rules {
		if strings.Contains(h.Data+h.Message, "SeCrEt-cookie-42") {
			t.Errorf("rule %d leaks the cookie value: %q", h.ID, h.Data)
		}
		seen = seen || strings.Contains(h.Target, "REQUEST_COOKIES")
	}
	if !seen {
		t.Errorf("no rule matched the cookie, the check proves nothing: %+v", res.Rules)
	}
}

func TestForcedBodyNote(t *testing.T) {
	r := jsonReq("POST", "/wp-json/wp/v2/media", "\xff\xd8\xff\xe0 JFIF")
	r.Header.Set("Content-Type", "image/jpeg")
	res := replay(t, Options{Server: Server{Engine: "coraza", CRS: "4"}}, r)
	if res.Processor != "URLENCODED" || !strings.Contains(res.Approximate, "image/jpeg body was parsed as form fields") {
		t.Errorf("processor %q approximate %q", res.Processor, res.Approximate)
	}
	if forcedBodyNote("URLENCODED", "application/x-www-form-urlencoded; charset=UTF-8") != "" || forcedBodyNote("JSON", "application/json") != "" {
		t.Error("note given for a body that is parsed as it should be")
	}
}
