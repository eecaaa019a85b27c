package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestAgentFix: a callback the agent named gets the plugin's setting first
// and a one-route filter whose values from the (hostile) trace are quoted.
func TestAgentFix(t *testing.T) {
	f := &record.Finding{Layer: record.LayerPlugin, Mechanism: record.MechRESTDisabled, Vendor: "Acme Guard",
		Request: record.Request{Method: "GET", Route: "/wp/v2/posts"}}
	cb := &record.AgentCallback{Hook: "rest_authentication_errors", Priority: 10, Callable: `Evil?>\'x`, Code: `rest_x'); system('id`,
		File: "wp-content/plugins/acme-guard/guard.php", Line: 12, Component: record.AgentComponent{Type: "plugin", Slug: "acme-guard"}}
	rs := For(f, Context{Callback: cb})
	if len(rs) < 2 || !strings.Contains(rs[0].Where, "guard.php line 12") || !strings.Contains(rs[0].Title, "Acme Guard") {
		t.Fatalf("remedies %+v", rs)
	}
	s := rs[len(rs)-1].Snippet
	if !strings.Contains(s, `=== 'rest_x\'); system(\'id'`) || strings.Contains(s, "?>") || !strings.Contains(s, "=== '/wp/v2/posts'") || !strings.Contains(s, "}, 11);") {
		t.Fatalf("snippet not quoted or scoped:\n%s", s)
	}
}
