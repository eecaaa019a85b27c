package verdict

import (
	"net/url"
	"strings"
	"testing"
)

// The scopes WordPress's wp_set_auth_cookie writes, against a REST root.
func TestCookieMisses(t *testing.T) {
	root, _ := url.Parse("https://blog.example/wp-json/")
	for line, want := range map[string]string{
		"wordpress_logged_in_x=v; path=/; secure; HttpOnly":                    "",
		"wordpress_logged_in_x=v; path=/; domain=.blog.example; secure":        "",
		"wordpress_logged_in_x=v; path=/; domain=other.example; secure":        "does not cover",
		"wordpress_logged_in_x=v; path=/; domain=https://blog.example; secure": "not a host name",
		"wordpress_logged_in_x=v; path=/blog/; secure":                         "Path /blog/",
		"wordpress_logged_in_x=v; path=/wp-json; secure":                       "",
		"wordpress_logged_in_x=v; path=/wp; secure":                            "Path /wp",
	} {
		got := parseSetCookie(line).misses("blog.example", root)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%s: misses %q, want %q", line, got, want)
		}
	}
	if got := parseSetCookie("wordpress_logged_in_x=v; path=/").misses("www.blog.example", root); !strings.Contains(got, "host-only") {
		t.Errorf("host-only cookie of another host: %q", got)
	}
	if got := parseSetCookie("wordpress_logged_in_x=v; path=/; secure").misses("blog.example", &url.URL{Scheme: "http", Host: "blog.example", Path: "/wp-json/"}); !strings.Contains(got, "Secure") {
		t.Errorf("secure cookie, http root: %q", got)
	}
}
