package har

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// The editor actions a request can be part of.
const (
	ActLoad         = "load"          // the editor reading posts, types, settings, users/me …
	ActSave         = "save"          // saving (creating or updating) a post, page or other type
	ActAutosave     = "autosave"      // the editor's periodic autosave
	ActNonceRefresh = "nonce-refresh" // admin-ajax.php?action=rest-nonce
	ActMediaUpload  = "media-upload"  // POST /wp/v2/media
	ActDelete       = "delete"        // trashing or deleting
	ActDiscovery    = "discovery"     // the REST index
	ActBatch        = "batch"         // /batch/v1
	ActRender       = "render"        // server-side block rendering, block previews
	ActSearch       = "search"        // link and content search
	ActPreferences  = "preferences"   // the editor saving the user's preferences (users/me)
	ActWrite        = "write"         // any other write
)

var (
	reAutosave = regexp.MustCompile(`^/wp/v2/[^/]+/\d+/autosaves$`)
	reItem     = regexp.MustCompile(`^/wp/v2/[a-z0-9_-]+/\d+$`)
	reColl     = regexp.MustCompile(`^/wp/v2/[a-z0-9_-]+$`)
)

// label says what the editor was doing with a request. override is the
// X-HTTP-Method-Override header: the editor sends PUT, PATCH and DELETE
// as POST with it. A save's body is marked "editor-save".
func label(r *record.HTTPRequest, override string) string {
	method := strings.ToUpper(r.Method)
	if o := strings.ToUpper(strings.TrimSpace(override)); o != "" && method == "POST" {
		method = o
	}
	route := r.Route
	switch {
	case route == "rest-nonce" || strings.Contains(r.URL, "admin-ajax.php?action=rest-nonce"):
		return ActNonceRefresh
	case route == "/":
		return ActDiscovery
	case strings.HasPrefix(route, "/batch/"):
		return ActBatch
	case method == "DELETE":
		return ActDelete
	case method == "GET" || method == "HEAD" || method == "OPTIONS":
		return readLabel(route)
	case route == "/wp/v2/users/me":
		return ActPreferences
	case route == "/wp/v2/media":
		return ActMediaUpload
	case reAutosave.MatchString(route):
		r.BodyKind = "editor-save"
		return ActAutosave
	case reItem.MatchString(route) || reColl.MatchString(route) && !strings.HasPrefix(route, "/wp/v2/block-renderer"):
		r.BodyKind = "editor-save"
		return ActSave
	case strings.HasPrefix(route, "/wp/v2/block-renderer"):
		return ActRender
	}
	return ActWrite
}

func readLabel(route string) string {
	switch {
	case strings.HasPrefix(route, "/wp/v2/block-renderer"), strings.HasPrefix(route, "/wp/v2/block-directory"):
		return ActRender
	case strings.HasPrefix(route, "/wp/v2/search"):
		return ActSearch
	}
	return ActLoad
}
