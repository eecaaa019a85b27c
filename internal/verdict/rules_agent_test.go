package verdict

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func acmeGuard() record.AgentTrace {
	return record.AgentTrace{Refusal: &record.AgentCallback{Hook: "rest_authentication_errors", Callable: `Acme\Guard::restrict_rest`,
		File: "wp-content/plugins/acme-guard/guard.php", Code: "rest_not_logged_in", Status: 401,
		Component: record.AgentComponent{Type: "plugin", Slug: "acme-guard", Name: "Acme Guard", Version: "2.3"}}}
}

// TestAgentCallbackNamesIt: the finding names the plugin, version, file,
// callable, hook and code, and the plugin is the vendor.
func TestAgentCallbackNamesIt(t *testing.T) {
	fs := Analyze(in(ob(asked, edge, 401, wp("rest_not_logged_in"), agentSaw(acmeGuard())))).Findings
	if len(fs) == 0 || fs[0].Rule != "agent-callback" {
		t.Fatalf("rules %v", ruleIDs(fs))
	}
	want := "plugin `acme-guard` 2.3 (wp-content/plugins/acme-guard/guard.php), `Acme\\Guard::restrict_rest` on `rest_authentication_errors` returned `rest_not_logged_in`"
	if f := fs[0]; !strings.HasPrefix(f.Summary, want) || f.Layer != record.LayerPlugin || f.Vendor != "Acme Guard" || f.Mechanism != record.MechRESTDisabled {
		t.Fatalf("finding %+v", f)
	}
}

// TestAgentNeverOverridesOutside: a trace whose status differs from the
// answer received, or on an answer an edge signature claims, is ignored.
func TestAgentNeverOverridesOutside(t *testing.T) {
	stale := func(o *record.Observation) { tr := acmeGuard(); tr.Status = 200; o.Agent = &tr }
	cases := map[string]Input{
		"status differs": in(ob(asked, edge, 401, wp("rest_not_logged_in"), stale)),
		"edge wrote it":  in(ob(asked, edge, 403, sig(record.KindRefusal, record.LayerEdge, "Cloudflare", record.MechBlockPage), agentSaw(acmeGuard()))),
	}
	for name, input := range cases {
		for _, f := range Analyze(input).Findings {
			if strings.HasPrefix(f.Rule, "agent-") || strings.Contains(f.Summary, "acme-guard") {
				t.Errorf("%s: the trace decided: %s %s", name, f.Rule, f.Summary)
			}
		}
	}
}

// TestAgentDetailOnCoreRefusal: a core refusal keeps its rule and gains
// the agent's name for the callback.
func TestAgentDetailOnCoreRefusal(t *testing.T) {
	tr := record.AgentTrace{Refusal: &record.AgentCallback{Hook: "permission_callback", Callable: "WP_REST_Posts_Controller->create_item_permissions_check",
		File: "wp-includes/rest-api/endpoints/class-wp-rest-posts-controller.php", Code: "rest_cannot_create", Status: 403, Component: record.AgentComponent{Type: "core", Name: "WordPress"}}}
	fs := Analyze(in(ob(asked, edge, 403, auth(record.AuthAppPassword), wp("rest_cannot_create"), agentSaw(tr)))).Findings
	if len(fs) == 0 || fs[0].Rule != "permission" || !strings.Contains(fs[0].Summary, "create_item_permissions_check") {
		t.Fatalf("findings %+v", fs)
	}
}

// TestDescribeCallbackAttribution: a core helper registered by a plugin is
// named as that plugin's, and a request stopped while plugins loaded says so.
func TestDescribeCallbackAttribution(t *testing.T) {
	helper := &record.AgentCallback{Hook: "wp_is_application_passwords_available", Callable: "__return_false", File: "wp-includes/functions.php",
		AddedBy: "wp-content/plugins/acme/acme.php", Component: record.AgentComponent{Type: "plugin", Slug: "acme", Version: "1.2"}}
	if got, want := describeCallback(helper), "plugin `acme` 1.2 (wp-content/plugins/acme/acme.php), core helper `__return_false` on `wp_is_application_passwords_available`"; got != want {
		t.Errorf("helper: %q, want %q", got, want)
	}
	load := &record.AgentCallback{Hook: "load", During: "plugin load", File: "wp-content/plugins/fw/fw.php", Component: record.AgentComponent{Type: "plugin", Slug: "fw"}}
	if got := describeCallback(load) + " " + verb(load); got != "the request stopped during the load of plugin `fw` (wp-content/plugins/fw/fw.php) and answered" {
		t.Errorf("load: %q", got)
	}
}
