package signature

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wp403/wp403/internal/record"
)

func TestNormText(t *testing.T) {
	cases := map[string]string{
		"Sorry, you have been blocked":          "Sorry, you have been blocked",
		"We&#8217;re sorry":                     "We're sorry",
		"We&rsquo;re &ldquo;sorry&rdquo;":       `We're "sorry"`,
		"We\u2019re \u201csorry\u201d":          `We're "sorry"`,
		"site&nbsp;owner site\u00a0owner":       "site owner site owner",
		"Just a moment\u2026 &hellip;":          "Just a moment... ...",
		"a&#x20;b&#32;c&#46;d&amp;e":            "a b c.d&e",
		"&lt;title&gt; &#60;b&#62;":             "&lt;title&gt; &#60;b&#62;", // markup stays escaped
		"&unknown; &#xZZ; &#; & alone &#99999;": "&unknown; &#xZZ; &#; & alone &#99999;",
		"caf\u00e9":                             "caf\u00e9",
	}
	for in, want := range cases {
		if got := normText(in); got != want {
			t.Errorf("normText(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNormText: normalisation never grows the text, never makes a tag
// out of escaped markup, keeps valid UTF-8 valid, and is stable.
func FuzzNormText(f *testing.F) {
	for _, s := range []string{"We&#8217;re", "&lt;b&gt;", "\u2026&hellip;", "&#x3c;", "&amp;#60;", "\xff&nbsp;\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := normText(s)
		if len(out) > len(s) {
			t.Fatalf("grew: %q -> %q", s, out)
		}
		if strings.Count(out, "<") != strings.Count(s, "<") || strings.Count(out, ">") != strings.Count(s, ">") {
			t.Fatalf("made markup: %q -> %q", s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("broke UTF-8: %q -> %q", s, out)
		}
		if firstSpecial(s) < 0 && out != s {
			t.Fatalf("changed plain ASCII: %q -> %q", s, out)
		}
	})
}

func TestPluginSlug(t *testing.T) {
	cases := map[string]string{
		`<link href="/wp-content/plugins/acme-guard/a.css"><script src="https://x/wp-content/plugins/acme-guard/b.js">`: "acme-guard",
		`<link href="/wp-content/plugins/one/a.css"><link href="/wp-content/plugins/two/b.css">`:                        "",
		`<p>no assets</p>`:                                                               "",
		`/wp-content/plugins/../etc/passwd`:                                              "",
		`/wp-content/plugins/a"onload=x/`:                                                "",
		`/wp-content/plugins/` + strings.Repeat("a", 65) + `/`:                           "",
		`/wp-content/plugins/ok_1.2/ and /wp-content/plugins/` + strings.Repeat("b", 70): "ok_1.2",
	}
	for body, want := range cases {
		if got := pluginSlug(body); got != want {
			t.Errorf("pluginSlug(%.60q) = %q, want %q", body, got, want)
		}
	}
}

// FuzzPluginSlug: a slug is only ever a valid directory name the body
// names as /wp-content/plugins/<slug>/.
func FuzzPluginSlug(f *testing.F) {
	f.Add(`<link href="/wp-content/plugins/acme/a.css">`)
	f.Add(`/wp-content/plugins//wp-content/plugins/x/`)
	f.Fuzz(func(t *testing.T, body string) {
		s := pluginSlug(body)
		if s == "" {
			return
		}
		if len(s) > maxSlug || !validSlug(s) || !strings.Contains(body, "/wp-content/plugins/"+s+"/") {
			t.Fatalf("slug %q from %q", s, body)
		}
	})
}

// TestThemeGuard: what marks a theme page, and what does not.
func TestThemeGuard(t *testing.T) {
	html := "text/html; charset=UTF-8"
	cases := []struct {
		name string
		resp *record.HTTPResponse
		want bool
	}{
		{"theme stylesheet", resp(404, `<link rel="stylesheet" href="/wp-content/themes/astra/style.css">`, "Content-Type", html), true},
		{"api.w.org link tag", resp(404, `<head><link rel="https://api.w.org/" href="/wp-json/"></head>`, "Content-Type", html), true},
		{"body_class", resp(404, `<html><body class="error404 wp-embed-responsive">x</body></html>`, "Content-Type", html), true},
		{"api.w.org Link header on HTML", resp(403, `<html><body>x</body></html>`, "Content-Type", html, "Link", `<https://b.example/wp-json/>; rel="https://api.w.org/"`), true},
		{"wp_die page", resp(403, `<html><body id="error-page"><link href="/wp-content/themes/x/s.css"></body></html>`, "Content-Type", html), false},
		{"JSON", resp(200, `{"content":"/wp-content/themes/x/"}`, "Content-Type", "application/json"), false},
		{"plugin block page", resp(403, `<html><body class="blocked"><link href="/wp-content/plugins/wordfence/css/x.css"></body></html>`, "Content-Type", html), false},
		{"body class word in text", resp(403, `<html><body><p>class="error404"</p></body></html>`, "Content-Type", html), false},
	}
	for _, tc := range cases {
		v := newView(tc.resp, nil)
		if got := v.themePage(); got != tc.want {
			t.Errorf("%s: themePage = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzClassify: any status, header and body classify without panic into a
// documented page shape, with a well-formed plugin slug.
func FuzzClassify(f *testing.F) {
	f.Add(403, "text/html; charset=UTF-8", `<html><body class="error404"><p>Sorry, you have been blocked</p></body></html>`)
	f.Add(200, "text/html", `<link rel="https://api.w.org/"><p>Your access to this site has been limited by the site owner</p>`)
	f.Add(403, "text/html", `<link href="/wp-content/plugins/acme/x.css">We&#8217;re sorry, you are not allowed to proceed`)
	f.Add(403, "text/html; charset=UTF-8", "")
	f.Fuzz(func(t *testing.T, status int, ct, body string) {
		db := mustDB(t)
		c := db.Classify(nil, resp(status, body, "Content-Type", ct, "CF-RAY", "8f1c2a3b4d5e6f70-FRA"))
		if c == nil || PageShapes[c.Page] == "" {
			t.Fatalf("class %+v", c)
		}
		if c.Plugin != "" && (!validSlug(c.Plugin) || len(c.Plugin) > maxSlug) {
			t.Fatalf("plugin %q", c.Plugin)
		}
		if c.ThemePage && c.Top() != nil && c.Top().Kind == record.KindRefusal && c.Top().Layer != record.LayerWordPress {
			t.Fatalf("a vendor refusal %s fired inside a theme page", c.Top().ID)
		}
	})
}
