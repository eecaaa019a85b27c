package wpcore

// route is one core route pattern: segments, where "{id}" matches a
// number, "{slug}" any one segment and "{any}" the rest of the path.
type route struct {
	pattern string
	since   Version // the WordPress version that added it
	methods map[string]access
}

// access is what core does with one method on a route.
type access struct {
	anon  bool     // core answers a request without credentials (view context)
	codes []string // the codes core's permission callback refuses with (401 anonymous, 403 logged in)
	note  string
}

var (
	read     = map[string]access{"GET": {anon: true, codes: []string{"rest_forbidden_context"}}}
	readOnly = access{anon: true, codes: []string{"rest_forbidden_context"}}
)

// postsLike are the routes of a public post type (posts, pages, media):
// anyone reads published items; writing needs the capability.
func postsLike(base string, since Version) []route {
	return []route{
		{base, since, map[string]access{
			"GET":  readOnly,
			"POST": {codes: []string{"rest_cannot_create", "rest_cannot_edit_others", "rest_cannot_publish", "rest_cannot_assign_term"}},
		}},
		{base + "/{id}", since, map[string]access{
			"GET":    {anon: true, codes: []string{"rest_forbidden_context", "rest_post_incorrect_password", "rest_forbidden"}, note: "a published item; a draft, private or trashed one is refused (rest_forbidden) or not found"},
			"POST":   {codes: []string{"rest_cannot_edit", "rest_cannot_publish"}},
			"PUT":    {codes: []string{"rest_cannot_edit", "rest_cannot_publish"}},
			"PATCH":  {codes: []string{"rest_cannot_edit", "rest_cannot_publish"}},
			"DELETE": {codes: []string{"rest_cannot_delete"}},
		}},
		{base + "/{id}/revisions", since, map[string]access{"GET": {codes: []string{"rest_cannot_read"}}}},
		{base + "/{id}/autosaves", V(5, 0), map[string]access{"GET": {codes: []string{"rest_cannot_read"}}, "POST": {codes: []string{"rest_cannot_edit"}}}},
	}
}

// termsLike are the routes of a public taxonomy (categories, tags).
func termsLike(base string) []route {
	w := access{codes: []string{"rest_cannot_create", "rest_cannot_update", "rest_cannot_delete"}}
	return []route{
		{base, V(4, 7), map[string]access{"GET": readOnly, "POST": w}},
		{base + "/{id}", V(4, 7), map[string]access{"GET": readOnly, "POST": w, "PUT": w, "PATCH": w, "DELETE": w}},
	}
}

// closed is a route core refuses to anonymous visitors with code.
func closed(pattern string, since Version, codes ...string) route {
	a := access{codes: codes}
	return route{pattern, since, map[string]access{"GET": a, "POST": a, "PUT": a, "PATCH": a, "DELETE": a}}
}

// routes is core's REST surface as far as refusals go.
var routes = func() []route {
	rs := []route{
		{"/", V(4, 7), read},
		{"/wp/v2", V(4, 7), read},
		{"/oembed/1.0", V(4, 4), read},
		{"/oembed/1.0/embed", V(4, 4), read},
		{"/oembed/1.0/proxy", V(4, 8), map[string]access{"GET": {codes: []string{"rest_forbidden"}}}},
		{"/wp/v2/types", V(4, 7), read},
		{"/wp/v2/types/{slug}", V(4, 7), read},
		{"/wp/v2/taxonomies", V(4, 7), read},
		{"/wp/v2/taxonomies/{slug}", V(4, 7), read},
		{"/wp/v2/statuses", V(4, 7), read},
		{"/wp/v2/statuses/{slug}", V(4, 7), map[string]access{"GET": {anon: true, codes: []string{"rest_cannot_read_status"}, note: "public statuses only"}}},
		{"/wp/v2/search", V(5, 0), read},
		{"/wp/v2/comments", V(4, 7), map[string]access{
			"GET":  readOnly,
			"POST": {codes: []string{"rest_comment_login_required"}, note: "anonymous comments need the rest_allow_anonymous_comments filter"},
		}},
		{"/wp/v2/comments/{id}", V(4, 7), map[string]access{
			"GET":    {anon: true, codes: []string{"rest_forbidden_context", "rest_cannot_read"}, note: "an approved comment on a readable post"},
			"POST":   {codes: []string{"rest_cannot_edit"}},
			"PUT":    {codes: []string{"rest_cannot_edit"}},
			"PATCH":  {codes: []string{"rest_cannot_edit"}},
			"DELETE": {codes: []string{"rest_cannot_delete"}},
		}},
		{"/wp/v2/users", V(4, 7), map[string]access{
			"GET":  {anon: true, codes: []string{"rest_forbidden_context"}, note: "anonymous visitors see the users who have published posts; roles, who, capabilities or orderby=email|registered_date need list_users"},
			"POST": {codes: []string{"rest_cannot_create_user"}},
		}},
		{"/wp/v2/users/me", V(4, 7), map[string]access{"GET": {codes: []string{"rest_not_logged_in"}}, "POST": {codes: []string{"rest_not_logged_in"}}, "DELETE": {codes: []string{"rest_not_logged_in"}}}},
		{"/wp/v2/users/{id}", V(4, 7), map[string]access{
			"GET":    {anon: true, codes: []string{"rest_forbidden_context", "rest_user_cannot_view"}, note: "a user who has published posts; others are refused (rest_user_cannot_view)"},
			"POST":   {codes: []string{"rest_cannot_edit"}},
			"PUT":    {codes: []string{"rest_cannot_edit"}},
			"PATCH":  {codes: []string{"rest_cannot_edit"}},
			"DELETE": {codes: []string{"rest_user_cannot_delete"}},
		}},
		closed("/wp/v2/users/{slug}/application-passwords", V(5, 6), "rest_not_logged_in", "rest_cannot_manage_application_passwords", "application_passwords_disabled"),
		closed("/wp/v2/users/{slug}/application-passwords/{any}", V(5, 6), "rest_not_logged_in", "rest_cannot_manage_application_passwords", "rest_cannot_introspect_app_password_for_non_authenticated_user"),
		closed("/wp/v2/settings", V(4, 7), "rest_forbidden"),
		closed("/wp/v2/plugins", V(5, 5), "rest_cannot_view_plugins", "rest_cannot_install_plugin"),
		closed("/wp/v2/plugins/{any}", V(5, 5), "rest_cannot_view_plugin", "rest_cannot_manage_plugins"),
		closed("/wp/v2/themes", V(5, 0), "rest_cannot_view_themes"),
		closed("/wp/v2/themes/{any}", V(5, 7), "rest_cannot_view_themes", "rest_cannot_view_active_theme"),
		closed("/wp/v2/block-types", V(5, 5), "rest_block_type_cannot_view"),
		closed("/wp/v2/block-types/{any}", V(5, 5), "rest_block_type_cannot_view"),
		closed("/wp/v2/block-renderer/{any}", V(5, 0), "block_cannot_read"),
		closed("/wp/v2/block-directory/search", V(5, 5), "rest_block_directory_cannot_view"),
		closed("/wp/v2/pattern-directory/patterns", V(5, 8), "rest_pattern_directory_cannot_view"),
		closed("/wp/v2/block-patterns/patterns", V(6, 0), "rest_cannot_view"),
		closed("/wp/v2/block-patterns/categories", V(6, 0), "rest_cannot_view"),
		closed("/wp/v2/sidebars", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/sidebars/{any}", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/widgets", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/widgets/{any}", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/widget-types", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/widget-types/{any}", V(5, 8), "rest_cannot_manage_widgets"),
		closed("/wp/v2/templates", V(5, 8), "rest_cannot_manage_templates"),
		closed("/wp/v2/templates/{any}", V(5, 8), "rest_cannot_manage_templates"),
		closed("/wp/v2/template-parts", V(5, 9), "rest_cannot_manage_templates"),
		closed("/wp/v2/template-parts/{any}", V(5, 9), "rest_cannot_manage_templates"),
		closed("/wp/v2/global-styles/{any}", V(5, 9), "rest_cannot_view", "rest_cannot_manage_global_styles", "rest_cannot_edit"),
		closed("/wp/v2/menus", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/menus/{any}", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/menu-items", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/menu-items/{any}", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/menu-locations", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/menu-locations/{any}", V(5, 9), "rest_cannot_view"),
		closed("/wp/v2/url-details", V(5, 9), "rest_cannot_view_url_details"),
		closed("/wp-site-health/v1/{any}", V(5, 6), "rest_forbidden"),
		closed("/wp-block-editor/v1/{any}", V(5, 8), "rest_forbidden", "rest_cannot_view_url_details"),
	}
	rs = append(rs, postsLike("/wp/v2/posts", V(4, 7))...)
	rs = append(rs, postsLike("/wp/v2/pages", V(4, 7))...)
	rs = append(rs, route{"/wp/v2/media", V(4, 7), map[string]access{"GET": readOnly, "POST": {codes: []string{"rest_cannot_create"}}}},
		route{"/wp/v2/media/{id}", V(4, 7), map[string]access{
			"GET":    {anon: true, codes: []string{"rest_forbidden_context", "rest_forbidden"}, note: "an attachment of a readable post"},
			"POST":   {codes: []string{"rest_cannot_edit"}},
			"DELETE": {codes: []string{"rest_cannot_delete"}},
		}})
	rs = append(rs, termsLike("/wp/v2/categories")...)
	return append(rs, termsLike("/wp/v2/tags")...)
}()
