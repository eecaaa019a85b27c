package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// FuzzModsecScopeInert: whatever request-target, admin-ajax action and
// matched target a request carries, the WAF exclusion never quotes a
// hostile value, holds no control character, and every SecRule line keeps
// its double quotes balanced (nothing from the request ends an argument).
func FuzzModsecScopeInert(f *testing.F) {
	for _, s := range [][3]string{
		{"/wp-login.php", "", "ARGS:pwd"},
		{"/blog/wp-admin/admin-ajax.php?action=x", "elementor_ajax", "ARGS:actions"},
		{"/wp-json/wp/v2/template-parts/t//header#frag", "", "ARGS:json.content"},
		{"/wp-admin/x\"%{tx.0}.php", "a\"b", "ARGS:a\",b"},
		{"http://h/blog/?rest_route=/wp/v2/posts/1%0a", "", "REQUEST_HEADERS:x"},
		{"/index.php/wp-json/a%22b", "x%{y}", "ARGS_NAMES:\\"},
	} {
		f.Add(s[0], s[1], s[2], true)
	}
	f.Fuzz(func(t *testing.T, target, action, hit string, inBody bool) {
		fd := record.Finding{Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Request: record.Request{Method: "POST"},
			Rules: []record.RuleHit{{ID: 941180, Target: hit}, {ID: 911100}}}
		rs := For(&fd, Context{WAF: "modsecurity-v3", CRS: 4, Target: target, Action: action, ActionInBody: inBody})
		checkInert(t, hostileInput{route: target, target: hit, code: action}, rs)
		for _, r := range rs {
			for _, line := range strings.Split(r.Snippet, "\n") {
				if strings.Contains(line, "SecRule ") || strings.Contains(line, "\"id:") || strings.Contains(line, "\"t:none") {
					if n := strings.Count(line, `"`) - strings.Count(line, `\"`); n%2 != 0 && !strings.HasSuffix(strings.TrimSpace(line), `\`) {
						t.Fatalf("unbalanced quotes in %q (target %q action %q hit %q)", line, target, action, hit)
					}
				}
			}
		}
	})
}
