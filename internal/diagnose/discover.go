package diagnose

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

const indexFields = "_fields=name,url,home,namespaces,authentication"

var (
	linkHeaderRe = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="https://api\.w\.org/"`)
	linkTagRe    = regexp.MustCompile(`<link[^>]+rel=["']https://api\.w\.org/["'][^>]*>`)
	hrefRe       = regexp.MustCompile(`href=["']([^"']+)["']`)
)

// discoverSpec fetches the page the user gave, to read the REST root it
// advertises. Redirects are reported by the observation, never followed.
func (s *session) discoverSpec() spec {
	return spec{key: record.ProbeDiscover, purpose: "find the REST root from the site's page", method: "GET",
		rawURL: s.target.String(), auth: record.AuthNone, expect: record.Expect2xx}
}

// rootFromDiscovery sets the REST root from the Link header or the HTML
// <link rel="https://api.w.org/">, else keeps /wp-json/.
func (s *session) rootFromDiscovery(obs record.Observation) string {
	root := restRootFrom(obs)
	how := "advertised by the site"
	if root == "" {
		root = s.target.Scheme + "://" + s.target.Host + "/wp-json/"
		how = "default /wp-json/ (the page did not advertise a REST root)"
	}
	return s.setRoot(root, how)
}

// restRootFrom reads the advertised REST root from a page response.
func restRootFrom(o record.Observation) string {
	if o.Response == nil {
		return ""
	}
	for _, v := range record.HeaderValues(o.Response.Header, "Link") {
		if m := linkHeaderRe.FindStringSubmatch(v); m != nil {
			return m[1]
		}
	}
	if tag := linkTagRe.FindString(o.Response.Body); tag != "" {
		if m := hrefRe.FindStringSubmatch(tag); m != nil {
			return htmlUnescape(m[1])
		}
	}
	return ""
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#038;", "&", "&#x2F;", "/").Replace(s)
}

// setRoot resolves the advertised root against the target URL (net/url,
// never string joining: "@evil.example/" or "//evil.example/" must not
// move the host) and keeps the target's scheme and host: credentials and
// probes never go to another host. A root on another host is remembered
// for a finding and only its path is used. It derives home.
func (s *session) setRoot(root, how string) string {
	restRoot, home, foreign, note := s.resolveRoot(root, how)
	s.restRoot, s.home = restRoot, home
	if foreign != "" {
		s.foreignRoot = foreign
	}
	return note
}

// resolveRoot is setRoot without the assignment: the REST root and home
// on the target's host, a foreign root ("" when none) and the note.
func (s *session) resolveRoot(root, how string) (restRoot, home, foreign, note string) {
	u, err := s.target.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.HasPrefix(u.Path, "/") {
		u, how = &url.URL{Path: "/wp-json/"}, how+"; not a usable URL, so /wp-json/ is probed"
	}
	if q := u.Query().Get("rest_route"); q != "" || strings.HasSuffix(u.Path, "index.php") {
		u.Path = "/wp-json/" // plain permalinks advertise ?rest_route=; probe both styles anyway
		how += "; the site advertises ?rest_route= (plain permalinks)"
	}
	note = how
	if u.Host != "" && !sameHost(u, s.target) {
		foreign = redact.URL((&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String())
		note += "; advertised on host " + u.Host + ", probed on " + s.target.Host + " (wp403 sends nothing to other hosts)"
	}
	path := strings.TrimSuffix(u.Path, "/") + "/"
	at := func(p string) string {
		return (&url.URL{Scheme: s.target.Scheme, Host: s.target.Host, Path: p}).String()
	}
	trimmed := strings.TrimSuffix(path, "/")
	return at(path), at(trimmed[:strings.LastIndex(trimmed, "/")]), foreign, note
}

// sameHost compares host names and ports, default ports filled in.
func sameHost(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if u.Scheme == "http" {
			return "80"
		}
		return "443"
	}
	return strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// indexSpecs are the anonymous REST index in both route styles.
func indexSpecs() []spec {
	base := spec{key: record.ProbeIndex, purpose: "is the REST API reachable anonymously", method: "GET", route: "/",
		query: indexFields, auth: record.AuthNone, expect: record.Expect2xx, style: record.StylePretty}
	q := base
	q.variant, q.style = record.VarRESTRoute, record.StyleQuery
	return []spec{base, q}
}

// siteFromIndex reads WordPress's description of itself.
func siteFromIndex(obs []record.Observation) (record.Site, string) {
	var site record.Site
	app := ""
	pretty, query := false, false
	for _, o := range obs {
		if o.Probe != record.ProbeIndex || o.Response == nil || o.Status() != 200 {
			continue
		}
		var idx struct {
			Name, URL, Home string
			Namespaces      []string
			Authentication  json.RawMessage
		}
		if json.Unmarshal([]byte(o.Response.Body), &idx) != nil || idx.URL == "" && idx.Home == "" {
			continue
		}
		pretty = pretty || o.Request.Style == record.StylePretty
		query = query || o.Request.Style == record.StyleQuery
		if site.Home == "" || o.Vantage == record.VantageEdge {
			site.Name, site.URL, site.Home, site.Namespaces = idx.Name, idx.URL, idx.Home, idx.Namespaces
		}
		if strings.Contains(string(idx.Authentication), `"application-passwords"`) {
			app = "available"
		} else if app == "" {
			app = "unavailable"
		}
	}
	site.PrettyWorks, site.QueryWorks = &pretty, &query
	site.AppPasswords = app
	return site, app
}
