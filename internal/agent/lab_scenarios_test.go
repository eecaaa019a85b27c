package agent

import (
	"slices"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/record"
)

// The lab's scenario mu-plugin, as the agent must name it.
const scenarioFile = "wp-content/mu-plugins/wp403-lab-scenario.php"

// agentCase is what the agent must say about a scenario's failing requests.
type agentCase struct {
	scenario string
	vantages []string // where each failing request is sent
	check    func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string)
}

// refusedBy checks the refusal's hook, callable and file, and that the
// component is the scenario's plugin (named by its header) or core.
func refusedBy(hooks []string, callable, file, component string) func(*testing.T, labkit.Scenario, labkit.TruthRequest, *record.AgentTrace, string) {
	return func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		t.Helper()
		f := tr.Refusal
		if f == nil {
			t.Fatalf("%s: no refusal in the trace: %s", r, raw)
		}
		if !slices.Contains(hooks, f.Hook) || (callable != "" && f.Callable != callable) || f.File != file || f.Component.Type != component {
			t.Errorf("%s: refusal %s %s %s (%s), want %v %s %s (%s)", r, f.Hook, f.Callable, f.File, f.Component.Type, hooks, callable, file, component)
		}
		if component != "core" && !strings.Contains(f.Component.Name, sc.Vendor) {
			t.Errorf("%s: component named %q, want the plugin header of %q", r, f.Component.Name, sc.Vendor)
		}
		if code := strings.TrimSpace(r.OriginCode); code != "" && f.Code != code {
			t.Errorf("%s: refusal code %q, want %q", r, f.Code, code)
		}
	}
}

// headerLost: Basic credentials were sent but never reached PHP.
func headerLost(t *testing.T, _ labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
	t.Helper()
	if len(tr.Auth.PHPSaw) != 0 || tr.Auth.AppPassword.Result != "no-credentials" {
		t.Errorf("%s: PHP saw %v, app password %q; want nothing (header lost): %s", r, tr.Auth.PHPSaw, tr.Auth.AppPassword.Result, raw)
	}
	if !slices.Contains(tr.Auth.Stripped, "authorization") {
		t.Errorf("%s: the signed Authorization did not reach PHP, but the trace does not say it was stripped: %s", r, raw)
	}
}

var agentCases = []agentCase{
	{"plugin-rest-filter", []string{"nginx", "apache", "edge"},
		refusedBy([]string{"rest_authentication_errors"}, "wp403_lab_rest_guard", scenarioFile, "mu-plugin")},
	{"plugin-wp-die", []string{"nginx", "apache", "edge"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		refusedBy([]string{"wp_die_handler"}, "wp403_lab_check_rest_request", scenarioFile, "mu-plugin")(t, sc, r, tr, raw)
		if tr.Refusal != nil && tr.Refusal.During != "rest_api_init" {
			t.Errorf("%s: wp_die during %q, want rest_api_init", r, tr.Refusal.During)
		}
	}},
	{"plugin-block-page", []string{"nginx", "apache", "edge"},
		refusedBy([]string{"load", "output"}, "", scenarioFile, "mu-plugin")},
	{"plugin-endpoint-removed", []string{"nginx", "apache", "edge"},
		refusedBy([]string{"rest_endpoints"}, "Closure", scenarioFile, "mu-plugin")},
	{"wp-capability", []string{"nginx", "apache"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		f := tr.Refusal
		if f == nil || f.Component.Type != "core" || (f.Hook != "permission_callback" && f.Hook != "callback") || !strings.Contains(f.Callable, "WP_REST_") {
			t.Errorf("%s: want a core permission check, got %s", r, raw)
		}
		if !slices.Contains(tr.Auth.Roles, "author") || tr.Auth.AppPassword.Result != "ok" {
			t.Errorf("%s: want the author authenticated by application password: %s", r, raw)
		}
	}},
	{"wp-app-passwords-unavailable", []string{"nginx", "apache"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		a := tr.Auth
		if a.AppPasswordsAvailable == nil || *a.AppPasswordsAvailable || !slices.Contains(a.AppPasswordsWhyNot, "filtered") ||
			a.AppPasswordsDisabledBy == nil || a.AppPasswordsDisabledBy.Callable != "__return_false" {
			t.Errorf("%s: want application passwords filtered off by __return_false: %s", r, raw)
		}
	}},
	{"wp-app-passwords-http", []string{"nginx", "apache"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		if tr.Auth.SSL || !slices.Contains(tr.Auth.AppPasswordsWhyNot, "not-https-and-not-local") || tr.Auth.AppPassword.Result != "not-tried" {
			t.Errorf("%s: want not-https and Basic credentials not tried: %s", r, raw)
		}
	}},
	{"client-stale-nonce", []string{"nginx", "apache", "edge"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		refusedBy([]string{"rest_authentication_errors"}, "rest_cookie_check_errors", "wp-includes/rest-api.php", "core")(t, sc, r, tr, raw)
		if tr.Auth.Nonce == nil || *tr.Auth.Nonce != 0 || tr.Auth.Cookie != "valid" {
			t.Errorf("%s: want a valid cookie and nonce result 0: %s", r, raw)
		}
	}},
	{"client-cookie-no-nonce", []string{"nginx", "apache", "edge"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		if tr.Auth.Cookie != "valid" || tr.Auth.NonceSent || tr.Auth.Nonce != nil || tr.Auth.UserID != 0 {
			t.Errorf("%s: want a valid cookie, no nonce, and WordPress resetting the user to 0: %s", r, raw)
		}
	}},
	{"client-wrong-app-password", []string{"nginx", "apache", "edge"}, func(t *testing.T, sc labkit.Scenario, r labkit.TruthRequest, tr *record.AgentTrace, raw string) {
		if !slices.Contains(tr.Auth.PHPSaw, "HTTP_AUTHORIZATION") || tr.Auth.AppPassword.Result != "failed" || tr.Auth.AppPassword.Code != "incorrect_password" {
			t.Errorf("%s: want the header seen by PHP and incorrect_password: %s", r, raw)
		}
	}},
	{"php-strip-authorization", []string{"nginx", "edge"}, headerLost},
	{"apache-no-authorization", []string{"apache", "edge"}, headerLost},
	{"edge-strip-authorization", []string{"edge"}, headerLost},
}

// labScenarios: for every WordPress-side, plugin and
// authentication scenario, the agent's trace of each failing request names
// the callback that refused and where it lives, or what PHP saw of
// authentication, behind nginx and Apache.
func labScenarios(t *testing.T, la *labAgent) {
	for _, c := range agentCases {
		t.Run(c.scenario, func(t *testing.T) {
			sc, err := labkit.LoadScenario(la.lab.Dir(), c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			la.switchTo(t, c.scenario)
			for _, r := range sc.Failing {
				for _, v := range c.vantages {
					tr, raw, resp := la.trace(t, v, r)
					if want := r.Origin; v != "edge" && want != 0 && resp.StatusCode != want {
						t.Errorf("%s at %s: status %d, want %d", r, v, resp.StatusCode, want)
					}
					c.check(t, sc, r, tr, raw)
				}
			}
		})
	}
}
