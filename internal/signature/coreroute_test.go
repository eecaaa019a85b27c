package signature

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestCoreWords: a refusal in core's words on a route core serves to
// anyone is a plugin's ("core would answer 200 here"); core's own refusals
// (a draft, /users/me, an anonymous write, a stale nonce) stay core's.
// Each case is a lab capture of a real WordPress REST error, its code and
// URL changed as a plugin or another request would have them.
func TestCoreWords(t *testing.T) {
	db := mustDB(t)
	notLoggedIn := `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`
	for _, c := range []struct {
		name, base, url, method, body string
		plugin                        bool
		producer                      record.Layer
	}{
		{"not-logged-in-on-posts", "wordpress/rest-not-logged-in-401.http", "https://blog.example/wp-json/wp/v2/posts", "GET", notLoggedIn, true, record.LayerPlugin},
		{"not-logged-in-on-posts-rest-route", "wordpress/rest-not-logged-in-401.http", "https://blog.example/?rest_route=/wp/v2/pages&per_page=5", "GET", notLoggedIn, true, record.LayerPlugin},
		{"forbidden-on-index", "wordpress/rest-forbidden-401.http", "https://blog.example/wp-json/", "GET", "", true, record.LayerPlugin},
		{"cannot-access-on-categories", "wordpress/rest-forbidden-401.http", "https://blog.example/wp-json/wp/v2/categories", "GET",
			`{"code":"rest_cannot_access","message":"Only authenticated users can access the REST API.","data":{"status":401}}`, true, ""},
		{"not-logged-in-on-users-me", "wordpress/rest-not-logged-in-401.http", "https://blog.example/wp-json/wp/v2/users/me", "GET", "", false, record.LayerWordPress},
		{"forbidden-on-draft", "wordpress/rest-forbidden-401.http", "https://blog.example/wp-json/wp/v2/posts/52", "GET", "", false, record.LayerWordPress},
		{"forbidden-on-edit-context", "wordpress/rest-forbidden-401.http", "https://blog.example/wp-json/wp/v2/posts?context=edit", "GET", "", false, record.LayerWordPress},
		{"cannot-create-on-anonymous-write", "wordpress/rest-cannot-create-401.http", "https://blog.example/wp-json/wp/v2/posts", "POST", "", false, record.LayerWordPress},
		{"stale-nonce-on-posts", "wordpress/rest-cookie-invalid-nonce-403.http", "https://blog.example/wp-json/wp/v2/posts", "GET", "", false, record.LayerWordPress},
		{"forbidden-on-plugin-route", "wordpress/rest-forbidden-401.http", "https://blog.example/wp-json/acme/v1/things", "GET", "", false, record.LayerWordPress},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := sample{Name: c.name, Base: c.base}
			if c.body != "" {
				s.Body = &c.body
			}
			_, resp := s.load(t)
			route, _, _ := record.ParseRoute(c.url, "")
			req := &record.HTTPRequest{Method: c.method, URL: c.url, Route: strings.TrimSuffix(route, "")}
			cls := db.Classify(req, resp)
			if cls.CoreWouldServe != c.plugin || !cls.Refusal {
				t.Errorf("core_would_serve %v refusal %v, want %v (reasons %q)", cls.CoreWouldServe, cls.Refusal, c.plugin, cls.Reasons)
			}
			if c.producer != "" && cls.Producer != c.producer {
				t.Errorf("producer %s, want %s", cls.Producer, c.producer)
			}
			said := strings.Contains(strings.Join(cls.Reasons, "\n"), "core would answer 200 here")
			if said != c.plugin {
				t.Errorf("reasons %q; want 'core would answer 200 here' = %v", cls.Reasons, c.plugin)
			}
		})
	}
}
