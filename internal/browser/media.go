package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// tinyPNG is an 8×8 image: enough for WordPress to make a media item.
const tinyPNG = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGNQKtyIFTEMLQkAgtlRAbC9lJUAAAAASUVORK5CYII="

type uploadState struct {
	ID    int    `json:"id"`
	Error string `json:"error"`
}

// Upload sends a small image through the editor's own upload path (the
// mediaUpload the image block uses), so the request is the one a person's
// drag and drop makes: a multipart POST to /wp/v2/media with the nonce.
func (ed *Editor) Upload(ctx context.Context) (int, string, error) {
	js := fmt.Sprintf(`new Promise(function (resolve) {
  var bin = atob(%q), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
  var file = new File([bytes], %q, {type: 'image/png'});
  var settings = wp.data.select('core/block-editor').getSettings();
  var upload = settings.mediaUpload || (wp.editor && wp.editor.mediaUpload);
  if (!upload) { resolve({error: 'the editor offers no media upload'}); return; }
  var timer = setTimeout(function () { resolve({error: 'no answer from the upload'}); }, %d);
  upload({filesList: [file], allowedTypes: ['image'],
    onFileChange: function (files) { var f = files && files[0]; if (f && f.id) { clearTimeout(timer); resolve({id: f.id}); } },
    onError: function (e) { clearTimeout(timer); resolve({error: String(e && e.message || e).slice(0, 300)}); }});
})`, tinyPNG, "wp403-"+ed.RunID+".png", ed.bound().Milliseconds()-1000)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return 0, "", err
	}
	var st uploadState
	if err := json.Unmarshal(raw, &st); err != nil {
		return 0, "", err
	}
	if st.ID == 0 {
		return 0, st.Error, errStep{"the image upload failed: " + st.Error}
	}
	return st.ID, "image uploaded as media " + strconv.Itoa(st.ID), nil
}

// withNonce adds the editor's nonce as _wpnonce to a REST path as well as
// the header apiFetch sends: cleanup must work on a site whose edge drops
// the X-WP-Nonce header, which is one of the failures this retest finds.
const withNonce = `function (p) { var n = (wp.apiFetch.nonceMiddleware && wp.apiFetch.nonceMiddleware.nonce) || ''; return n ? p + (p.indexOf('?') >= 0 ? '&' : '?') + '_wpnonce=' + n : p; }`

// deleteJS deletes one item through the REST API from the page, as the
// editor's own apiFetch would, and answers the status.
const deleteJS = `wp.apiFetch({path: (` + withNonce + `)(%q), method: 'DELETE', parse: false}).then(function (r) { return r.status; }, function (e) { return (e && e.status) || (e && e.code) || String(e); })`

// searchJS lists the items of a kind the site's search finds for the run
// id, with their title and slug, or the error the search answered.
const searchJS = `wp.apiFetch({path: (` + withNonce + `)(%q)}).then(function (list) {
  return {items: (Array.isArray(list) ? list : []).slice(0, 100).map(function (p) {
    return {id: p.id, slug: String(p.slug || ''), title: String((p.title && (p.title.raw || p.title.rendered)) || '')};
  })};
}, function (e) { return {error: String((e && (e.data && e.data.status || e.status)) || (e && e.code) || e).slice(0, 100)}; })`

// found is one item a cleanup search returned.
type found struct {
	ID    int    `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

type searchResult struct {
	Items []found `json:"items"`
	Error string  `json:"error"`
}

// Cleanup deletes the draft and the image, and anything else this run
// created: an item the site's search finds is deleted only when its
// title or slug carries the run id (a fuzzy search plugin returns other
// posts for it), as diagnose --write does. It returns what it deleted,
// what is left, and a detail that names what was skipped and a search
// that failed.
func (ed *Editor) Cleanup(ctx context.Context, post, media int) (deleted, left []string, detail string) {
	items := map[string][]int{"posts": nonZero(post), "media": nonZero(media)}
	var notes []string
	_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{}) // a page that never finished loading holds every script
	for _, kind := range []string{"posts", "media"} {
		path := "/wp/v2/" + kind + "?context=edit&per_page=20&search=" + ed.RunID
		if kind == "posts" {
			path += "&status=draft,auto-draft,trash"
		}
		var sr searchResult
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](fmt.Sprintf(searchJS, path), chromedp.EvalAwaitPromise))
		if err == nil {
			err = json.Unmarshal(raw, &sr)
		}
		switch {
		case err != nil || sr.Error != "":
			notes = append(notes, fmt.Sprintf("the search for this run's %s failed (%s): any %s titled with %s may be left", kind, orErr(sr.Error, err), kind, ed.RunID))
			left = append(left, fmt.Sprintf("%s titled with %s, if any (the search failed)", kind, ed.RunID))
		default:
			var skipped []string
			for _, f := range sr.Items {
				if tagged(ed.RunID, f.Title, f.Slug) {
					items[kind] = appendNew(items[kind], f.ID)
				} else if !contains(items[kind], f.ID) {
					skipped = append(skipped, fmt.Sprintf("%s %d", singular(kind), f.ID))
				}
			}
			if len(skipped) > 0 {
				notes = append(notes, fmt.Sprintf("skipped %d the search found without this run's tag: %s", len(skipped), strings.Join(skipped, ", ")))
			}
		}
	}
	for _, kind := range []string{"posts", "media"} {
		for _, id := range items[kind] {
			name := fmt.Sprintf("%s %d", singular(kind), id)
			st, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](fmt.Sprintf(deleteJS, fmt.Sprintf("/wp/v2/%s/%d?force=true", kind, id)), chromedp.EvalAwaitPromise))
			if err == nil && string(st) == "200" {
				deleted = append(deleted, name)
				continue
			}
			left = append(left, fmt.Sprintf("%s (delete answered %s)", name, orErr(string(st), err)))
		}
	}
	detail = fmt.Sprintf("%d deleted, %d left", len(deleted), len(left))
	if len(notes) > 0 {
		detail += "; " + strings.Join(notes, "; ")
	}
	return deleted, left, detail
}

// tagged reports whether a title or slug carries the run id, compared on
// letters and digits only (WordPress turns "." and spaces into "-" in a
// slug, and a media title is its file name).
func tagged(runID string, texts ...string) bool {
	id := alnum(runID)
	if id == "" {
		return false
	}
	for _, t := range texts {
		if strings.Contains(alnum(t), id) {
			return true
		}
	}
	return false
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func contains(list []int, id int) bool {
	for _, v := range list {
		if v == id {
			return true
		}
	}
	return false
}

func nonZero(id int) []int {
	if id == 0 {
		return nil
	}
	return []int{id}
}

func appendNew(list []int, ids ...int) []int {
	for _, id := range ids {
		seen := false
		for _, v := range list {
			seen = seen || v == id
		}
		if !seen {
			list = append(list, id)
		}
	}
	return list
}

func singular(kind string) string {
	if kind == "posts" {
		return "post"
	}
	return kind
}

func orErr(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// cleanupBound is how long cleanup may take after Ctrl-C.
const cleanupBound = 30 * time.Second
