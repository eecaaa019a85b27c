package signature

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// stock is a server's built-in error page, recognised by the structure of
// its template rather than by any one site's text.
type stock struct {
	shape  string       // page shape, e.g. "stock-nginx"
	vendor string       // software named by the template
	layer  record.Layer // who writes such pages
}

var (
	// Apache httpd's error documents: HTML 2.0 doctype in older releases, HTML 4.01 in current ones.
	apacheTmpl = regexp.MustCompile(`(?s)^\s*<!DOCTYPE HTML PUBLIC "-//(?:IETF//DTD HTML 2\.0|W3C//DTD HTML 4\.01)//EN"[^>]*>\s*<html><head>\s*<title>(\d{3})[^<]*</title>\s*</head><body>\s*<h1>[^<]*</h1>`)
	apacheAddr = regexp.MustCompile(`<address>([A-Za-z][\w.-]*)`)
	// HAProxy's built-in errorfiles: "<html><body><h1>403 Forbidden</h1>" + one line.
	haproxyTmpl = regexp.MustCompile(`^\s*<html><body><h1>(\d{3})[^<]*</h1>\n[^<\n]+\n</body></html>\s*$`)
	// Varnish's built-in synthetic error (vcl_backend_error / vcl_synth).
	varnishTmpl = regexp.MustCompile(`(?s)<h1>Error (\d{3})[^<]*</h1>.*<h3>Guru Meditation:</h3>\s*<p>XID: \d+</p>`)
	// IIS's static and detailed error pages.
	iisTmpl = regexp.MustCompile(`(?s)<title>(?:IIS [\d.]+ Detailed Error - )?(\d{3})(?:\.\d+)? - [^<]*</title>.*<h1>Server Error</h1>|<title>IIS [\d.]+ Detailed Error - (\d{3})`)
)

// footerLayer maps an nginx-template footer to who wrote the page.
var footerVendors = []struct {
	prefix string
	vendor string
	layer  record.Layer
}{
	{"nginx", "nginx", record.LayerServer},
	{"openresty", "OpenResty", record.LayerServer},
	{"tengine", "Tengine", record.LayerServer},
	{"cloudflare", "Cloudflare", record.LayerEdge},
	{"awselb", "AWS Elastic Load Balancing", record.LayerEdge},
	{"microsoft-azure-application-gateway", "Azure Application Gateway", record.LayerEdge},
}

// stockPage recognises a server's stock error page.
func stockPage(v *view) (stock, bool) {
	b := v.body
	switch {
	case strings.Contains(b, "<hr><center>"):
		if footer, ok := nginxTemplate(b); ok {
			return nginxFooter(footer), true
		}
	case strings.Contains(b, "<!DOCTYPE HTML PUBLIC"):
		if apacheTmpl.MatchString(b) {
			vendor := "Apache httpd"
			if sm := apacheAddr.FindStringSubmatch(b); sm != nil && !strings.HasPrefix(sm[1], "Apache") {
				vendor = sm[1]
			}
			return stock{"stock-apache", vendor, record.LayerServer}, true
		}
	case strings.HasPrefix(strings.TrimSpace(b), "<html><body><h1>"):
		if haproxyTmpl.MatchString(b) {
			return stock{"stock-haproxy", "HAProxy", record.LayerEdge}, true
		}
	case strings.Contains(b, "Guru Meditation"):
		if varnishTmpl.MatchString(b) {
			return stock{"stock-varnish", "Varnish", record.LayerEdge}, true
		}
	case strings.Contains(b, "Server Error") || strings.Contains(b, "Detailed Error"):
		if iisTmpl.MatchString(b) {
			return stock{"stock-iis", "Microsoft IIS", record.LayerServer}, true
		}
	}
	return phpFPMPage(v)
}

// nginxTemplate recognises nginx's ngx_http_error_pages: <html>, a
// <head><title>NNN …</title></head>, a centred <h1>, then <hr> and a
// centred footer naming the software (nginx, openresty, tengine,
// cloudflare…). It returns the footer.
func nginxTemplate(b string) (string, bool) {
	t := strings.TrimLeft(b, " \t\r\n")
	if !strings.HasPrefix(t, "<html>") || len(t) > 4096 {
		return "", false
	}
	head, rest, ok := strings.Cut(t[len("<html>"):], "<hr><center>")
	if !ok || !strings.Contains(head, "<head><title>") || !strings.Contains(head, "<center><h1>") {
		return "", false
	}
	footer, _, ok := strings.Cut(rest, "</center>")
	if !ok || footer == "" || len(footer) > 60 || strings.ContainsAny(footer, "<>") {
		return "", false
	}
	return footer, true
}

func nginxFooter(footer string) stock {
	f := strings.ToLower(strings.TrimSpace(footer))
	for _, fv := range footerVendors {
		if strings.HasPrefix(f, fv.prefix) {
			return stock{"stock-nginx", fv.vendor, fv.layer}
		}
	}
	name, _, _ := strings.Cut(strings.TrimSpace(footer), "/")
	return stock{"stock-nginx", name, record.LayerServer}
}

// phpFPMPage recognises the plain-text answers php-fpm gives by itself
// when it refuses a script (security.limit_extensions) or finds none.
func phpFPMPage(v *view) (stock, bool) {
	switch strings.TrimSpace(v.body) {
	case "Access denied.", "File not found.", "No input file specified.":
		return stock{"stock-php-fpm", "php-fpm", record.LayerPHP}, true
	}
	return stock{}, false
}
