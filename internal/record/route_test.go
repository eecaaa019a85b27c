package record

import (
	"strings"
	"testing"
)

func TestParseRoute(t *testing.T) {
	for uri, want := range map[string]string{
		"/wp-json/wp/v2/posts/1": "/wp/v2/posts/1",
		"/wp-json/":              "/",
		"https://x.example/blog/wp-json/wp/v2/users": "/wp/v2/users",
		"/?rest_route=%2Fwp%2Fv2%2Fposts":            "/wp/v2/posts",
		"/wp-admin/admin-ajax.php?action=rest-nonce": "rest-nonce",
	} {
		if got, _, ok := ParseRoute(uri, ""); !ok || got != want {
			t.Errorf("ParseRoute(%q) = %q, %v; want %q", uri, got, ok, want)
		}
	}
	if _, _, ok := ParseRoute("/about/", ""); ok {
		t.Error("a page is not a REST route")
	}
}

// FuzzParseRoute: any request-target parses without panic, and a REST
// route always has one leading slash (or is the nonce endpoint).
func FuzzParseRoute(f *testing.F) {
	for _, s := range []string{"/wp-json/wp/v2/posts", "/?rest_route=/", "/x?action=rest-nonce", "http://h", "%zz?rest_route=%zz"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, uri, prefix string) {
		r, _, ok := ParseRoute(uri, prefix)
		if ok && r != "rest-nonce" && !strings.HasPrefix(r, "/") {
			t.Fatalf("ParseRoute(%q, %q) = %q", uri, prefix, r)
		}
	})
}
