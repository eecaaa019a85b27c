package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
)

// The lab's plugins folder; the test plugins below are put there and
// activated (by a mu-plugin filtering active_plugins) only while a test runs.
const labPluginsDir = "/var/lib/wordpress/wp-content/plugins"

// testPlugins mimic plugin families: a hardening plugin that turns
// application passwords off with a core helper when it loads; an API
// plugin that registers a core helper on rest_endpoints from an init
// callback; a PHP firewall that answers and exits while plugins load.
var testPlugins = map[string]string{
	"wp403-test-hardening/hardening.php": `<?php
/**
 * Plugin Name: Lab Hardening Toolkit (wp403 test)
 * Version: 3.1.4
 */
add_filter('wp_is_application_passwords_available', '__return_false');
`,
	"wp403-test-api-lockdown/lockdown.php": `<?php
/**
 * Plugin Name: Lab API Lockdown (wp403 test)
 * Version: 0.9.2
 */
add_action('init', function () {
    add_filter('rest_endpoints', '__return_empty_array');
});
`,
	"wp403-test-firewall/firewall.php": `<?php
/**
 * Plugin Name: Lab Early Firewall (wp403 test)
 * Version: 5.0.1
 */
if (isset($_SERVER['REQUEST_URI']) && preg_match('#^/wp-json/wp/v2/users/?(\?|$)#', $_SERVER['REQUEST_URI'])) {
    http_response_code(403);
    exit;
}
`,
}

// activate installs and activates the given test plugins, in order, until
// the test ends.
func activate(t *testing.T, plugins ...string) {
	t.Helper()
	var quoted []string
	for _, p := range plugins {
		path := filepath.Join(labPluginsDir, p)
		must(t, os.MkdirAll(filepath.Dir(path), 0o755), os.WriteFile(path, []byte(testPlugins[p]), 0o644))
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
		quoted = append(quoted, fmt.Sprintf("%q", p))
	}
	mu := filepath.Join(labMuDir, "wp403-test-activate.php")
	code := "<?php\nadd_filter('option_active_plugins', function ($p) { return array_merge((array) $p, array(" + strings.Join(quoted, ", ") + ")); });\n"
	must(t, os.WriteFile(mu, []byte(code), 0o644))
	t.Cleanup(func() { os.Remove(mu) })
}

// labAttribution: a core helper (__return_false,
// __return_empty_array) registered by a plugin, at load or from an init
// callback, is reported as that plugin with the file that added it; a
// firewall plugin that answers and exits while plugins load is named,
// with how far WordPress got.
func labAttribution(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	t.Run("added at load", func(t *testing.T) {
		activate(t, "wp403-test-hardening/hardening.php")
		tr, raw, _ := la.trace(t, "nginx", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor"})
		d := tr.Auth.AppPasswordsDisabledBy
		if d == nil || d.Callable != "__return_false" || d.Component.Type != "plugin" || d.Component.Name != "Lab Hardening Toolkit (wp403 test)" ||
			d.Component.Version != "3.1.4" || d.AddedBy != "wp-content/plugins/wp403-test-hardening/hardening.php" {
			t.Errorf("want __return_false attributed to the hardening plugin: %s", raw)
		}
	})
	t.Run("added by an init callback", func(t *testing.T) {
		activate(t, "wp403-test-api-lockdown/lockdown.php")
		tr, raw, resp := la.trace(t, "apache", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/posts", Auth: "public"})
		f := tr.Refusal
		if resp.StatusCode != 404 || f == nil || f.Hook != "rest_endpoints" || f.Callable != "__return_empty_array" || f.Component.Type != "plugin" ||
			f.Component.Slug != "wp403-test-api-lockdown" || f.AddedBy != "wp-content/plugins/wp403-test-api-lockdown/lockdown.php" {
			t.Errorf("want __return_empty_array on rest_endpoints attributed to the lockdown plugin (status %d): %s", resp.StatusCode, raw)
		}
	})
	t.Run("stopped while plugins load", func(t *testing.T) {
		activate(t, "wp403-test-hardening/hardening.php", "wp403-test-firewall/firewall.php")
		for _, v := range []string{"nginx", "apache"} {
			tr, raw, resp := la.trace(t, v, labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users", Auth: "public"})
			f, p := tr.Refusal, tr.Progress
			if resp.StatusCode != 403 || f == nil || f.Hook != "load" || f.During != "plugin load" || f.Component.Slug != "wp403-test-firewall" ||
				f.Component.Version != "5.0.1" || f.File != "wp-content/plugins/wp403-test-firewall/firewall.php" {
				t.Errorf("at %s: want the firewall plugin named as stopping the request while it loaded (status %d): %s", v, resp.StatusCode, raw)
			}
			if p == nil || p.Stage != "plugins" || p.LastLoaded != "wp-content/plugins/wp403-test-hardening/hardening.php" || p.LastHook != "plugin_loaded" {
				t.Errorf("at %s: want progress stage plugins, last loaded the hardening plugin, last hook plugin_loaded: %s", v, raw)
			}
		}
	})
}
