package signature

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// restMarkers lists the WordPress REST server headers present. Strong
// markers are the CORS lists WP_REST_Server::serve_request always sends;
// the api.w.org Link also appears on HTML pages, so it only counts with a
// JSON body and X-Robots-Tag: noindex.
func restMarkers(v *view) []string {
	var out []string
	if h := v.get("access-control-expose-headers"); containsFold(h, "X-WP-Total") {
		out = append(out, "access-control-expose-headers: "+clip(h, 60))
	}
	if h := v.get("access-control-allow-headers"); containsFold(h, "X-WP-Nonce") {
		out = append(out, "access-control-allow-headers lists X-WP-Nonce")
	}
	for _, h := range []string{"x-wp-total", "x-wp-totalpages", "x-wp-nonce"} {
		if v.has(h) {
			out = append(out, "header "+h)
		}
	}
	if len(out) == 0 && hasAPILink(v) && v.isJSON && containsFold(v.get("x-robots-tag"), "noindex") {
		out = append(out, `link rel="https://api.w.org/" with x-robots-tag: noindex on JSON`)
	}
	return out
}

func hasAPILink(v *view) bool {
	for _, l := range v.header["link"] {
		if strings.Contains(l, `rel="https://api.w.org/"`) {
			return true
		}
	}
	return false
}

// pageShape names the generic shape of a body.
func pageShape(v *view) string {
	t := strings.TrimSpace(v.body)
	switch {
	case t == "":
		return "empty"
	case v.isJSON:
		return "json"
	case v.wpDie:
		return "wp-die-html"
	}
	if st, ok := v.stockPage(); ok {
		return st.shape
	}
	if !looksHTML(v, t) {
		return "text"
	}
	switch {
	case v.themePage():
		return "wordpress-html"
	case v.status >= 400 && pluginSlug(v.body) != "":
		return "plugin-page"
	case isWordPressHTML(v):
		return "wordpress-html"
	case poweredByPHP(v):
		return "php-page"
	}
	return "custom-html"
}

func looksHTML(v *view, t string) bool {
	if strings.Contains(v.contentType(), "html") {
		return true
	}
	return t[0] == '<' && containsFold(clip(t, 512), "<html")
}

func isWordPressHTML(v *view) bool {
	b := v.body
	return strings.Contains(b, `rel="https://api.w.org/"`) || strings.Contains(b, "/wp-content/") ||
		strings.Contains(b, "/wp-includes/") || hasAPILink(v)
}

func poweredByPHP(v *view) bool {
	return hasPrefixFoldASCII(v.get("x-powered-by"), "php")
}

// isRESTRequest reports whether the request addressed the REST API.
func isRESTRequest(req *record.HTTPRequest) bool {
	if req == nil {
		return false
	}
	if req.Style == record.StylePretty || req.Style == record.StyleQuery || req.Route != "" {
		return true
	}
	return strings.Contains(req.URL, "/wp-json/") || strings.HasSuffix(req.URL, "/wp-json") ||
		strings.Contains(req.URL, "rest_route=")
}

// serverProduct is the product token of the Server header ("nginx").
func serverProduct(v *view) string {
	s := strings.TrimSpace(v.get("server"))
	name, _, _ := strings.Cut(s, "/")
	name, _, _ = strings.Cut(name, " ")
	return name
}

// containsFold reports whether s contains sub, ignoring ASCII case.
func containsFold(s, sub string) bool {
	return containsFoldASCII(s, lowerASCIIString(sub))
}
