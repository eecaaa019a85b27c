package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

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

// searchJS lists the ids of items of a kind whose title carries the run id.
const searchJS = `wp.apiFetch({path: (` + withNonce + `)(%q)}).then(function (list) { return list.map(function (p) { return p.id; }); }, function () { return []; })`

// Cleanup deletes the draft and the image, and anything else this run
// created that carries its run id (an answer lost to a timeout still left
// the item tagged). It returns what it deleted and what is left.
func (ed *Editor) Cleanup(ctx context.Context, post, media int) (deleted, left []string) {
	items := map[string][]int{"posts": nonZero(post), "media": nonZero(media)}
	for kind, status := range map[string]string{"posts": "draft,auto-draft,trash", "media": ""} {
		path := "/wp/v2/" + kind + "?context=edit&per_page=20&search=" + ed.RunID
		if status != "" {
			path += "&status=" + status
		}
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](fmt.Sprintf(searchJS, path), chromedp.EvalAwaitPromise))
		if err == nil {
			items[kind] = appendNew(items[kind], ids...)
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
	return deleted, left
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
