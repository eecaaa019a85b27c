package remedy

import (
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// capFor maps a core REST error code to the capability it checks.
var capFor = map[string]string{
	"rest_cannot_create":      "edit_posts",
	"rest_cannot_edit":        "edit_posts",
	"rest_cannot_edit_others": "edit_others_posts",
	"rest_cannot_publish":     "publish_posts",
	"rest_cannot_delete":      "delete_posts",
	"rest_cannot_assign_term": "assign_terms (or the taxonomy's assign capability)",
	"rest_forbidden_context":  "edit_posts",
	"rest_cannot_create_user": "create_users",
	"rest_cannot_view":        "list_users",
	"rest_cannot_manage":      "manage_options",
}

func permission(f *record.Finding, c Context) []record.Remedy {
	capName, ok := capFor[c.Code]
	r := record.Remedy{
		Layer: record.LayerWordPress, Product: "WordPress roles", Narrow: true,
		Title: "Use an account whose role has the capability",
		Scope: "this one user; the role and everyone else are unchanged.",
		Where: "Users → the user → Role, or WP-CLI",
		Caveat: "prefer a user with the right role over widening a role; a role-editor plugin or a map_meta_cap filter " +
			"may have removed the capability from the role.",
	}
	if ok && strings.HasPrefix(c.Route, "/wp/v2/pages") {
		capName = strings.Replace(capName, "_posts", "_pages", 1) // pages have their own capabilities
	}
	if ok {
		r.Title = "Grant " + capName + " to the user, or use a user whose role has it"
		r.Snippet = "wp user add-cap USER " + quote.Shell(firstWord(capName)) + "\n"
	} else {
		r.Caveat = fmt.Sprintf("the error code %q names the check in the route's permission_callback. ", c.Code) + r.Caveat
	}
	return []record.Remedy{r}
}

func firstWord(s string) string {
	for i, ch := range s {
		if ch == ' ' {
			return s[:i]
		}
	}
	return s
}

func appPasswordsOff(f *record.Finding, c Context) []record.Remedy {
	out := []record.Remedy{{
		Layer: record.LayerWordPress, Product: "WordPress (wp-config.php)", Narrow: true,
		Title: "Let WordPress see HTTPS behind the proxy",
		Scope: "only requests the proxy marks as HTTPS count as HTTPS; application passwords need that.",
		Snippet: `if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && $_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https') {
    $_SERVER['HTTPS'] = 'on';
}
`,
		Where:  "wp-config.php, above the \"That's all, stop editing!\" line",
		Caveat: "only when the proxy always sets or overwrites X-Forwarded-Proto (a client could send it otherwise).",
	}}
	if c.Plugin != "" {
		out = append([]record.Remedy{{
			Layer: record.LayerPlugin, Product: c.Plugin, Narrow: true,
			Title:  "Re-enable application passwords in " + c.Plugin,
			Scope:  "application passwords only; the plugin's other protections stay.",
			Where:  pluginSetting(c.Plugin, "app-passwords"),
			Caveat: "the plugin switches them off with the wp_is_application_passwords_available filter.",
		}}, out...)
	}
	return out
}

func credentials(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title:   "Send the user name and an application password, and no cookies",
		Scope:   "no server change.",
		Snippet: "curl -u 'USER:xxxx xxxx xxxx xxxx xxxx xxxx' " + quote.Shell(c.RESTPrefix+c.Route) + "\n",
		Caveat: "the login password does not work for REST Basic auth; a wordpress_logged_in_ cookie without a nonce makes " +
			"WordPress ignore the Basic credentials; WordPress answers a wrong password like a missing one (401 rest_not_logged_in).",
	}}
}

func nonce(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerClient, Product: "browser / REST client", Narrow: true,
		Title:   "Send a fresh nonce with the cookie",
		Scope:   "no server change.",
		Snippet: "X-WP-Nonce: <wpApiSettings.nonce, or the body of /wp-admin/admin-ajax.php?action=rest-nonce>\n",
		Caveat: "nonces last 12–24 h and change on re-login; the editor refreshes it via admin-ajax rest-nonce. " +
			"Integrations should use an application password instead of cookies.",
	}, {
		Layer: record.LayerPlugin, Product: orDefault(c.Plugin, "page cache"), Narrow: true,
		Title: "Do not cache wp-admin or pages for logged-in users",
		Scope: "cached pages carry someone else's stale nonce; excluding logged-in users keeps caching for visitors.",
		Where: pluginSetting(c.Plugin, "cache"),
	}}
}

func restDisabled(f *record.Finding, c Context) []record.Remedy {
	if c.Plugin == "" {
		return []record.Remedy{{
			Layer: record.LayerPlugin, Product: "unidentified plugin", Narrow: true,
			Title:   "Find the plugin that returns " + orDefault(c.Code, "this error") + " and allow " + c.routeDesc() + " there",
			Scope:   "that plugin's REST restriction for this route or role only.",
			Snippet: "grep -rn -- " + quote.Shell(orDefault(c.Code, "rest_authentication_errors")) + " wp-content/plugins wp-content/mu-plugins wp-content/themes\n",
			Caveat:  "do not disable the REST API restriction altogether; most plugins allow single routes or roles.",
		}}
	}
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: c.Plugin, Narrow: true,
		Title:  "Allow " + c.routeDesc() + " in " + c.Plugin,
		Scope:  "this route or the requesting role only; the restriction stays for everyone else.",
		Where:  pluginSetting(c.Plugin, "rest"),
		Caveat: "if the plugin has no per-route setting, authenticate the request (application password): most restrict anonymous requests only.",
	}}
}

func canonical(f *record.Finding, c Context) []record.Remedy {
	want := orDefault(c.URL, "the URL your visitors use")
	return []record.Remedy{{
		Layer: record.LayerWordPress, Product: "WordPress settings", Narrow: true,
		Title:   "Make home and siteurl match the URL used",
		Scope:   fmt.Sprintf("home=%q siteurl=%q; cookies, nonces and redirects follow them.", c.Home, c.SiteURL),
		Snippet: "wp option update home " + quote.Shell(want) + "\nwp option update siteurl " + quote.Shell(want) + "\n",
		Where:   "Settings → General (WordPress Address and Site Address), or WP_HOME/WP_SITEURL in wp-config.php",
		Caveat:  "or point the client at the canonical URL instead; log in again afterwards.",
	}}
}
