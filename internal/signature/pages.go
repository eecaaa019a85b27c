package signature

// PageShapes names every value Classify puts in record.Class.Page, with
// what it means. Signature files may only use these names.
var PageShapes = map[string]string{
	"stock-nginx":     "nginx's built-in error page (also OpenResty, Tengine, Cloudflare's and Azure Application Gateway's own errors, by footer)",
	"stock-apache":    "Apache httpd's built-in error document",
	"stock-haproxy":   "HAProxy's built-in error page",
	"stock-litespeed": "LiteSpeed's built-in error page",
	"stock-iis":       "IIS's built-in error page",
	"stock-varnish":   "Varnish's built-in synthetic error (Guru Meditation)",
	"stock-envoy":     "an Envoy local reply (RBAC denial, no healthy upstream)",
	"stock-php-fpm":   "php-fpm's own plain answer (Access denied., File not found.)",
	"stock-other":     "another proxy's or load balancer's own error page",
	"vendor-page":     "a branded block page of a CDN, WAF, host or plugin",
	"challenge-page":  "a bot challenge or CAPTCHA page",
	"wp-die-html":     "WordPress's wp_die() HTML page",
	"wordpress-html":  "a WordPress theme page (front page, theme 404)",
	"plugin-page":     "an error page that loads one plugin's assets (/wp-content/plugins/<slug>/): that plugin's own page",
	"php-page":        "an HTML page written by PHP that is not a WordPress page",
	"custom-html":     "any other HTML page",
	"json":            "a JSON body (WordPress's REST answers, WP_Error, other JSON)",
	"text":            "a non-HTML, non-JSON body",
	"empty":           "no body",
}
