package remedy

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/waf"
)

// These tests load the generated ModSecurity exclusions into Coraza + CRS 4
// (before the CRS, as the remedy says) and check both halves of "narrow":
// the refused request now passes, the same payload elsewhere is still refused.

const gutenberg = `{"content":"<!-- wp:paragraph --><p>Hi</p><!-- /wp:paragraph -->"}`

func req(method, url, ctype, body string) waf.Request {
	h := http.Header{}
	h.Set("Host", "blog.wp403.test")
	h.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
	h.Set("Accept", "application/json")
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	return waf.Request{Method: method, URL: url, Header: h, Body: []byte(body)}
}

// withExclusion builds a WAF with the remedy's snippet as a before-CRS file.
func withExclusion(t *testing.T, r record.Remedy) *waf.Engine {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "wp403-before.conf"), []byte(r.Snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := waf.New(waf.Options{Rules: []waf.RuleSource{{Path: dir, Place: waf.PlaceBefore}}})
	if err != nil {
		t.Fatalf("generated exclusion does not compile: %v\n%s", err, r.Snippet)
	}
	return e
}

func blocked(t *testing.T, e *waf.Engine, r waf.Request) bool {
	t.Helper()
	res, err := e.Replay(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return res.Blocked
}

func TestExclusionsProvedInCoraza(t *testing.T) {
	base, err := waf.Shared(waf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type proof struct {
		name    string
		fails   waf.Request
		mech    record.Mechanism
		ctx     Context
		stillNo []waf.Request
	}
	proofs := []proof{
		{"941180 content", req("POST", "/wp-json/wp/v2/posts/12", "application/json", gutenberg), record.MechWAFRule,
			Context{WAF: "coraza", CRS: 4}, []waf.Request{
				req("POST", "/wp-json/wp/v2/comments", "application/json", gutenberg),
				req("POST", "/wp-json/wp/v2/posts/12", "application/json", `{"excerpt":"<!-- wp:paragraph -->x"}`),
				req("POST", "/wp-json/wp/v2/posts/12?x=%3C!--%20a", "application/json", `{}`),
				req("PATCH", "/wp-json/wp/v2/posts/12", "application/json", gutenberg),
				req("POST", "/?rest_route=/wp/v2/comments", "application/json", gutenberg),
			}},
		{"941180 rest_route", req("POST", "/?rest_route=/wp/v2/posts/12", "application/json", gutenberg), record.MechWAFRule,
			Context{}, []waf.Request{
				req("POST", "/?rest_route=/wp/v2/posts/12&rest_route=/wp/v2/comments", "application/json", gutenberg),
				req("POST", "/?rest_route=/wp/v2/posts/12/x", "application/json", gutenberg),
			}},
		{"911100 PUT", req("PUT", "/wp-json/wp/v2/posts/12", "application/json", `{"title":"x"}`), record.MechMethodRule,
			Context{CRS: 4}, []waf.Request{
				req("PUT", "/wp-json/wp/v2/comments/3", "application/json", `{"content":"x"}`),
				req("DELETE", "/wp-json/wp/v2/posts/12", "", ""),
			}},
		{"920420 jpeg", req("POST", "/wp-json/wp/v2/media", "image/jpeg", "\xff\xd8\xff\xe0JFIF"), record.MechWAFRule,
			Context{CRS: 4, ContentType: "image/jpeg"}, []waf.Request{
				req("POST", "/wp-json/wp/v2/posts", "image/jpeg", "\xff\xd8\xff\xe0JFIF"),
				req("POST", "/wp-json/wp/v2/media", "text/x-php", "<?php ?>"),
			}},
	}
	for _, p := range proofs {
		t.Run(p.name, func(t *testing.T) {
			res, err := base.Replay(context.Background(), p.fails)
			if err != nil || !res.Blocked {
				t.Fatalf("precondition: the request is not refused by plain CRS (err %v)", err)
			}
			f := record.Finding{Layer: record.LayerWAF, Mechanism: p.mech, Rules: res.Rules,
				Request: record.Request{Method: p.fails.Method, Route: routeOf(p.fails.URL)}}
			rs := For(&f, p.ctx)
			if len(rs) == 0 || rs[0].Snippet == "" {
				t.Fatalf("no exclusion generated: %+v", rs)
			}
			e := withExclusion(t, rs[0])
			if blocked(t, e, p.fails) {
				t.Errorf("still refused with the exclusion:\n%s", rs[0].Snippet)
			}
			for _, r := range p.stillNo {
				if !blocked(t, e, r) {
					t.Errorf("%s %s passes with the exclusion: it is broader than the refused request", r.Method, r.URL)
				}
			}
		})
	}
}
