package agent

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
)

// journalOn turns the journal on until the test ends, with a mu-plugin
// that loads before the agent and defines what a site owner puts in
// wp-config.php.
func journalOn(t *testing.T) {
	t.Helper()
	p := filepath.Join(labMuDir, "0-0-wp403-test-journal-on.php")
	must(t, os.WriteFile(p, []byte("<?php\ndefine('WP403_AGENT_JOURNAL', 50);\n"), 0o644))
	t.Cleanup(func() { os.Remove(p) })
}

// testGuard is a mu-plugin mimic of a security plugin that refuses the
// comments route to anonymous clients with its own code.
const testGuard = `<?php
/**
 * Plugin Name: Lab Comment Shield (wp403 test)
 * Version: 1.4.0
 */
add_filter('rest_authentication_errors', function ($result) {
    if (!empty($result) || is_user_logged_in()) {
        return $result;
    }
    $route = isset($GLOBALS['wp']->query_vars['rest_route']) ? $GLOBALS['wp']->query_vars['rest_route'] : '';
    if (strpos($route, '/wp/v2/comments') === 0) {
        return new WP_Error('shield_rest_forbidden', 'Comments are private.', array('status' => 403));
    }
    return $result;
}, 20);
`

func installGuard(t *testing.T) {
	t.Helper()
	p := filepath.Join(labMuDir, "wp403-test-guard.php")
	must(t, os.WriteFile(p, []byte(testGuard), 0o644))
	t.Cleanup(func() { os.Remove(p) })
}

// action sends a signed action (journal, purge) and returns the answer body.
func (la *labAgent) action(t *testing.T, what string) ([]byte, string) {
	t.Helper()
	id := "action-" + la.runTag()
	r := labkit.TruthRequest{Method: "GET", Route: "/", Auth: "public", Finish: func(req *http.Request, body []byte) {
		sr := RequestOf(req, body)
		sr.Action = what
		req.Header.Set(SignHeader, Signer{Key: la.key}.Header(sr, id))
	}}
	resp := la.send(t, "nginx", r)
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body, id
}

func (la *labAgent) journal(t *testing.T) (*Journal, string) {
	t.Helper()
	body, id := la.action(t, "journal")
	j, err := ParseJournal(body, la.key, id)
	if err != nil {
		t.Fatalf("journal: %v (%.200s)", err, body)
	}
	return j, string(body)
}

func (la *labAgent) purge(t *testing.T) {
	t.Helper()
	body, id := la.action(t, "purge")
	if _, err := ParsePurge(body, la.key, id); err != nil {
		t.Fatalf("purge: %v (%.200s)", err, body)
	}
}

// refusals is real traffic (unsigned): anonymous, cookie and application
// password clients refused by core, by a mu-plugin mimic and by a
// firewall plugin that exits while plugins load.
var refusals = []labkit.TruthRequest{
	{Method: "GET", Route: "/wp/v2/users/me", Auth: "public"},                       // core 401 rest_not_logged_in
	{Method: "GET", Route: "/wp/v2/settings", Auth: "cookie+nonce", User: "editor"}, // core 403 rest_forbidden
	{Method: "GET", Route: "/wp/v2/settings", Auth: "app-password", User: "editor"}, // core 403 rest_forbidden
	{Method: "GET", Route: "/wp/v2/comments", Auth: "public"},                       // mu-plugin 403
	{Method: "GET", Route: "/wp/v2/users", Auth: "public"},                          // firewall plugin, while loading
	{Method: "GET", Route: "/wp/v2/posts", Auth: "public"},                          // a success: not recorded
	{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor"}, // a success: not recorded
}

// labJournal: with the journal on, real refused traffic is
// recorded with route template, status, code, refusing callback and its
// component, client kind and role, and nothing secret; successes are not;
// with it off nothing is stored and the journal is empty; purge (what
// uninstall does) removes it.
func labJournal(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	ctx := context.Background()
	installGuard(t)
	activate(t, "wp403-test-firewall/firewall.php")
	t.Run("off", func(t *testing.T) {
		la.purge(t)
		for _, r := range refusals {
			la.send(t, "nginx", r)
		}
		if n, err := la.lab.Options(ctx, "wp403_agent_journal"); err != nil || n != 0 {
			t.Errorf("journal off: %d journal option(s) stored (%v)", n, err)
		}
		if j, _ := la.journal(t); j.Enabled || len(j.Entries) != 0 {
			t.Errorf("journal off: enabled=%v, %d entries", j.Enabled, len(j.Entries))
		}
	})
	t.Run("on", func(t *testing.T) {
		journalOn(t)
		la.purge(t)
		u, err := la.lab.Creds("editor")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"nginx", "apache"} {
			for _, r := range refusals {
				la.send(t, v, r)
			}
		}
		j, raw := la.journal(t)
		checkJournal(t, j)
		for _, s := range []string{u.Password, u.AppPassword, strings.ReplaceAll(u.AppPassword, " ", ""), "127.0.", u.Login} {
			if strings.Contains(raw, s) {
				t.Errorf("the journal holds a secret or an address (%d bytes)", len(s))
			}
		}
		la.purge(t)
		if n, err := la.lab.Options(ctx, "wp403_agent_"); err != nil || n > 1 {
			t.Errorf("after purge: %d wp403_agent_ option(s) left (%v)", n, err)
		}
		if j, _ := la.journal(t); len(j.Entries) != 0 {
			t.Errorf("after purge: %d entries", len(j.Entries))
		}
	})
}

// checkJournal: two of each refusal (nginx and apache), none of the successes.
func checkJournal(t *testing.T, j *Journal) {
	t.Helper()
	type want struct{ route, code, auth, comp, role string }
	wants := []want{
		{"/wp/v2/users/me", "rest_not_logged_in", "none", "core", ""},
		{"/wp/v2/settings", "rest_forbidden", "cookie", "core", "editor"},
		{"/wp/v2/settings", "rest_forbidden", "application-password", "core", "editor"},
		{"/wp/v2/comments", "shield_rest_forbidden", "none", "mu-plugin", ""},
		{"/wp/v2/users", "", "none", "plugin", ""},
	}
	if !j.Enabled || len(j.Entries) != 2*len(wants) {
		t.Errorf("enabled=%v, %d entries, want %d: %+v", j.Enabled, len(j.Entries), 2*len(wants), j.Entries)
	}
	for _, w := range wants {
		n := 0
		for _, e := range j.Entries {
			if e.Route == w.route && e.Code == w.code && e.Auth == w.auth && e.By != nil && e.By.Component.Type == w.comp && e.Role == w.role {
				n++
				if w.comp == "plugin" && (e.Stopped != "plugin load" || e.By.Component.Slug != "wp403-test-firewall" || e.Status != 403) {
					t.Errorf("firewall entry: %+v %+v", e, *e.By)
				}
				if w.comp == "mu-plugin" && !strings.Contains(e.By.Component.Name, "Lab Comment Shield") {
					t.Errorf("mu-plugin entry names %+v", e.By.Component)
				}
			}
		}
		if n != 2 {
			t.Errorf("%+v: %d entries, want 2", w, n)
		}
	}
	groups := j.Groups()
	if len(groups) != len(wants) || !slices.ContainsFunc(groups, func(g JournalGroup) bool { return g.Count == 2 && g.Stopped }) {
		t.Errorf("groups: %+v", groups)
	}
}
