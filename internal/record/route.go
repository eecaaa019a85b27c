package record

import (
	"net/url"
	"strings"
)

// The one REST-route parser: logscan, har, waf replay and the verdict use it.

// ParseRoute returns the REST route a request URI addresses ("/wp/v2/posts/1",
// "/" for the index), how it was addressed, and whether the URI is a
// REST-related request at all. admin-ajax.php?action=rest-nonce is
// REST-related (the editor's nonce refresh) with route "rest-nonce" and
// style other. prefix is the REST prefix ("/wp-json/" when empty).
func ParseRoute(uri, prefix string) (string, RouteStyle, bool) {
	if prefix == "" {
		prefix = "/wp-json/"
	}
	path, query, _ := strings.Cut(uri, "?")
	if i := strings.Index(path, "://"); i >= 0 { // absolute URI
		rest := path[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			path = rest[j:]
		} else {
			path = "/"
		}
	}
	if i := strings.Index(path, prefix); i >= 0 {
		return cleanRoute(path[i+len(prefix)-1:]), StylePretty, true
	}
	if path+"/" == prefix || strings.HasSuffix(path+"/", prefix) {
		return "/", StylePretty, true
	}
	if query == "" {
		return "", "", false
	}
	if r, ok := queryValue(query, "rest_route"); ok {
		return cleanRoute(r), StyleQuery, true
	}
	if strings.HasSuffix(path, "/admin-ajax.php") {
		if a, _ := queryValue(query, "action"); a == "rest-nonce" {
			return "rest-nonce", StyleOther, true
		}
	}
	return "", "", false
}

func queryValue(query, key string) (string, bool) {
	for query != "" {
		var kv string
		kv, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != key {
			continue
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		return v, true
	}
	return "", false
}

// cleanRoute unescapes a route and gives it one leading slash and no
// trailing slash (the index stays "/").
func cleanRoute(r string) string {
	if u, err := url.PathUnescape(r); err == nil {
		r = u
	}
	r = "/" + strings.Trim(r, "/")
	return r
}
