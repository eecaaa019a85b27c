package wpcore

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		method, route, query, version string
		ok, anon                      bool
		pattern                       string
	}{
		{"GET", "/", "", "", true, true, "/"},
		{"GET", "/wp/v2/posts", "", "6.1.9", true, true, "/wp/v2/posts"},
		{"HEAD", "/wp/v2/posts/", "", "", true, true, "/wp/v2/posts"},
		{"GET", "/wp/v2/posts", "context=edit", "", true, false, "/wp/v2/posts"},
		{"GET", "/wp/v2/posts", "status=draft", "", true, false, "/wp/v2/posts"},
		{"GET", "/wp/v2/posts/12", "", "", true, true, "/wp/v2/posts/{id}"},
		{"POST", "/wp/v2/posts/12", "", "", true, false, "/wp/v2/posts/{id}"},
		{"GET", "/wp/v2/posts/12/revisions", "", "", true, false, "/wp/v2/posts/{id}/revisions"},
		{"GET", "/wp/v2/posts/abc", "", "", false, false, ""},
		{"GET", "/wp/v2/users/me", "", "", true, false, "/wp/v2/users/me"},
		{"GET", "/wp/v2/users/3", "", "", true, true, "/wp/v2/users/{id}"},
		{"GET", "/wp/v2/categories", "", "", true, true, "/wp/v2/categories"},
		{"GET", "/wp/v2/settings", "", "", true, false, "/wp/v2/settings"},
		{"GET", "/wp/v2/plugins/akismet/akismet", "", "", true, false, "/wp/v2/plugins/{any}"},
		{"GET", "/wp/v2/plugins", "", "5.4", false, false, ""}, // added in 5.5
		{"GET", "/wp/v2/users/me/application-passwords/introspect", "", "", true, false, "/wp/v2/users/{slug}/application-passwords/{any}"},
		{"GET", "/jwt-auth/v1/token", "", "", false, false, ""},
		{"OPTIONS", "/wp/v2/posts", "", "", false, false, ""},
	} {
		q, _ := url.ParseQuery(c.query)
		a, ok := Lookup(c.method, c.route, q, c.version)
		if ok != c.ok || a.Anonymous != c.anon || a.Pattern != c.pattern {
			t.Errorf("%s %s?%s (%s): got %+v ok=%v, want pattern %q anon=%v ok=%v", c.method, c.route, c.query, c.version, a, ok, c.pattern, c.anon, c.ok)
		}
	}
}

func TestPluginWords(t *testing.T) {
	for _, c := range []struct {
		method, route, code string
		want                bool
	}{
		{"GET", "/wp/v2/posts", "rest_not_logged_in", true},
		{"GET", "/wp/v2/posts", "rest_cannot_access", true},
		{"GET", "/", "rest_forbidden", true},
		{"GET", "/wp/v2/categories", "rest_login_required", true},
		{"GET", "/wp/v2/posts/5", "rest_forbidden", false},          // core's own for a draft
		{"GET", "/wp/v2/users/5", "rest_user_cannot_view", false},   // core's own for a user without posts
		{"GET", "/wp/v2/posts", "rest_cookie_invalid_nonce", false}, // core's authentication
		{"GET", "/wp/v2/posts", "jwt_auth_invalid_token", false},    // not core-looking: the plugin names itself
		{"POST", "/wp/v2/posts", "rest_cannot_create", false},       // core refuses anonymous writes
		{"GET", "/wp/v2/settings", "rest_forbidden", false},         // not served anonymously
		{"GET", "/acme/v1/things", "rest_forbidden", false},         // not a core route
		{"GET", "/wp/v2/posts?context=edit", "rest_forbidden_context", false},
	} {
		route, query, _ := strings.Cut(c.route, "?")
		q, _ := url.ParseQuery(query)
		a, ok := Lookup(c.method, route, q, "")
		got := ok && a.PluginWords(c.code)
		if got != c.want {
			t.Errorf("%s %s %s: PluginWords %v, want %v (%+v)", c.method, c.route, c.code, got, c.want, a)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{"6.1.9": "6.1", "7.2-alpha-63338": "7.2", "5.5": "5.5"} {
		if v, ok := ParseVersion(in); !ok || v.String() != want {
			t.Errorf("%q: %v %v", in, v, ok)
		}
	}
	for _, in := range []string{"", "6", "x.y", "1234.1", "-1.2"} {
		if _, ok := ParseVersion(in); ok {
			t.Errorf("%q parsed", in)
		}
	}
}

// TestCodesInCore: every refusal code the table gives a core route is one
// core's REST code really raises (read from the installed WordPress, as
// Debian packages it for the lab; skipped where it is not installed).
func TestCodesInCore(t *testing.T) {
	dir := "/usr/share/wordpress/wp-includes"
	if _, err := os.Stat(filepath.Join(dir, "rest-api")); err != nil {
		t.Skip("WordPress is not installed here (lab/up installs it)")
	}
	var src strings.Builder
	for _, glob := range []string{"rest-api/endpoints/*.php", "rest-api.php", "rest-api/*.php", "class-wp-application-passwords.php", "user.php"} {
		files, _ := filepath.Glob(filepath.Join(dir, glob))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
		}
	}
	all := src.String()
	for _, r := range routes {
		for m, a := range r.methods {
			for _, c := range a.codes {
				if !strings.Contains(all, "'"+c+"'") {
					t.Errorf("%s %s: core never raises %q", m, r.pattern, c)
				}
			}
		}
	}
	for _, c := range authCodes {
		if !strings.Contains(all, "'"+c+"'") {
			t.Errorf("authentication code %q is not core's", c)
		}
	}
}

func cut(route string) (string, url.Values, bool) {
	path, query, found := strings.Cut(route, "?")
	q, _ := url.ParseQuery(query)
	return path, q, found
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
