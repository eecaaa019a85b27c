package waf

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestUserRulesBeforeAndAfterCRS(t *testing.T) {
	o := Options{Rules: []RuleSource{{Path: "testdata/rules-wp"}}}
	save := jsonReq("POST", "/wp-json/wp/v2/posts/1", editorSave)
	if res := replay(t, o, save); res.Blocked || hit(res, 941180) != nil {
		t.Fatalf("with the exclusion the save is blocked=%t rules=%v", res.Blocked, ids(res))
	}
	// The exclusion is scoped: same payload elsewhere is still refused.
	still := map[string]Request{
		"other route":     jsonReq("POST", "/wp-json/wp/v2/comments", `{"post":1,"content":"<!-- wp:paragraph -->x"}`),
		"other parameter": jsonReq("POST", "/wp-json/wp/v2/posts/1", `{"excerpt":"<!-- wp:paragraph -->x"}`),
		"other method":    jsonReq("PATCH", "/wp-json/wp/v2/posts/1", editorSave),
	}
	for name, r := range still {
		if res := replay(t, o, r); !res.Blocked {
			t.Errorf("%s: not blocked, rules %v", name, ids(res))
		}
	}
	// after-remove.conf loads after the CRS, so SecRuleRemoveById applies.
	scan := jsonReq("GET", "/wp-json/wp/v2/users", "")
	scan.Header.Set("User-Agent", "sqlmap/1.7")
	if res := replay(t, Options{}, scan); hit(res, 913100) == nil {
		t.Fatalf("without user rules sqlmap is not flagged: %v", ids(res))
	}
	if res := replay(t, o, scan); hit(res, 913100) != nil {
		t.Errorf("SecRuleRemoveById after the CRS did not apply: %v", ids(res))
	}
	e, _ := Shared(o)
	if !strings.Contains(e.RuleSet(), "2 user files") {
		t.Errorf("rule set = %q", e.RuleSet())
	}
}

func TestPlacement(t *testing.T) {
	o := Options{Rules: []RuleSource{{Path: "testdata/rules-wp", Place: PlaceAfter}}}
	files, err := resolve(o.Rules)
	if err != nil {
		t.Fatal(err)
	}
	d := directives(Options{Paranoia: 1, Threshold: 5, BodyProcessor: BodyJSON}, files)
	crs := strings.Index(d, "@owasp_crs/*.conf")
	before := strings.Index(d, "wp403-before.conf")
	if crs < 0 || before < crs {
		t.Errorf("PlaceAfter should load wp403-before.conf after the CRS:\n%s", d)
	}
	auto, _ := resolve([]RuleSource{{Path: "testdata/rules-wp"}})
	d = directives(Options{Paranoia: 1, Threshold: 5, BodyProcessor: BodyJSON}, auto)
	if strings.Index(d, "wp403-before.conf") > strings.Index(d, "@owasp_crs/*.conf") {
		t.Errorf("auto placement should load wp403-before.conf before the CRS:\n%s", d)
	}
}

func TestOptionErrors(t *testing.T) {
	cases := map[string]Options{
		"paranoia 5":    {Paranoia: 5},
		"threshold -1":  {Threshold: -1},
		"processor xml": {BodyProcessor: "xml"},
		"no rules":      {NoCRS: true},
		"missing dir":   {Rules: []RuleSource{{Path: "testdata/nope"}}},
		"empty dir":     {Rules: []RuleSource{{Path: "testdata"}}},
		"broken rule":   {Rules: []RuleSource{{Path: "testdata/rules-bad"}}},
	}
	for name, o := range cases {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
}

func TestSharedCachesPerConfig(t *testing.T) {
	a, err := Shared(Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Shared(Options{Paranoia: 1, Threshold: 5, BodyProcessor: BodyJSON})
	c, _ := Shared(Options{Paranoia: 3})
	if a != b {
		t.Error("equal options after defaults gave two builds")
	}
	if a == c {
		t.Error("different paranoia shared one build")
	}
}

func TestReplayCanceled(t *testing.T) {
	e, err := Shared(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Replay(ctx, jsonReq("GET", "/wp-json/", "")); err == nil {
		t.Error("Replay with a canceled context succeeded")
	}
}

func TestApproximate(t *testing.T) {
	cases := []struct {
		srv  Server
		want string
	}{
		{Server{Engine: "modsecurity-v3", CRS: "3.3.4"}, "the server runs CRS 3.3.4"},
		{Server{Engine: "modsecurity-v2", CRS: "3.3.4"}, "ARGS:content"},
		{Server{Engine: "modsecurity-v3", CRS: "4"}, "libmodsecurity 3"},
		{Server{}, "confirm the rule ids"},
	}
	for _, c := range cases {
		if got := approximate(Options{Server: c.srv}); !strings.Contains(got, c.want) {
			t.Errorf("approximate(%+v) = %q, want it to mention %q", c.srv, got, c.want)
		}
	}
	if got := approximate(Options{NoCRS: true}); strings.Contains(got, "CRS 4") || !strings.Contains(got, "own rule files") {
		t.Errorf("no-CRS replay note = %q", got)
	}
	if got := approximate(Options{Server: Server{Engine: "coraza", CRS: "4"}}); got != "" {
		t.Errorf("coraza + CRS 4 should be exact, got %q", got)
	}
}

func TestVersionsMatchGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{corazaModule + " " + corazaVersion, crsModule + " " + crsVersion} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod does not require %q: update the constants in engine.go", want)
		}
	}
}

func TestOwnRuleSetWithoutCRS(t *testing.T) {
	o := Options{NoCRS: true, Rules: []RuleSource{{Path: "testdata/rules-own"}}}
	res := replay(t, o, jsonReq("POST", "/wp-json/wp/v2/posts/1", `{"content":"evil"}`))
	if !res.Blocked || res.Status != 403 || hit(res, 40100) == nil || hit(res, 40100).Target != "ARGS:json.content" {
		t.Fatalf("own rule: blocked=%t status=%d rules=%+v", res.Blocked, res.Status, res.Rules)
	}
	if strings.Contains(res.RuleSet, "CRS") {
		t.Errorf("rule set %q claims the CRS", res.RuleSet)
	}
	// The editor save that CRS 941180 refuses passes a rule set without it.
	if res := replay(t, o, jsonReq("POST", "/wp-json/wp/v2/posts/1", editorSave)); res.Blocked {
		t.Errorf("editor save blocked by the own rule set: %v", ids(res))
	}
}
