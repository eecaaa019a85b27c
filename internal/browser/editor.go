package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Editor drives the block editor as a person would: log in through
// wp-login.php, open a new post, type a title and a paragraph, save a
// draft, upload an image, and delete both again. Every step waits for the
// editor's own signal (its data stores and notices), never for a fixed
// time.
type Editor struct {
	Site     *url.URL // the site's front page
	User     string
	Password string
	RunID    string        // tags everything created, so cleanup can find it
	Step     time.Duration // bound of one step; 0 means 60 s
	Rec      *Recorder
	Guard    *Guard // keeps the page on the site's origin; nil in no test that types a password
}

// Step names, in order. They are also the labels of the recorded requests.
const (
	StepLogin  = "login"
	StepEditor = "open-editor"
	StepType   = "type"
	StepSave   = "save-draft"
	StepUpload = "upload-image"
	StepClean  = "cleanup"
)

// StepResult is how one step went.
type StepResult struct {
	Name   string
	Pass   bool
	Detail string
	MS     float64
}

// errStep is a step that ran and failed: the business path is broken there.
type errStep struct{ msg string }

func (e errStep) Error() string { return e.msg }

// IsStepFailure reports whether err is a step that failed on the site (as
// opposed to the browser or the context).
func IsStepFailure(err error) bool {
	var e errStep
	return errors.As(err, &e)
}

func (ed *Editor) bound() time.Duration {
	if ed.Step <= 0 {
		return 60 * time.Second
	}
	return ed.Step
}

func (ed *Editor) page(path string) string {
	u := *ed.Site
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = ""
	return u.String()
}

// run times one step under its bound and records its requests under its name.
func (ed *Editor) run(ctx context.Context, name string, fn func(context.Context) (string, error)) StepResult {
	ed.Rec.Step(name)
	start := time.Now()
	left := len(ed.offSite())
	sctx, cancel := context.WithTimeout(ctx, ed.bound())
	defer cancel()
	detail, err := fn(sctx)
	ed.Rec.FetchBodies(ctx)
	res := StepResult{Name: name, Pass: err == nil, Detail: ed.Rec.scrub.String(detail), MS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		res.Detail = ed.Rec.scrub.String(strings.TrimSpace(detail + " " + err.Error()))
		switch {
		case IsStepFailure(err):
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			res.Detail = name + ": stopped, --max-time reached"
		case errors.Is(sctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil:
			res.Detail = fmt.Sprintf("%s: no answer within %s", name, ed.bound())
		}
		if off := ed.offSite(); len(off) > left {
			res.Detail += "; the page tried to leave the site for " + strings.Join(off[left:], ", ") + " (blocked)"
		}
	}
	return res
}

// offSite lists the origins navigations tried to reach off the site's.
func (ed *Editor) offSite() []string {
	if ed.Guard == nil {
		return nil
	}
	return ed.Guard.Navigations()
}

// Login opens wp-login.php and, only when the page and the form's action
// are on the site's origin, types the credentials and waits for wp-admin
// or the login error. A login page that leads anywhere else is an error
// naming where: the password is never typed into it.
func (ed *Editor) Login(ctx context.Context) (string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(ed.page("/wp-login.php"))); err != nil {
		if off := ed.offSite(); len(off) > 0 {
			return "", errStep{"wp-login.php led to " + off[len(off)-1] + ", off the site's origin (blocked): the password was not typed"}
		}
		return "", err
	}
	where, err := chromedp.Run(ctx, chromedp.Poll[[]string](`(function () {
  var p = document.getElementById('user_pass');
  if (!p || !p.form || document.readyState === 'loading') { return null; }
  return [location.href, new URL(p.form.getAttribute('action') || location.href, location.href).href];
})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		return "", err
	}
	if ed.Guard != nil {
		for i, what := range []string{"the login page is on", "the login form posts to"} {
			if !ed.Guard.SameOrigin(where[i]) {
				return "", errStep{fmt.Sprintf("%s %s, not the site's origin %s: the password was not typed", what, originName(where[i]), ed.Guard.origin)}
			}
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#user_login"), ed.User),
		chromedp.SetValue(chromedp.CSS("#user_pass"), ed.Password),
		chromedp.Click(chromedp.CSS("#wp-submit"))); err != nil {
		return "", err
	}
	state, err := poll(ctx, `(function () {
  if (location.pathname.indexOf('/wp-admin') >= 0 && document.readyState !== 'loading') { return 'ok'; }
  var e = document.getElementById('login_error');
  return e ? 'error: ' + e.textContent.trim().slice(0, 200) : null;
})()`)
	if err != nil {
		return "", err
	}
	if state != "ok" {
		return "", errStep{"wp-login.php refused the login (" + ed.Rec.scrub.String(strings.TrimPrefix(state, "error: ")) + ")"}
	}
	return "logged in as " + ed.User, nil
}

// originName is the scheme://host:port of a URL, never its path or query.
func originName(raw string) string {
	if u, err := url.Parse(raw); err == nil && Origin(u) != "" {
		return Origin(u)
	}
	return "a non-web URL"
}

// OpenEditor opens post-new.php and waits for the editor's stores; the
// welcome guide is closed as a person would.
func (ed *Editor) OpenEditor(ctx context.Context) (string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(ed.page("/wp-admin/post-new.php"))); err != nil {
		return "", err
	}
	state, err := poll(ctx, `(function () {
  if (window.wp && wp.data && wp.data.select('core/editor') && wp.data.select('core/editor').getCurrentPostId()) {
    var ep = wp.data.select('core/edit-post');
    if (ep && ep.isFeatureActive && ep.isFeatureActive('welcomeGuide')) { wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide'); }
    return document.querySelector('.editor-post-title__input, [aria-label="Add title"]') ? 'ok' : null;
  }
  if (document.getElementById('loginform')) { return 'login'; }
  if (document.body && document.body.id === 'error-page') { return 'error: ' + document.body.textContent.trim().slice(0, 200); }
  return null;
})()`)
	if err != nil {
		return "", err
	}
	if state != "ok" {
		return "", errStep{"the block editor did not open (" + state + ")"}
	}
	return "block editor open", nil
}

// Type writes the title and a paragraph with the keyboard; the editor
// turns them into blocks (the content is saved with block comments).
func (ed *Editor) Type(ctx context.Context) (string, error) {
	title := "wp403 retest " + ed.RunID
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".editor-post-title__input, [aria-label=\"Add title\"]")),
		chromedp.SendKeys(chromedp.CSS(".editor-post-title__input, [aria-label=\"Add title\"]"), title+"\r"),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.KeyEvent("A paragraph typed by wp403 to check that the editor can save (run "+ed.RunID+")."))
	if err != nil {
		return "", err
	}
	content, err := chromedp.Run(ctx, chromedp.Poll[string](`(function () {
  var c = wp.data.select('core/editor').getEditedPostContent();
  return c.indexOf('wp:paragraph') >= 0 ? c : null;
})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		return "", errStep{"the typed paragraph did not become a block"}
	}
	return fmt.Sprintf("title and one paragraph typed (%d bytes of block content)", len(content)), nil
}

// notice is what the editor shows after a save.
type notice struct {
	Status  string `json:"status"`
	Content string `json:"content"`
}

type saveState struct {
	OK      bool     `json:"ok"`
	PostID  int      `json:"id"`
	Notices []notice `json:"notices"`
}

// Save clicks "Save draft" and waits until the editor says how it went.
func (ed *Editor) Save(ctx context.Context) (saveState, error) {
	var st saveState
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".editor-post-save-draft, button[aria-label=\"Save draft\"]"))); err != nil {
		return st, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Poll[json.RawMessage](`(function () {
  var e = wp.data.select('core/editor');
  if (e.isSavingPost()) { return null; }
  var ok = e.didPostSaveRequestSucceed(), failed = e.didPostSaveRequestFail();
  if (!ok && !failed) { return null; }
  var notices = wp.data.select('core/notices').getNotices().map(function (n) { return {status: n.status, content: String(n.content).slice(0, 500)}; });
  return {ok: ok, id: e.getCurrentPostId(), notices: notices};
})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, err
	}
	return st, nil
}

// Notice is the editor's visible message after a save, error first.
func (s saveState) Notice() string {
	for _, n := range s.Notices {
		if n.Status == "error" {
			return n.Content
		}
	}
	if len(s.Notices) > 0 {
		return s.Notices[len(s.Notices)-1].Content
	}
	return ""
}

// poll evaluates js every 100 ms until it answers a string, riding out
// navigations (the page a click leads to replaces the one polled).
func poll(ctx context.Context, js string) (string, error) {
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js))
		switch {
		case err == nil && v != nil:
			return *v, nil
		case ctx.Err() != nil:
			return "", ctx.Err()
		case err != nil && !transient(err):
			return "", err
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// transient errors come from a page that is being replaced.
func transient(err error) bool {
	s := err.Error()
	for _, m := range []string{"navigated or closed", "context was destroyed", "Cannot find context", "not found", "No frame"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
