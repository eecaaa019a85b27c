package remedy

import (
	"fmt"
	"net/url"

	"github.com/wp403/wp403/internal/record"
)

func rewrite(f *record.Finding, c Context) []record.Remedy {
	var out []record.Remedy
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			out = append(out, record.Remedy{
				Layer: record.LayerServer, Product: "nginx", Narrow: true,
				Title:   "Send pretty permalinks, including " + c.RESTPrefix + "/, to index.php",
				Scope:   "only URLs that match no file or directory reach WordPress, which is how its permalinks work.",
				Snippet: "location / {\n    try_files $uri $uri/ /index.php$is_args$args;\n}\n",
				Where:   "the site's server { } block (replace a try_files that ends in =404 or drops $args)",
				Caveat:  "`/index.php?$args` loses nothing either; `=404` or a missing fallback makes " + c.RESTPrefix + "/ answer 404.",
			})
			continue
		}
		out = append(out, record.Remedy{
			Layer: record.LayerServer, Product: c.apacheProduct(), Narrow: true,
			Title: "Restore WordPress's rewrite rules",
			Scope: "only URLs that match no file or directory reach WordPress.",
			Snippet: `# BEGIN WordPress
<IfModule mod_rewrite.c>
RewriteEngine On
RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]
RewriteBase /
RewriteRule ^index\.php$ - [L]
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule . /index.php [L]
</IfModule>
# END WordPress
`,
			Where:  ".htaccess in the WordPress root (Settings → Permalinks → Save writes it when the file is writable); needs mod_rewrite and AllowOverride FileInfo",
			Caveat: "for a subdirectory install use its RewriteBase and /dir/index.php.",
		})
	}
	return append(out, record.Remedy{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title:   "Meanwhile, use the ?rest_route= form",
		Scope:   "no server change.",
		Snippet: fmt.Sprintf("%s/?rest_route=%s\n", c.home(), c.Route),
	})
}

func redirect(f *record.Finding, c Context) []record.Remedy {
	// Only the scheme and host of an absolute Location (validated by
	// sanitize) go into the snippet; a relative one is named in the caveat.
	target, base := "", ""
	if u, err := url.Parse(c.Location); err == nil && u.Host != "" {
		target = u.Scheme + "://" + u.Host
		base = target
	} else if err == nil {
		target = u.Path // its query may be anything: not repeated
	}
	client := record.Remedy{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title: "Call the URL the site redirects to",
		Scope: "no server change; a redirect turns POST into GET and drops Authorization across hosts.",
		Caveat: "the redirect went to " + orDefault(target, "another URL") +
			"; use that scheme and host (and no trailing-slash change) in the client's base URL.",
	}
	if base != "" {
		client.Snippet = base + c.RESTPrefix + c.Route + "\n"
	}
	out := []record.Remedy{client}
	if c.Home != "" || c.SiteURL != "" {
		out = append(out, canonical(f, c)...)
	}
	return out
}

func handler(f *record.Finding, c Context) []record.Remedy {
	var out []record.Remedy
	if c.Auth == record.AuthAppPassword {
		// Credentials that never reach WordPress: the handler drops the header.
		out = headerStripped(f, c)
	}
	for _, fl := range c.flavours() {
		if fl == "nginx" {
			out = append(out, record.Remedy{
				Layer: record.LayerPHP, Product: "nginx + PHP-FPM", Narrow: true,
				Title: "Route REST requests to index.php, and only .php files to PHP-FPM",
				Scope: "only requests WordPress handles reach PHP.",
				Snippet: `location / {
    try_files $uri $uri/ /index.php$is_args$args;
}
location ~ \.php$ {
    try_files $uri =404;
    include fastcgi_params;
    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    fastcgi_pass unix:/run/php/php-fpm.sock;
}
`,
				Where:  "the site's server { } block; keep your own fastcgi_pass address",
				Caveat: "PHP-FPM answers 403 \"Access denied.\" when asked to run a script that does not end in .php (security.limit_extensions); keep that setting, fix the routing.",
			})
			continue
		}
		out = append(out, record.Remedy{
			Layer: record.LayerPHP, Product: c.apacheProduct() + " + PHP", Narrow: true,
			Title: "Hand only .php files to PHP",
			Scope: "only requests WordPress handles reach PHP.",
			Snippet: `<FilesMatch "\.php$">
    SetHandler "proxy:unix:/run/php/php-fpm.sock|fcgi://localhost/"
</FilesMatch>
`,
			Where:  "the virtual host; keep your own socket path, and WordPress's rewrite rules in .htaccess",
			Caveat: "a handler set for the whole directory makes PHP refuse non-.php paths.",
		})
	}
	return out
}
