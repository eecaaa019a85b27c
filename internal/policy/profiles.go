package policy

import (
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// MissingPostID is a post id no site has: saves aimed at it reach
// WordPress's permission check and stop at 404 rest_post_invalid_id, so
// they prove the path is open without changing anything.
const MissingPostID = "999999999"

// EditorSaveBody is what the block editor sends when it saves: block
// comments and markup, which WAFs inspect.
const EditorSaveBody = `{"title":"wp403 policy check","content":"<!-- wp:paragraph -->\n<p>Checking that the block editor can save.</p>\n<!-- /wp:paragraph -->","status":"draft"}`

// benignBody is a harmless update.
const benignBody = `{"title":"wp403 policy check"}`

var profiles = map[string][]Rule{
	"block-editor": {
		allow("load the post type for editing", "GET", "/wp/v2/types/post?context=edit"),
		allow("load the current user", "GET", "/wp/v2/users/me?context=edit"),
		allow("load taxonomies for editing", "GET", "/wp/v2/taxonomies?context=edit"),
		allow("ask which methods posts allow", "OPTIONS", "/wp/v2/posts"),
		save("save a post (POST + X-HTTP-Method-Override: PUT) reaches WordPress", "/wp/v2/posts/"+MissingPostID, EditorSaveBody,
			http.Header{"X-Http-Method-Override": {"PUT"}}),
		save("autosave reaches WordPress", "/wp/v2/posts/"+MissingPostID+"/autosaves", EditorSaveBody, nil),
	},
	"integration": {
		allow("the application password is accepted", "GET", "/wp/v2/users/me/application-passwords/introspect"),
		allow("read the current user", "GET", "/wp/v2/users/me?context=edit"),
		allow("list posts for editing", "GET", "/wp/v2/posts?context=edit&per_page=1"),
		withMethod(save("update a post with PUT reaches WordPress", "/wp/v2/posts/"+MissingPostID, benignBody, nil), "PUT"),
		withMethod(save("delete a post with DELETE reaches WordPress", "/wp/v2/posts/"+MissingPostID, "", nil), "DELETE"),
	},
	"public": {
		allow("the REST index", "GET", "/"),
		allow("list posts", "GET", "/wp/v2/posts?per_page=1"),
	},
}

// hardening are deny rules policy init proposes for anonymous visitors:
// the ones that hold become rules, the others commented suggestions.
var hardening = []Rule{
	deny("anonymous visitors cannot list users", "GET", "/wp/v2/users"),
	deny("anonymous visitors cannot read the settings", "GET", "/wp/v2/settings"),
	deny("anonymous visitors are not a logged-in user", "GET", "/wp/v2/users/me"),
	deny("anonymous visitors cannot read drafts for editing", "GET", "/wp/v2/posts?context=edit"),
}

// ProfileNames lists the built-in profiles, sorted.
func ProfileNames() []string { return []string{"block-editor", "integration", "public"} }

// Profile returns a copy of a built-in profile's rules, named
// "profile: what the rule checks", without identities.
func Profile(name string) []Rule {
	var out []Rule
	for _, r := range profiles[name] {
		r.Name = name + ": " + r.Name
		r.Methods = append([]string(nil), r.Methods...)
		r.Header = r.Header.Clone()
		out = append(out, r)
	}
	return out
}

// Hardening returns a copy of the anonymous hardening rules.
func Hardening() []Rule {
	out := make([]Rule, len(hardening))
	for i, r := range hardening {
		r.Name = "hardening: " + r.Name
		r.Methods = append([]string(nil), r.Methods...)
		out[i] = r
	}
	return out
}

func allow(name, method, route string) Rule {
	return Rule{Name: name, Route: route, Methods: []string{method}, Expect: record.ExpectAllow}
}

func deny(name, method, route string) Rule {
	r := allow(name, method, route)
	r.Expect = record.ExpectDeny
	return r
}

func save(name, route, body string, h http.Header) Rule {
	r := allow(name, "POST", route)
	r.Reach, r.Header, r.Body = ReachWordPress, h, body
	if body != "" {
		r.ContentType = "application/json"
	}
	return r
}

func withMethod(r Rule, m string) Rule {
	r.Methods = []string{strings.ToUpper(m)}
	return r
}
