package signature

import (
	"strings"
)

// The theme page guard. A page WordPress rendered through its theme (a
// front page, a post, the theme's 404) is content: a post about
// Cloudflare's "Sorry, you have been blocked" or a widget quoting
// Wordfence's block sentence is not that vendor's refusal. Only what
// wp_head() and the theme print is used, never a site's own text:
// theme assets, the api.w.org <link> wp_head() prints, and the body
// classes body_class() prints.

// themeMarkers are substrings only a theme-rendered page carries.
var themeMarkers = []string{
	"/wp-content/themes/",       // the theme's stylesheet and scripts
	`rel="https://api.w.org/"`,  // rest_output_link_wp_head()
	`rel='https://api.w.org/'`,  // the same, in WordPress < 5.x quoting
	"id='wp-block-library-css'", // wp_enqueue_style('wp-block-library') in wp_head()
	`id="wp-block-library-css"`,
}

// bodyClasses are classes body_class() prints on theme pages.
var bodyClasses = []string{"wp-theme-", "wp-custom-logo", "error404", "page-template", "postid-", "page-id-", "wp-embed-responsive", "logged-in admin-bar", "home blog"}

// isThemePage reports whether WordPress rendered the page through a theme.
// A wp_die() page is not one (it has no theme), nor is JSON.
func isThemePage(v *view) bool {
	if v.isJSON || v.wpDie {
		return false
	}
	for _, m := range themeMarkers {
		if strings.Contains(v.body, m) {
			return true
		}
	}
	if hasWPBodyClass(v.body) {
		return true
	}
	return hasAPILink(v) && strings.Contains(v.contentType(), "html")
}

// hasWPBodyClass reports whether the <body> tag's class list carries a
// class body_class() prints.
func hasWPBodyClass(b string) bool {
	i := strings.Index(b, "<body ")
	if i < 0 {
		return false
	}
	tag := b[i:]
	if j := strings.IndexByte(tag, '>'); j >= 0 {
		tag = tag[:j]
	}
	tag = clip(tag, 2048)
	k := strings.Index(tag, "class=")
	if k < 0 {
		return false
	}
	classes := tag[k:]
	for _, c := range bodyClasses {
		if strings.Contains(classes, c) {
			return true
		}
	}
	return false
}

// maxSlug caps a plugin directory name taken from a page.
const maxSlug = 64

// pluginSlug returns the one plugin whose /wp-content/plugins/<slug>/
// assets an error page loads, or "" when there is none or more than one
// (then the page does not say which plugin wrote it).
func pluginSlug(body string) string {
	const dir = "/wp-content/plugins/"
	slug := ""
	for rest := body; ; {
		i := strings.Index(rest, dir)
		if i < 0 {
			return slug
		}
		rest = rest[i+len(dir):]
		j := strings.IndexByte(rest, '/')
		if j <= 0 || j > maxSlug || !validSlug(rest[:j]) {
			continue
		}
		switch s := rest[:j]; {
		case slug == "":
			slug = s
		case s != slug:
			return ""
		}
	}
}

// validSlug accepts a plugin directory name: letters, digits, '-', '_', '.'.
func validSlug(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return s != "." && s != ".."
}
