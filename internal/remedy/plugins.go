package remedy

import "strings"

// pluginSettings names the screen and setting of known plugins, per kind of
// fix: "rest" (REST restriction), "app-passwords", "cache".
var pluginSettings = map[string]map[string]string{
	"disable-json-api": {
		"rest": "Settings → Disable REST API: pick the requesting role and tick this route (DRA allows routes per role)",
	},
	"disable-wp-rest-api": {
		"rest": "it refuses logged-out requests only and has no settings: send credentials (an application password)",
	},
	"perfmatters": {
		"rest": "Perfmatters → General → Disable REST API: \"Disable When Logged Out\" instead of \"Disable for Non-Admins\", and authenticate the request",
	},
	"ithemes-security": {
		"rest":          "Security → Settings → Advanced → WordPress Tweaks → REST API: \"Default Access\" instead of \"Restricted Access\"",
		"app-passwords": "Security → Settings → Advanced → WordPress Tweaks: allow application passwords",
	},
	"all-in-one-wp-security": {
		"rest": "WP Security → Firewall → untick \"Disallow unauthorized REST requests\", or add the route to its REST whitelist where the version has one",
	},
	"wordfence": {
		"rest":          "Wordfence → All Options → Brute Force Protection: \"Prevent discovery of usernames through … the WordPress REST API\" blocks /wp/v2/users only",
		"app-passwords": "Wordfence → Login Security → Settings: untick \"Disable WordPress application passwords\"",
	},
	"wp-rocket":             {"cache": "WP Rocket → Advanced Rules → Never cache URL(s): /wp-admin/(.*); and Cache → untick \"Enable caching for logged-in WordPress users\""},
	"w3-total-cache":        {"cache": "Performance → Page Cache: tick \"Don't cache pages for logged in users\""},
	"litespeed-cache":       {"cache": "LiteSpeed Cache → Cache → Cache Logged-in Users: OFF"},
	"wp-super-cache":        {"cache": "Settings → WP Super Cache → Advanced: tick \"Disable caching for logged in visitors\""},
	"really-simple-ssl":     {"rest": "Really Simple Security → Settings → Hardening: untick \"Prevent user enumeration\" only if /wp/v2/users is needed"},
	"solid-security":        {"rest": "Security → Settings → Advanced → WordPress Tweaks → REST API: \"Default Access\""},
	"kadence-security":      {"rest": "Security → Settings → Advanced → WordPress Tweaks → REST API: \"Default Access\""},
	"disable-rest-api-soil": {"rest": "remove add_theme_support('soil', ['disable-rest-api']) from the theme"},
}

// pluginSetting says where the fix is, for a plugin slug or vendor name.
func pluginSetting(plugin, kind string) string {
	p := strings.ToLower(strings.ReplaceAll(plugin, " ", "-"))
	for slug, kinds := range pluginSettings {
		if p != "" && (strings.Contains(p, slug) || strings.Contains(slug, p)) {
			if s, ok := kinds[kind]; ok {
				return s
			}
		}
	}
	switch kind {
	case "cache":
		return "the page-cache plugin's settings: never cache /wp-admin/ and do not cache pages for logged-in users"
	case "app-passwords":
		return "the plugin's security or login settings: the option that disables application passwords"
	}
	return "the plugin's settings for REST API access (per route or role)"
}
