// Command genhar records HAR files of the real WordPress block editor on
// the wp403 lab with headless Chromium: it logs in (not recorded), opens
// the editor, saves, autosaves and makes the editor refresh its nonce,
// while it collects the DevTools network events, then writes them in
// HAR 1.2 form. The HAR is assembled by this program from Chromium's
// protocol events (DevTools' own "Save all as HAR" cannot be driven
// headless); the creator field says so.
//
// Usage (lab up, as root, from the repository):
//
//	go run ./internal/har/testdata/genhar -scenario waf-post-content -out internal/har/testdata/chromium-waf-save.har
//
// It switches the lab to -scenario after the login and back afterwards,
// logs out at the end (which invalidates the recorded cookies and nonces)
// and masks the login password if it ever appears.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/labkit"
)

func main() {
	scenario := flag.String("scenario", "healthy", "lab scenario to record under")
	out := flag.String("out", "", "HAR file to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: genhar -scenario NAME -out FILE.har")
		os.Exit(2)
	}
	if err := run(*scenario, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
}

func run(scenario, out string) error {
	lab, err := labkit.Load()
	if err != nil {
		return err
	}
	user, err := lab.Creds("editor")
	if err != nil {
		return err
	}
	dir, _ := os.MkdirTemp("", "genhar")
	defer os.RemoveAll(dir)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP "+lab.Host+" "+lab.Edge+", MAP * ~NOTFOUND"),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	site := "https://" + lab.Host
	// The first action starts the browser: it must not run under a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return fmt.Errorf("start chromium: %w", err)
	}
	fmt.Fprintln(os.Stderr, "genhar: logging in as", user.Login)
	if err := login(ctx, site, user); err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + document.title + " | " + ((document.querySelector("#login_error")||{}).innerText||"no error shown") + " | user=" + document.querySelector("#user_login").value.length`))
		return fmt.Errorf("login (at %s): %w", where, err)
	}
	unlock, err := lab.Lock(ctx) // no other session may switch the scenario meanwhile
	if err != nil {
		return err
	}
	defer unlock()
	prev := lab.Active()
	if err := switchTo(lab.Dir(), scenario); err != nil {
		return err
	}
	defer switchTo(lab.Dir(), prev)
	rec := newRecorder()
	if err := chromedp.Listen(ctx, rec.event); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	postID := lab.Posts["editor-post"]
	if postID == 0 {
		postID = 1
	}
	fmt.Fprintln(os.Stderr, "genhar: recording the editor on post", postID, "under", scenario)
	if err := editorSession(ctx, site, postID); err != nil {
		return fmt.Errorf("editor: %w", err)
	}
	har := rec.har(ctx, version(ctx), user.Password)
	logout(ctx)
	return writeJSON(out, har)
}

// login fills the form from script (typing races the page's own focus
// handling) and retries, as the lab is shared and may be reloading.
func login(ctx context.Context, site string, u labkit.User) error {
	user, _ := json.Marshal(u.Login)
	pass, _ := json.Marshal(u.Password)
	fill := fmt.Sprintf(`document.querySelector('#user_login').value=%s; document.querySelector('#user_pass').value=%s; document.querySelector('#loginform').submit(); true`, user, pass)
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = chromedp.Do(tctx, chromedp.Navigate(site+"/wp-login.php"), chromedp.WaitVisible(chromedp.CSS("#loginform")))
		if err == nil {
			_, err = chromedp.Run(tctx, chromedp.Evaluate[bool](fill))
		}
		if err == nil {
			err = chromedp.Do(tctx, chromedp.WaitVisible(chromedp.CSS("#wpadminbar")))
		}
		cancel()
		if err == nil {
			return nil
		}
	}
	return err
}

// editorSession opens the editor, saves, triggers an autosave, and sends
// one request with a stale nonce so that api-fetch refreshes it.
func editorSession(ctx context.Context, site string, postID int) error {
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	err := chromedp.Do(tctx,
		chromedp.Navigate(fmt.Sprintf("%s/wp-admin/post.php?post=%d&action=edit", site, postID)),
		chromedp.WaitReady(chromedp.CSS(".edit-post-layout")),
		chromedp.Sleep(2*time.Second))
	if err != nil {
		return err
	}
	for _, js := range []string{
		`wp.data.dispatch('core/editor').editPost({content: '<!-- wp:paragraph -->\n<p>Saved from the lab at ' + new Date().toISOString() + '</p>\n<!-- /wp:paragraph -->'}); wp.data.dispatch('core/editor').savePost(); true`,
		`wp.data.dispatch('core/editor').editPost({content: '<!-- wp:paragraph -->\n<p>Autosaved draft</p>\n<!-- /wp:paragraph -->'}); wp.data.dispatch('core/editor').autosave(); true`,
		`wp.apiFetch.nonceMiddleware.nonce = '0000000000'; wp.apiFetch({path: '/wp/v2/users/me?context=edit'}).catch(function(){}); true`,
	} {
		if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](js)); err != nil {
			return err
		}
		if err := chromedp.Do(tctx, chromedp.Sleep(3*time.Second)); err != nil {
			return err
		}
	}
	return nil
}

func logout(ctx context.Context) {
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	href, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(document.querySelector('#wp-admin-bar-logout a')||{}).href||''`))
	if err == nil && href != "" {
		_ = chromedp.Do(tctx, chromedp.Navigate(href), chromedp.Sleep(time.Second))
	}
}

func version(ctx context.Context) string {
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, struct{}{})
	if err != nil {
		return ""
	}
	_, ver, _ := strings.Cut(v.Product, "/")
	return ver
}

func switchTo(labDir, scenario string) error {
	out, err := exec.Command(filepath.Join(labDir, "scenario"), scenario).CombinedOutput()
	if err != nil {
		return fmt.Errorf("lab/scenario %s: %v: %s", scenario, err, out)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
