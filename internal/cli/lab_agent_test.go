package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// agentExpect is the finding diagnose --agent-key-file must give for a
// scenario's first failing request: its rule and words of its summary.
var agentExpect = map[string]struct {
	rule  string
	words []string
}{
	"plugin-rest-filter":           {"agent-callback", []string{"mu-plugin `wp403-lab-scenario`", "wp-content/mu-plugins/wp403-lab-scenario.php", "`wp403_lab_rest_guard` on `rest_authentication_errors` returned `rest_cannot_access`"}},
	"plugin-wp-die":                {"agent-callback", []string{"`wp403_lab_check_rest_request` called wp_die() during `rest_api_init`", "wp403-lab-scenario.php"}},
	"plugin-block-page":            {"agent-callback", []string{"wp-content/mu-plugins/wp403-lab-scenario.php"}},
	"plugin-endpoint-removed":      {"agent-callback", []string{"`Closure` on `rest_endpoints` removed the route", "wp403-lab-scenario.php"}},
	"wp-capability":                {"permission", []string{"core `WordPress`", "permissions_check` on `permission_callback`"}},
	"client-stale-nonce":           {"", []string{"`rest_cookie_check_errors` on `rest_authentication_errors` returned `rest_cookie_invalid_nonce`"}},
	"client-wrong-app-password":    {"agent-app-password-rejected", []string{"incorrect_password"}},
	"php-strip-authorization":      {"agent-authorization-lost", []string{"never reached PHP"}},
	"apache-no-authorization":      {"agent-authorization-lost", []string{"never reached PHP"}},
	"wp-app-passwords-unavailable": {"agent-app-passwords-off", []string{"filtered", "`__return_false` on `wp_is_application_passwords_available`"}},
}

// TestLabAgentDiagnose runs diagnose --agent-key-file (without --write or
// a login password) on the WordPress-side, plugin and Authorization
// scenarios: the verdict names the callback and its file, or settles
// whether PHP saw the Authorization header.
func TestLabAgentDiagnose(t *testing.T) {
	lab := labtest.Acquire(t)
	keyFile := lab.AgentKeyPath()
	if _, err := os.Stat(keyFile); err != nil {
		t.Fatalf("the lab has no agent key (run lab/up): %v", err)
	}
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	for name, want := range agentExpect {
		t.Run(name, func(t *testing.T) {
			sc, err := labkit.LoadScenario(lab.Dir(), name)
			if err != nil {
				t.Fatal(err)
			}
			if err := lab.Switch(context.Background(), name); err != nil {
				t.Fatalf("switch: %v", err)
			}
			args := withoutWriteOrLogin(labArgs(t, lab, sc, false), sc.Failing[0])
			rep := runAgentArgs(t, append(args, "--agent-key-file", keyFile))
			f := findingFor(rep, sc.Failing[0])
			if f == nil {
				t.Fatal("no finding for the failing request")
			}
			if want.rule != "" && f.Rule != want.rule {
				t.Errorf("rule %s, want %s: %s", f.Rule, want.rule, f.Summary)
			}
			for _, w := range want.words {
				if !strings.Contains(f.Summary, w) {
					t.Errorf("summary lacks %q: %s", w, f.Summary)
				}
			}
			if traced(rep) == 0 {
				t.Error("no observation carries an agent trace")
			}
		})
	}
}

// withoutWriteOrLogin drops --write and, for application-password
// requests, the login password: the agent alone must settle the case.
func withoutWriteOrLogin(args []string, r labkit.TruthRequest) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--write":
		case args[i] == "--password-file" && r.Auth == "app-password" && i+1 < len(args):
			i++
		default:
			out = append(out, args[i])
		}
	}
	return out
}

func runAgentArgs(t *testing.T, args []string) *record.Report {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, args)
	if code != ExitOK && code != ExitRefusal {
		t.Fatalf("wp403 %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	var rep record.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range rep.Findings {
				t.Logf("finding %s %s %s/%s %s [%s]: %s", f.ID, f.Severity, f.Layer, f.Mechanism, f.Request, f.Rule, f.Summary)
			}
		}
	})
	return &rep
}

func findingFor(rep *record.Report, r labkit.TruthRequest) *record.Finding {
	path, _, _ := strings.Cut(r.Route, "?")
	for i, f := range rep.Findings {
		if f.Severity == record.SevBlock && f.Request.Method == r.Method && f.Request.Route == path {
			return &rep.Findings[i]
		}
	}
	return nil
}

func traced(rep *record.Report) int {
	n := 0
	for _, o := range rep.Observations {
		if o.Agent != nil {
			n++
		}
	}
	return n
}

// TestLabAgentStatus: one signed request says the agent is installed and
// the key matches; another key gets no answer (exit 1).
func TestLabAgentStatus(t *testing.T) {
	lab := labtest.Acquire(t)
	base := []string{"agent", "status", "https://" + lab.Host + "/", "--resolve", lab.Host + ":443:" + lab.Edge, "--cacert", lab.CA}
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, append(base, "--agent-key-file", lab.AgentKeyPath()))
	if code != ExitOK || !strings.Contains(out.String(), "installed, the key matches") {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	env := Env{Vars: map[string]string{"WP403_AGENT_KEY": "another-key-another-key-another-key-0123"}}
	if code := Run(context.Background(), env, strings.NewReader(""), &out, &errb, base); code != ExitError || !strings.Contains(errb.String(), "no agent answered") {
		t.Fatalf("another key: exit %d: %s", code, errb.String())
	}
}

// TestLabAgentRemedy: the one-route filter the remedy writes for the
// callback the agent named lets that route through and keeps the
// restriction on every other route (installed as a mu-plugin, then removed).
func TestLabAgentRemedy(t *testing.T) {
	lab := labtest.Acquire(t)
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	if err := lab.Switch(context.Background(), "plugin-rest-filter"); err != nil {
		t.Fatal(err)
	}
	sc, err := labkit.LoadScenario(lab.Dir(), "plugin-rest-filter")
	if err != nil {
		t.Fatal(err)
	}
	rep := runAgentArgs(t, append(labArgs(t, lab, sc, false), "--agent-key-file", lab.AgentKeyPath()))
	f := findingFor(rep, sc.Failing[0])
	if f == nil || f.Rule != "agent-callback" || len(f.Remedies) < 2 || !strings.HasPrefix(f.Remedies[len(f.Remedies)-1].Snippet, "<?php") {
		t.Fatalf("no filter remedy: %+v", f)
	}
	path := "/var/lib/wordpress/wp-content/mu-plugins/wp403-test-allow-route.php"
	if err := os.WriteFile(path, []byte(f.Remedies[len(f.Remedies)-1].Snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	for route, want := range map[string]int{"/wp/v2/posts": 200, "/wp/v2/pages": 401} {
		resp, err := lab.Do(context.Background(), "origin", labkit.TruthRequest{Method: "GET", Route: route, Auth: "public"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Errorf("with the remedy, GET %s: %d, want %d", route, resp.StatusCode, want)
		}
	}
}
