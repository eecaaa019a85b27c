package waf

import (
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
)

// CorpusCase is one legitimate request WordPress, its editors or a common
// plugin sends, which the CRS may refuse at some paranoia level. The
// corpus is shared with the exclusion test of package waf_test.
type CorpusCase struct {
	Name   string
	Method string
	Target string // as sent: path, query, install prefix
	Kind   string // "rest" (JSON, nonce), "form" (urlencoded), "multipart", "raw" (Body with ContentType), "get"
	Body   string // JSON text, urlencoded form, raw bytes, or "name=value\n" lines for multipart
	CType  string // for Kind "raw"
	Extra  []Field
}

const (
	firefox   = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	loginCook = "wordpress_logged_in_5c1f3a0e9d2b=lab-editor%7C1764892800%7CqZ3xW8mK2vT9nR4pL6sY1hJ0dF5gB7cV%7C1b9e4c2a7f3d8e6b0c5a9f1d2e4b6c8a; wp-settings-time-2=1764720000"
	nonce     = "8f2c1e7b5a"
)

// Raw renders the case as the browser would send it, Content-Length and all.
func (c CorpusCase) Raw() string {
	body, ctype := c.Body, ""
	accept := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	extra := []Field{{"Cookie", loginCook}}
	switch c.Kind {
	case "rest":
		ctype, accept = "application/json", "application/json, */*;q=0.1"
		extra = append(extra, Field{"X-WP-Nonce", nonce})
	case "form":
		ctype = "application/x-www-form-urlencoded; charset=UTF-8"
	case "multipart":
		body, ctype = multipartBody(c.Body)
	case "raw":
		ctype = c.CType
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: blog.example.org\r\nUser-Agent: %s\r\nAccept: %s\r\n", c.Method, c.Target, firefox, accept)
	b.WriteString("Accept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n")
	b.WriteString("Referer: https://blog.example.org/wp-admin/\r\nOrigin: https://blog.example.org\r\n")
	for _, f := range append(extra, c.Extra...) {
		fmt.Fprintf(&b, "%s: %s\r\n", f.Name, f.Value)
	}
	if ctype != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", ctype)
	}
	if body != "" || c.Method == "POST" || c.Method == "PUT" || c.Method == "PATCH" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	return b.String()
}

// multipartBody encodes "name=value" lines; "file:name=filename:content" is a file part.
func multipartBody(spec string) (string, string) {
	var b strings.Builder
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary("----geckoformboundary7f3a9c2e1b")
	for _, line := range strings.Split(spec, "\n") {
		name, value, _ := strings.Cut(line, "=")
		if fname, ok := strings.CutPrefix(name, "file:"); ok {
			file, content, _ := strings.Cut(value, ":")
			pw, _ := w.CreateFormFile(fname, file)
			_, _ = pw.Write([]byte(content))
			continue
		}
		_ = w.WriteField(name, value)
	}
	_ = w.Close()
	return b.String(), w.FormDataContentType()
}

func form(kv ...string) string {
	v := url.Values{}
	var keys []string
	for i := 0; i+1 < len(kv); i += 2 {
		if !v.Has(kv[i]) {
			keys = append(keys, kv[i])
		}
		v.Add(kv[i], kv[i+1])
	}
	var parts []string
	for _, k := range keys {
		for _, x := range v[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(x))
		}
	}
	return strings.Join(parts, "&")
}

// Block markup the editors send.
const (
	para      = `<!-- wp:paragraph -->\n<p>We moved the meeting to Thursday; bring the slides.</p>\n<!-- /wp:paragraph -->`
	heading   = `<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">What's new in 2.0</h3>\n<!-- /wp:heading -->`
	listBlock = `<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>Faster search</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->`
	image     = `<!-- wp:image {\"id\":42,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"https://blog.example.org/wp-content/uploads/2026/11/team.jpg\" alt=\"The team\" class=\"wp-image-42\"/></figure>\n<!-- /wp:image -->`
	embed     = `<!-- wp:html -->\n<iframe width=\"560\" height=\"315\" src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"YouTube video player\" frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; encrypted-media\" allowfullscreen></iframe>\n<!-- /wp:html -->`
	styled    = `<!-- wp:paragraph {\"style\":{\"color\":{\"text\":\"#cf2e2e\"}}} -->\n<p class=\"has-text-color\" style=\"color:#cf2e2e;font-size:18px\">Sale ends Friday!</p>\n<!-- /wp:paragraph -->`
	code      = `<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>SELECT post_title FROM wp_posts WHERE post_status = 'publish' ORDER BY post_date DESC LIMIT 5;</code></pre>\n<!-- /wp:code -->`
	shell     = `<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>sudo systemctl restart php8.2-fpm &amp;&amp; tail -f /var/log/nginx/error.log</code></pre>\n<!-- /wp:code -->`
	cols      = `<!-- wp:columns -->\n<div class=\"wp-block-columns\"><!-- wp:column -->\n<div class=\"wp-block-column\"><!-- wp:paragraph -->\n<p>Left</p>\n<!-- /wp:paragraph --></div>\n<!-- /wp:column --></div>\n<!-- /wp:columns -->`
	header    = `<!-- wp:group {\"tagName\":\"header\",\"layout\":{\"type\":\"constrained\"}} -->\n<header class=\"wp-block-group\"><!-- wp:site-title /-->\n<!-- wp:navigation {\"ref\":15} /--></header>\n<!-- /wp:group -->`
	navLinks  = `<!-- wp:navigation-link {\"label\":\"About\",\"type\":\"page\",\"id\":7,\"url\":\"https://blog.example.org/about/\",\"kind\":\"post-type\"} /-->\n<!-- wp:navigation-link {\"label\":\"Contact\",\"url\":\"/contact/\",\"kind\":\"custom\"} /-->`
	query     = `<!-- wp:query {\"queryId\":1,\"query\":{\"perPage\":10,\"postType\":\"post\",\"order\":\"desc\",\"orderBy\":\"date\"}} -->\n<div class=\"wp-block-query\"><!-- wp:post-template -->\n<!-- wp:post-title {\"isLink\":true} /-->\n<!-- /wp:post-template --></div>\n<!-- /wp:query -->`
)

func save(content string) string {
	return `{"id":12,"title":"Release notes","content":"` + content + `","status":"publish"}`
}

func content(c string) string { return `{"content":"` + c + `"}` }

// WPCorpus is the corpus: REST and non-REST, editors, Site Editor,
// widgets, navigation, comments, login, admin-ajax actions of common
// plugins, media, application passwords, ?rest_route= and subdirectory
// installs.
var WPCorpus = []CorpusCase{
	// Block editor saves.
	{Name: "editor-save-paragraph", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(para)},
	{Name: "editor-save-heading-list", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(heading + `\n\n` + listBlock)},
	{Name: "editor-new-post", Method: "POST", Target: "/wp-json/wp/v2/posts?_locale=user", Kind: "rest", Body: `{"title":"Draft","content":"` + para + `","status":"draft"}`},
	{Name: "editor-autosave", Method: "POST", Target: "/wp-json/wp/v2/posts/12/autosaves?_locale=user", Kind: "rest", Body: `{"id":12,"title":"Release notes","excerpt":"","content":"` + para + `"}`},
	{Name: "editor-image", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(image)},
	{Name: "editor-embed-iframe", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(embed)},
	{Name: "editor-inline-style", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(styled)},
	{Name: "editor-code-sql", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(code)},
	{Name: "editor-code-shell", Method: "POST", Target: "/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(shell)},
	{Name: "editor-page-columns", Method: "POST", Target: "/wp-json/wp/v2/pages/7?_locale=user", Kind: "rest", Body: save(cols)},
	{Name: "editor-reusable-block", Method: "POST", Target: "/wp-json/wp/v2/blocks/31?_locale=user", Kind: "rest", Body: `{"id":31,"title":"Newsletter signup","content":"` + para + `"}`},
	{Name: "editor-put-post", Method: "PUT", Target: "/wp-json/wp/v2/posts/12", Kind: "rest", Body: save(para)},
	{Name: "editor-patch-meta", Method: "PATCH", Target: "/wp-json/wp/v2/posts/12", Kind: "rest", Body: `{"meta":{"footnotes":"[{\"content\":\"See the <a href=\\\"https://example.com/docs\\\">docs</a>\",\"id\":\"f1\"}]"}}`},
	{Name: "editor-delete-post", Method: "DELETE", Target: "/wp-json/wp/v2/posts/12?force=true", Kind: "rest"},
	{Name: "editor-method-override", Method: "POST", Target: "/wp-json/wp/v2/posts/12", Kind: "rest", Body: `{"title":"x"}`, Extra: []Field{{"X-HTTP-Method-Override", "PUT"}}},
	{Name: "editor-query-loop", Method: "POST", Target: "/wp-json/wp/v2/pages/7?_locale=user", Kind: "rest", Body: save(query)},
	{Name: "editor-search-sql-words", Method: "GET", Target: "/wp-json/wp/v2/search?search=select%20the%20best%20union%20plan&per_page=20&_locale=user", Kind: "get"},
	// Site Editor, global styles, navigation, widgets.
	{Name: "site-editor-template", Method: "POST", Target: "/wp-json/wp/v2/templates/twentytwentythree//home?_locale=user", Kind: "rest", Body: `{"id":"twentytwentythree//home","content":"` + query + `"}`},
	{Name: "site-editor-template-part", Method: "POST", Target: "/wp-json/wp/v2/template-parts/twentytwentythree//header?_locale=user", Kind: "rest", Body: `{"id":"twentytwentythree//header","content":"` + header + `"}`},
	{Name: "site-editor-global-styles", Method: "POST", Target: "/wp-json/wp/v2/global-styles/88?_locale=user", Kind: "rest", Body: `{"id":88,"styles":{"color":{"background":"var(--wp--preset--color--base)"},"css":".wp-block-button a:hover{filter:brightness(0.9)}"},"settings":{}}`},
	{Name: "navigation-save", Method: "POST", Target: "/wp-json/wp/v2/navigation/15?_locale=user", Kind: "rest", Body: `{"id":15,"content":"` + navLinks + `"}`},
	{Name: "widgets-put-block", Method: "PUT", Target: "/wp-json/wp/v2/widgets/block-2?_locale=user", Kind: "rest", Body: `{"id":"block-2","sidebar":"sidebar-1","instance":{"raw":{"content":"` + para + `"}}}`},
	{Name: "widgets-new-block", Method: "POST", Target: "/wp-json/wp/v2/widgets?_locale=user", Kind: "rest", Body: `{"id_base":"block","sidebar":"sidebar-1","instance":{"raw":{"content":"` + embed + `"}}}`},
	{Name: "sidebars-reorder", Method: "PUT", Target: "/wp-json/wp/v2/sidebars/sidebar-1?_locale=user", Kind: "rest", Body: `{"widgets":["block-2","block-3"]}`},
	// Comments.
	{Name: "rest-comment-code", Method: "POST", Target: "/wp-json/wp/v2/comments?_locale=user", Kind: "rest", Body: `{"post":12,"content":"Try: SELECT * FROM wp_options WHERE option_name = 'siteurl'; then clear the cache."}`},
	{Name: "rest-comment-reply-html", Method: "POST", Target: "/wp-json/wp/v2/comments?_locale=user", Kind: "rest", Body: `{"post":12,"parent":3,"content":"<!-- wp:paragraph --><p>Thanks, fixed in 2.0.1</p><!-- /wp:paragraph -->"}`},
	{Name: "comment-form-sql", Method: "POST", Target: "/wp-comments-post.php", Kind: "form", Body: form("comment", "Your query needs an index: SELECT id FROM orders WHERE customer_id = 42 AND status = 'paid' ORDER BY created DESC", "author", "Dana O'Neil", "email", "dana@example.com", "url", "", "submit", "Post Comment", "comment_post_ID", "12", "comment_parent", "0")},
	{Name: "comment-form-html", Method: "POST", Target: "/wp-comments-post.php", Kind: "form", Body: form("comment", "Use <code>&lt;!-- wp:more --&gt;</code> to split the post, or the <!--more--> tag.", "author", "Sam", "email", "sam@example.com", "comment_post_ID", "12", "comment_parent", "0")},
	{Name: "comment-form-shell", Method: "POST", Target: "/blog/wp-comments-post.php", Kind: "form", Body: form("comment", "On Debian: apt install php-curl; systemctl reload apache2 && tail /var/log/apache2/error.log", "author", "Kim", "email", "kim@example.com", "comment_post_ID", "9", "comment_parent", "0")},
	// Login and profile.
	{Name: "login-strong-password", Method: "POST", Target: "/wp-login.php", Kind: "form", Body: form("log", "lab-editor", "pwd", `p4$$w0rd"--x;Tz<9`, "rememberme", "forever", "wp-submit", "Log In", "redirect_to", "https://blog.example.org/wp-admin/", "testcookie", "1")},
	{Name: "login-subdirectory", Method: "POST", Target: "/blog/wp-login.php", Kind: "form", Body: form("log", "lab-editor", "pwd", `Gr33n'Tea&Honey#;--`, "wp-submit", "Log In", "redirect_to", "/blog/wp-admin/", "testcookie", "1")},
	{Name: "lost-password", Method: "POST", Target: "/wp-login.php?action=lostpassword", Kind: "form", Body: form("user_login", "dana.o'neil@example.com", "redirect_to", "", "wp-submit", "Get New Password")},
	{Name: "profile-bio", Method: "POST", Target: "/wp-admin/profile.php", Kind: "form", Body: form("_wpnonce", "3c9d1e2f4a", "_wp_http_referer", "/wp-admin/profile.php", "from", "profile", "first_name", "Dana", "description", "Editor. Writes about <a href=\"https://example.com\">databases</a> and SELECT performance; ex-DBA.", "pass1", "", "pass2", "", "action", "update", "user_id", "2", "submit", "Update Profile")},
	// Classic editor and other wp-admin screens.
	{Name: "classic-editor-more", Method: "POST", Target: "/wp-admin/post.php", Kind: "form", Body: form("_wpnonce", "3c9d1e2f4a", "_wp_http_referer", "/wp-admin/post.php?post=12&action=edit", "user_ID", "2", "action", "editpost", "post_ID", "12", "post_title", "Release notes", "content", "<p>Intro paragraph.</p>\n<!--more-->\n<p>The rest of the notes.</p>", "publish", "Update")},
	{Name: "classic-editor-iframe", Method: "POST", Target: "/wp-admin/post.php", Kind: "form", Body: form("_wpnonce", "3c9d1e2f4a", "action", "editpost", "post_ID", "12", "post_title", "Video", "content", `<iframe src="https://player.vimeo.com/video/76979871" width="640" height="360" allow="autoplay; fullscreen"></iframe>`, "save", "Save Draft")},
	{Name: "options-general", Method: "POST", Target: "/wp-admin/options.php", Kind: "form", Body: form("option_page", "general", "action", "update", "_wpnonce", "3c9d1e2f4a", "blogname", "Dana's Tech Notes", "blogdescription", "SQL tips: SELECT, JOIN & UNION explained", "siteurl", "https://blog.example.org", "home", "https://blog.example.org")},
	{Name: "customizer-css", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("wp_customize", "on", "customize_theme", "twentytwentythree", "nonce", "3c9d1e2f4a", "customize_changeset_uuid", "8d0b2c3a-1f4e-4b5a-9c6d-7e8f9a0b1c2d", "customize_changeset_data", `{"custom_css[twentytwentythree]":{"value":".site-header{background:url(\"/wp-content/uploads/bg.png\")}\n/* hide on print */ @media print{.nav{display:none}}"}}`, "action", "customize_save")},
	{Name: "nav-menus-classic", Method: "POST", Target: "/wp-admin/nav-menus.php", Kind: "form", Body: form("action", "update", "menu", "3", "menu-name", "Main", "menu-item-title[101]", "Shop & Deals", "menu-item-url[101]", "https://blog.example.org/?post_type=product&orderby=price-desc", "menu-item-attr-title[101]", "Shop <strong>now</strong>", "update-nav-menu-nonce", "3c9d1e2f4a")},
	{Name: "widgets-classic-text", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("action", "save-widget", "savewidgets", "3c9d1e2f4a", "sidebar", "sidebar-1", "id_base", "text", "widget-id", "text-2", "widget-text[2][title]", "Follow us", "widget-text[2][text]", `<a href="https://twitter.com/example" onclick="gtag('event','follow')">Twitter</a>`)},
	{Name: "theme-file-editor", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("nonce", "3c9d1e2f4a", "_wp_http_referer", "/wp-admin/theme-editor.php?file=functions.php&theme=child", "newcontent", "<?php\nadd_action( 'wp_enqueue_scripts', function () {\n\twp_enqueue_style( 'child', get_stylesheet_uri() );\n} );\n", "action", "edit-theme-plugin-file", "file", "functions.php", "theme", "child")},
	{Name: "admin-search-posts", Method: "GET", Target: "/wp-admin/edit.php?s=union+select+tutorial&post_status=all&post_type=post&action=-1&m=0&cat=0&paged=1", Kind: "get"},
	{Name: "admin-users-filter", Method: "GET", Target: "/wp-admin/users.php?s=o%27neil&action=-1&new_role&paged=1", Kind: "get"},
	// admin-ajax actions of core and common plugins.
	{Name: "ajax-heartbeat", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("data[wp-refresh-post-lock][lock]", "1764720000:2", "data[wp-refresh-post-lock][post_id]", "12", "interval", "60", "_nonce", "3c9d1e2f4a", "action", "heartbeat", "screen_id", "post", "has_focus", "false")},
	{Name: "ajax-query-attachments", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("action", "query-attachments", "post_id", "12", "query[orderby]", "date", "query[order]", "DESC", "query[posts_per_page]", "80", "query[paged]", "1", "query[s]", "logo (old) + icon; select")},
	{Name: "ajax-inline-save", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("post_title", "Why SELECT * is slow -- and what to use instead", "post_name", "why-select-is-slow", "_inline_edit", "3c9d1e2f4a", "post_view", "list", "screen", "edit-post", "action", "inline-save", "post_type", "post", "post_ID", "12")},
	{Name: "ajax-elementor", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("actions", `{"save_builder":{"action":"save_builder","data":{"status":"publish","elements":[{"id":"3f2a1b","elType":"widget","widgetType":"html","settings":{"html":"<div class=\"promo\" onclick=\"window.location='/shop/'\">Shop</div><script async src=\"https://www.googletagmanager.com/gtag/js?id=G-ABC123\"></script>"}}]}}}`, "_nonce", "3c9d1e2f4a", "editor_post_id", "12", "initial_document_id", "12", "action", "elementor_ajax")},
	{Name: "ajax-woocommerce-variations", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("action", "woocommerce_save_variations", "security", "3c9d1e2f4a", "product_id", "55", "product-type", "variable", "variable_post_id[0]", "56", "variable_description[0]", "<p>Size chart: S (36\"), M (40\"), L (44\") -- select yours</p>", "variable_regular_price[0]", "19.99")},
	{Name: "ajax-yoast-snippet", Method: "POST", Target: "/wp-admin/admin-ajax.php?action=wpseo_set_ignore", Kind: "form", Body: form("option", "wpseo_title", "value", "%%title%% %%sep%% %%sitename%% | Buy 1 get 1 free -- or 2 for 1?", "_wpnonce", "3c9d1e2f4a")},
	{Name: "ajax-wpforms-submit", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "multipart", Body: "wpforms[fields][0]=Dana O'Neil\nwpforms[fields][1]=dana@example.com\nwpforms[fields][2]=Hi, my site shows \"Error establishing a database connection\" after I ran: DROP TABLE wp_sessions; is that related?\nwpforms[id]=77\naction=wpforms_submit"},
	{Name: "ajax-acf-field", Method: "POST", Target: "/wp-admin/admin-ajax.php", Kind: "form", Body: form("action", "acf/validate_save_post", "nonce", "3c9d1e2f4a", "post_id", "12", "acf[field_6f1a2b3c][row-0][field_code]", "if ( $x > 1 && $y < 2 ) { echo 'ok'; }")},
	{Name: "ajax-cf7-refill-query", Method: "GET", Target: "/wp-admin/admin-ajax.php?action=wpcf7_refill&_wpcf7=5&_wpcf7_unit_tag=wpcf7-f5-p12-o1&select=1&union=2", Kind: "get"},
	{Name: "ajax-jetpack-stats", Method: "GET", Target: "/wp-admin/admin-ajax.php?action=jetpack_stats_get_html&url=%2F%3Fp%3D12%26preview%3Dtrue&ref=https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dwordpress%2Bselect%2Bfrom%2Bwhere", Kind: "get"},
	// Plugin REST routes.
	{Name: "cf7-feedback", Method: "POST", Target: "/wp-json/contact-form-7/v1/contact-forms/5/feedback", Kind: "multipart", Body: "_wpcf7=5\n_wpcf7_unit_tag=wpcf7-f5-p12-o1\nyour-name=Dana\nyour-email=dana@example.com\nyour-message=Your plugin's settings page says <b>Error</b> when I paste <iframe src=\"https://example.com\"></iframe>"},
	{Name: "woo-product-description", Method: "POST", Target: "/wp-json/wc/v3/products/55", Kind: "rest", Body: `{"description":"<!-- wp:paragraph --><p>Organic cotton tee.</p><!-- /wp:paragraph -->","short_description":"<p>Soft &amp; durable</p>"}`},
	{Name: "woo-order-note", Method: "POST", Target: "/wp-json/wc/v3/orders/1001/notes", Kind: "rest", Body: `{"note":"Customer asked: can you update the address where order_id = 1001? Shipping 'express' -- select DHL.","customer_note":false}`},
	{Name: "yoast-indexing", Method: "POST", Target: "/wp-json/yoast/v1/indexing/posts?_locale=user", Kind: "rest", Body: `{"meta":{"_yoast_wpseo_title":"%%title%% %%page%% %%sep%% %%sitename%%","_yoast_wpseo_metadesc":"Learn SQL: SELECT, UPDATE & DELETE with examples"}}`},
	// Media.
	{Name: "media-upload-raw", Method: "POST", Target: "/wp-json/wp/v2/media", Kind: "raw", CType: "image/jpeg", Body: "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb", Extra: []Field{{"Content-Disposition", `attachment; filename="team photo.jpg"`}, {"X-WP-Nonce", nonce}}},
	{Name: "media-upload-multipart", Method: "POST", Target: "/wp-admin/async-upload.php", Kind: "multipart", Body: "name=team.svg\naction=upload-attachment\n_wpnonce=3c9d1e2f4a\nfile:async-upload=team.svg:<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Team</title><rect width=\"10\" height=\"10\" style=\"fill:#cf2e2e\"/></svg>"},
	{Name: "media-edit-alt", Method: "POST", Target: "/wp-json/wp/v2/media/42?_locale=user", Kind: "rest", Body: `{"alt_text":"Chart: SELECT count(*) by month","caption":"<!-- wp:paragraph --><p>Q3</p><!-- /wp:paragraph -->"}`},
	{Name: "media-delete", Method: "DELETE", Target: "/wp-json/wp/v2/media/42?force=true&_locale=user", Kind: "rest"},
	// Application passwords.
	{Name: "app-password-create", Method: "POST", Target: "/wp-json/wp/v2/users/me/application-passwords?_locale=user", Kind: "rest", Body: `{"name":"Dana's iPhone -- WordPress app (select sync)"}`},
	{Name: "app-password-delete", Method: "DELETE", Target: "/wp-json/wp/v2/users/2/application-passwords/6c2f2b0e-7a3d-4c1e-9b8a-5d4f3e2c1b0a?_locale=user", Kind: "rest"},
	{Name: "app-password-delete-all", Method: "DELETE", Target: "/wp-json/wp/v2/users/2/application-passwords?_locale=user", Kind: "rest"},
	{Name: "app-password-authorize", Method: "POST", Target: "/wp-admin/authorize-application.php", Kind: "form", Body: form("action", "authorize_application_password", "_wpnonce", "3c9d1e2f4a", "app_name", "Dana's laptop", "success_url", "https://app.example.net/callback?state=a1b2&redirect=/settings", "reject_url", "https://app.example.net/callback?error=1", "approve", "Yes, I approve of this connection")},
	// ?rest_route= forms and subdirectory installs.
	{Name: "rest-route-save", Method: "POST", Target: "/?rest_route=/wp/v2/posts/12&_locale=user", Kind: "rest", Body: save(para)},
	{Name: "rest-route-index-php", Method: "POST", Target: "/index.php?rest_route=%2Fwp%2Fv2%2Fpages%2F7&_locale=user", Kind: "rest", Body: save(cols)},
	{Name: "rest-route-template-part", Method: "POST", Target: "/?rest_route=/wp/v2/template-parts/twentytwentythree//header&_locale=user", Kind: "rest", Body: `{"content":"` + header + `"}`},
	{Name: "rest-route-put", Method: "PUT", Target: "/?rest_route=/wp/v2/posts/12", Kind: "rest", Body: `{"title":"x"}`},
	{Name: "subdir-save", Method: "POST", Target: "/blog/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(para)},
	{Name: "subdir-template", Method: "POST", Target: "/blog/wp-json/wp/v2/templates/twentytwentythree//single?_locale=user", Kind: "rest", Body: `{"content":"` + query + `"}`},
	{Name: "subdir-rest-route", Method: "POST", Target: "/blog/?rest_route=/wp/v2/posts/12&_locale=user", Kind: "rest", Body: save(heading)},
	{Name: "subdir-delete", Method: "DELETE", Target: "/blog/wp-json/wp/v2/comments/3?force=true", Kind: "rest"},
	{Name: "pathinfo-save", Method: "POST", Target: "/index.php/wp-json/wp/v2/posts/12?_locale=user", Kind: "rest", Body: save(para)},
	{Name: "subdir-ajax-heartbeat", Method: "POST", Target: "/blog/wp-admin/admin-ajax.php", Kind: "form", Body: form("data[wp-auth-check]", "true", "data[wp-refresh-post-lock][post_id]", "12", "interval", "15", "_nonce", "3c9d1e2f4a", "action", "heartbeat", "screen_id", "edit-post")},
	{Name: "subdir-classic-editor", Method: "POST", Target: "/blog/wp-admin/post.php", Kind: "form", Body: form("_wpnonce", "3c9d1e2f4a", "action", "editpost", "post_ID", "9", "post_title", "Notes", "content", "<p>Part one</p><!--more--><p>Part two</p>", "save", "Save Draft")},
}
