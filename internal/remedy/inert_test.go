package remedy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// hostileInput is one set of server- or file-derived values.
type hostileInput struct {
	code, route, prefix, url, header, agent, ctype, plugin, location, target, vendor string
}

var (
	allLayers   = []record.Layer{record.LayerEdge, record.LayerWAF, record.LayerServer, record.LayerPHP, record.LayerPlugin, record.LayerWordPress}
	allFlavours = []string{"", "cloudflare", "haproxy", "varnish", "nginx", "apache"}
)

// everyRemedy runs every mechanism, layer and edge/server flavour.
func everyRemedy(in hostileInput) []record.Remedy { return someRemedies(in, allLayers, allFlavours) }

// someRemedies runs every mechanism for the given layers and flavours.
func someRemedies(in hostileInput, layers []record.Layer, flavours []string) []record.Remedy {
	var out []record.Remedy
	for mech := range generators {
		for _, layer := range layers {
			for _, flavour := range flavours {
				f := record.Finding{Layer: layer, Mechanism: mech, Vendor: in.vendor,
					Request: record.Request{Method: "POST", Route: in.route, Auth: record.AuthAppPassword},
					Rules:   []record.RuleHit{{ID: 942100, Target: in.target}, {ID: 920420}, {ID: 911100}}}
				c := Context{Code: in.code, RESTPrefix: in.prefix, URL: in.url, Home: in.url, SiteURL: in.url, Header: in.header,
					UserAgent: in.agent, ContentType: in.ctype, Plugin: in.plugin, Location: in.location}
				if layer == record.LayerEdge {
					c.Edge = flavour
				} else {
					c.Server = flavour
				}
				out = append(out, For(&f, c)...)
			}
		}
	}
	return out
}

// dangerous is what makes a value worth looking for in the output.
const dangerous = "$`'\"\\;|&<>(){}\n\r\x1b\x07#%"

// checkInert asserts that no hostile value reached a remedy and that
// every shell line is inert: outside single quotes only plain characters.
// A value that passed its validator may appear in the text (a product
// name "LiteSpeed (Apache syntax)"), never in a snippet.
func checkInert(t *testing.T, in hostileInput, rs []record.Remedy) {
	t.Helper()
	vals := []struct {
		v     string
		valid bool
	}{{in.code, quote.ErrorCode(in.code) == nil}, {in.route, false}, {in.prefix, false}, {in.url, false},
		{in.header, false}, {in.agent, quote.HeaderValue(in.agent) == nil}, {in.ctype, false},
		{in.plugin, quote.ProductName(in.plugin) == nil}, {in.location, false}, {in.target, false},
		{in.vendor, quote.ProductName(in.vendor) == nil}}
	for _, r := range rs {
		for i, text := range []string{r.Snippet, r.Title, r.Scope, r.Where, r.Caveat, r.Product} {
			for _, x := range vals {
				v := x.v
				if i > 0 && (x.valid || !strings.ContainsAny(v, "\x1b\x07\r\n`$")) {
					continue // text outside a snippet: the renderers escape it; a validated value may be named there
				}
				if len(strings.TrimSpace(v)) >= 6 && strings.ContainsAny(v, dangerous) && strings.Contains(text, v) {
					t.Fatalf("hostile value %q reached remedy %q:\n%s", v, r.Title, text)
				}
			}
		}
		for _, ch := range r.Snippet {
			if (ch < 0x20 && ch != '\n') || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) {
				t.Fatalf("control character %U in snippet of %q", ch, r.Title)
			}
		}
		for _, line := range strings.Split(r.Snippet, "\n") {
			if isShellLine(line) && !shellInert(line) {
				t.Fatalf("shell line is not inert: %s", line)
			}
		}
	}
}

func isShellLine(l string) bool {
	for _, p := range []string{"grep ", "wp ", "curl "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// shellInert: outside single quotes, only characters no shell interprets.
func shellInert(l string) bool {
	in := false
	for _, ch := range l {
		switch {
		case ch == '\'':
			in = !in
		case in:
		case !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _@%+=:,./-", ch):
			return false
		}
	}
	return !in
}

var hostileSeeds = []hostileInput{
	{code: "my_plugin_block$(touch${IFS}pwned)", route: "/wp/v2/posts/1", prefix: "/wp-json", url: "https://example.com", header: "Authorization",
		agent: "curl/8", ctype: "application/json", plugin: "Wordfence", location: "https://example.com/x", target: "ARGS:json.content", vendor: "nginx"},
	{code: "`id`", route: "/wp/v2/posts%1B]52;c;QUFB%07", prefix: "/wp-json\";evil", url: "https://ex$(id).com", header: "X-$(id)",
		agent: "a\x1b]52;c;QUFB\x07", ctype: "application/json'; x", plugin: "[x](https://evil)", location: "https://evil.com\r\nX: y",
		target: "ARGS:a';ctl:ruleEngine=Off", vendor: "cloudflare\"}"},
	{code: "rest_x", route: "/wp/v2/posts", prefix: "/wp-json", url: "https://example.com", header: "Authorization",
		agent: "curl/8", ctype: "application/json", plugin: "x", location: "/wp-login.php?x=$(touch${IFS}y)", target: "ARGS:a", vendor: "x"},
	{code: "a'b", route: "/wp/v2/posts/$(touch x)", prefix: "@evil.example", url: "javascript:alert(1)", header: "A'B",
		agent: "' ; rm -rf / ; '", ctype: "text/x;%{REQUEST_URI}", plugin: "wp\nrocket", location: "//evil.com/%0a", target: "ARGS:%{tx.x}", vendor: "hap`roxy`"},
}

func TestRemediesInertWithHostileValues(t *testing.T) {
	for _, in := range hostileSeeds {
		checkInert(t, in, everyRemedy(in))
	}
}

// TestPastedGrepDoesNotRun is the reported hole: the printed grep command,
// pasted into a shell, must not run what the error code holds.
func TestPastedGrepDoesNotRun(t *testing.T) {
	dir := t.TempDir()
	for _, code := range []string{"my_plugin_block$(touch${IFS}pwned)", "x`touch pwned`", "x';touch pwned;'", "rest_blocked"} {
		f := record.Finding{Layer: record.LayerPlugin, Mechanism: record.MechRESTDisabled, Request: record.Request{Route: "/wp/v2/posts"}}
		rs := For(&f, Context{Code: code})
		if len(rs) == 0 || rs[0].Snippet == "" {
			t.Fatalf("code %q: no grep snippet", code)
		}
		cmd := exec.Command("sh", "-c", rs[0].Snippet)
		cmd.Dir = dir
		_ = cmd.Run() // grep finds nothing; only its side effects matter
		if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
			t.Fatalf("code %q: the pasted snippet ran a command:\n%s", code, rs[0].Snippet)
		}
		if code != "rest_blocked" && (strings.Contains(rs[0].Snippet, code) || !strings.Contains(rs[0].Caveat, "error code")) {
			t.Errorf("code %q: kept in the snippet, or the remedy does not say why it was left out:\n%+v", code, rs[0])
		}
	}
}

func FuzzRemediesInert(f *testing.F) {
	for _, s := range hostileSeeds {
		for sel := 0; sel < 48; sel += 9 {
			f.Add(s.code, s.route, s.prefix, s.url, s.header, s.agent, s.ctype, s.plugin, s.location, s.target, s.vendor, uint8(sel))
		}
	}
	f.Fuzz(func(t *testing.T, code, route, prefix, url, header, agent, ctype, plugin, location, target, vendor string, sel uint8) {
		in := hostileInput{code, route, prefix, url, header, agent, ctype, plugin, location, target, vendor}
		layers := []record.Layer{allLayers[int(sel)%len(allLayers)]}
		flavours := []string{allFlavours[int(sel/8)%len(allFlavours)]}
		checkInert(t, in, someRemedies(in, layers, flavours))
	})
}

// TestTemplateRouteKeepsItsSnippets: Site Editor routes hold "//" and are
// REST routes: validation must not refuse their remedies.
func TestTemplateRouteKeepsItsSnippets(t *testing.T) {
	f := record.Finding{Layer: record.LayerServer, Mechanism: record.MechAccessRule,
		Request: record.Request{Method: "POST", Route: "/wp/v2/templates/twentytwentyfour//home"}}
	rs := For(&f, Context{Server: "nginx"})
	if len(rs) == 0 || !rs[0].Narrow || !strings.Contains(rs[0].Snippet, "twentytwentyfour//home") {
		t.Fatalf("template route refused or lost: %+v", rs)
	}
}
