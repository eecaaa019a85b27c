package agent

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/labkit"
)

// A mu-plugin mimic whose name carries markup: Site Health must show it as text.
const markupGuard = `<?php
/**
 * Plugin Name: Lab <b>Markup</b> Guard (wp403 test)
 * Version: 2.0
 */
add_filter('rest_authentication_errors', function ($result) {
    $route = isset($GLOBALS['wp']->query_vars['rest_route']) ? $GLOBALS['wp']->query_vars['rest_route'] : '';
    return strpos($route, '/wp/v2/tags') === 0 ? new WP_Error('markup_guard_forbidden', 'No.', array('status' => 403)) : $result;
});
`

// siteHealthJS reads the wp403 test's row once Site Health rendered it:
// its label, its text, and whether the markup in a plugin name became an element.
const siteHealthJS = `(function () {
  var b = document.getElementById('health-check-accordion-block-wp403_rest_refusals');
  if (!b) { return null; }
  var btn = document.querySelector('[aria-controls="health-check-accordion-block-wp403_rest_refusals"]');
  if (btn && btn.getAttribute('aria-expanded') !== 'true') { btn.click(); }
  var title = btn ? btn.querySelector('.title') : null;
  return JSON.stringify({label: title ? title.textContent.trim() : '', text: b.textContent, bold: b.querySelectorAll('li b').length});
})()`

// labSiteHealth: with the journal on and real refusals recorded,
// the Site Health screen of the real wp-admin, in headless Chromium, shows
// the test "REST API refusals in the last 24 hours" naming the plugin, the
// route and the kind of client, where to change it and `wp403 diagnose`,
// with server strings escaped. The screenshot goes to $WP403_ARTIFACTS.
func labSiteHealth(t *testing.T, la *labAgent) {
	if testing.Short() {
		t.Skip("drives a browser against the lab; skipped with -short")
	}
	if _, err := browser.Find(); err != nil {
		if os.Getenv("WP403_LAB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	la.switchTo(t, "healthy")
	journalOn(t)
	p := filepath.Join(labMuDir, "wp403-test-markup-guard.php")
	must(t, os.WriteFile(p, []byte(markupGuard), 0o644))
	t.Cleanup(func() { os.Remove(p) })
	la.purge(t)
	t.Cleanup(func() { la.purge(t) })
	for i := 0; i < 3; i++ {
		la.send(t, "nginx", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/tags", Auth: "public"})
	}
	la.send(t, "nginx", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/settings", Auth: "app-password", User: "editor"})

	admin, err := la.lab.Creds("administrator")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop, err := browser.Start(context.Background(), browser.Options{ProfileDir: t.TempDir(), Width: 1200, Height: 1400,
		HostRules: "MAP " + la.lab.Host + " " + la.lab.Edge + ", EXCLUDE localhost", IgnoreCertErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	site := "https://" + la.lab.Host
	if err := chromedp.Do(ctx, chromedp.Navigate(site+"/wp-login.php"), chromedp.WaitVisible(chromedp.CSS("#user_pass")),
		chromedp.SetValue(chromedp.CSS("#user_login"), admin.Login), chromedp.SetValue(chromedp.CSS("#user_pass"), admin.Password),
		chromedp.Click(chromedp.CSS("#wp-submit"))); err != nil {
		t.Fatal(err)
	}
	if _, err := pollJS(ctx, `location.pathname.indexOf('/wp-admin') >= 0 && document.readyState === 'complete' ? 'ok' : null`); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(site+"/wp-admin/site-health.php")); err != nil {
		t.Fatal(err)
	}
	got, err := pollJS(ctx, siteHealthJS)
	if err != nil {
		t.Fatalf("the wp403 test never appeared on the Site Health screen: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // the accordion's expand transition, for the screenshot only
	saveShot(t, ctx)
	for _, w := range []string{`"label":"REST API refusals in the last 24 hours"`, "Lab <b>Markup</b> Guard (wp403 test) 2.0", "GET /wp/v2/tags",
		"anonymous clients 3 time(s) (HTTP 403, markup_guard_forbidden)", "must-use plugin", "WordPress core", "GET /wp/v2/settings", "application password clients",
		"wp403 diagnose " + site + "/"} {
		if !strings.Contains(got, w) {
			t.Errorf("the Site Health test lacks %q: %s", w, got)
		}
	}
	if !strings.Contains(got, `"bold":0`) {
		t.Errorf("a plugin name's markup was rendered as HTML: %s", got)
	}
}

func pollJS(ctx context.Context, js string) (string, error) {
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js))
		if err == nil && v != nil {
			return *v, nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func saveShot(t *testing.T, ctx context.Context) {
	t.Helper()
	dir := os.Getenv("WP403_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "wp403-artifacts")
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	must(t, os.MkdirAll(dir, 0o755), os.WriteFile(filepath.Join(dir, "agent-site-health.png"), png, 0o644))
	t.Logf("screenshot: %s", filepath.Join(dir, "agent-site-health.png"))
}
