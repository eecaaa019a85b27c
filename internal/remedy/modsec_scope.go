package remedy

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/remedy/quote"
)

// scopeKind says what a WAF exclusion is keyed on.
type scopeKind int

const (
	scopeREST scopeKind = iota // a REST route: pretty URL and ?rest_route= form
	scopePath                  // one script or screen: wp-login.php, wp-admin/post.php, …
	scopeAjax                  // admin-ajax.php and its action parameter
)

// scope is where an exclusion applies, derived from the refused request's
// target as sent (install prefix, REST prefix, route with any "//"), not
// from a default.
type scope struct {
	kind   scopeKind
	prefix string // REST: "/blog/wp-json", "/index.php/wp-json"
	home   string // REST: the install path a ?rest_route= request reaches ("/blog")
	route  string // REST: "/wp/v2/template-parts/THEME//header"
	path   string // path and ajax: "/blog/wp-login.php"
	raw    string // path and ajax: the path as sent, when it was percent-encoded
	action string // ajax: the action parameter, empty when the request named none
	inBody bool   // ajax: the action came in the form body (phase 2)
}

// scopeOf derives the scope. Without a target it is the REST route and
// prefix of the context (diagnose findings).
func (c Context) scopeOf() (scope, error) {
	s, err := c.deriveScope()
	if err != nil {
		return s, err
	}
	// Validated as package quote's URL paths; "//" is allowed (Site
	// Editor ids are "THEME//header"), and every value is hex-escaped in
	// the regexps anyway.
	for _, v := range []struct{ what, val string }{{"the request's path", s.path}, {"the REST prefix the request shows", s.prefix},
		{"the request's REST route", s.route}, {"the install path", s.home}} {
		if err := quote.Path(collapseSlashes(v.val)); err != nil {
			return s, errors.New(quote.Why(v.what, err))
		}
	}
	if s.action != "" && !ajaxAction.MatchString(s.action) {
		s.action = "" // written nowhere: the exclusion covers every action, and says so
	}
	return s, nil
}

// collapseSlashes turns "//" into "/" for validation only.
func collapseSlashes(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

func (c Context) deriveScope() (scope, error) {
	if c.Target == "" {
		return scope{kind: scopeREST, prefix: c.RESTPrefix, home: c.home(), route: c.Route}, nil
	}
	p, query := splitTarget(c.Target)
	if p == "" || !strings.HasPrefix(p, "/") {
		return scope{}, errors.New("the request-target is not a path (origin form, starting with /)")
	}
	dec, err := url.PathUnescape(p)
	if err != nil {
		dec = p
	}
	base := "/" + path.Base(strings.TrimRight(c.RESTPrefix, "/"))
	if i := strings.Index(dec+"/", base+"/"); i >= 0 {
		route := "/" + strings.TrimLeft(strings.TrimSuffix(dec[i+len(base):], "/"), "/")
		return scope{kind: scopeREST, prefix: dec[:i+len(base)], home: strings.TrimSuffix(dec[:i], "/index.php"), route: route}, nil
	}
	if r := queryParam(query, "rest_route"); r != "" {
		home := strings.TrimSuffix(strings.TrimSuffix(dec, "index.php"), "/")
		return scope{kind: scopeREST, prefix: home + base, home: home, route: "/" + strings.TrimLeft(r, "/")}, nil
	}
	s := scope{kind: scopePath, path: dec}
	if dec != p {
		s.raw = p
	}
	if strings.HasSuffix(dec, "/admin-ajax.php") {
		s.kind, s.action, s.inBody = scopeAjax, c.Action, c.ActionInBody
	}
	return s, nil
}

// splitTarget drops the fragment and an absolute form's scheme and host.
func splitTarget(t string) (p, query string) {
	t, _, _ = strings.Cut(t, "#")
	if i := strings.Index(t, "://"); i > 0 && !strings.Contains(t[:i], "/") {
		t = t[i+3:]
		if j := strings.IndexByte(t, '/'); j >= 0 {
			t = t[j:]
		} else {
			t = "/"
		}
	}
	p, query, _ = strings.Cut(t, "?")
	return p, query
}

func queryParam(q, name string) string {
	v, _ := url.ParseQuery(q)
	return v.Get(name)
}

// reLiteral writes s as a regexp literal that is safe inside a SecLang
// double-quoted argument under ModSecurity v2, libmodsecurity 3 and
// Coraza: letters, digits and "/_-~:@," as they are, "." and "+" escaped,
// every other byte (quotes, backslash, "%", braces, spaces, non-ASCII) as
// \xHH, so nothing from the request can end the argument or expand a macro.
func reLiteral(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("/_-~:@,", c) >= 0:
			b.WriteByte(c)
		case c == '.' || c == '+':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// modsecRouteRE is the regexp for the route alone ("/wp/v2/posts/[0-9]+/?"):
// numeric ids generalize to any id, so every post is covered but no other
// route is. Empty segments are kept: a Site Editor template id is
// "THEME//header".
func modsecRouteRE(route string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.Trim(route, "/"), "/") {
		if seg == "" && b.Len() == 0 {
			continue
		}
		b.WriteString("/")
		if numericSegment.MatchString(seg) {
			b.WriteString("[0-9]+")
		} else {
			b.WriteString(reLiteral(seg))
		}
	}
	return b.String() + "/?"
}

// restRE is the anchored regexp of the pretty REST URL path.
func (s scope) restRE() string { return "^" + reLiteral(s.prefix) + modsecRouteRE(s.route) + "$" }

// queryRE is the anchored regexp of the rest_route query value.
func (s scope) queryRE() string { return "^" + modsecRouteRE(s.route) + "$" }

// indexRE matches the front controller a ?rest_route= request reaches.
func (s scope) indexRE() string { return "^" + reLiteral(s.home) + `/(?:index\.php)?$` }

// desc names what an exclusion lets through: "POST /blog/wp-json/wp/v2/posts/<id>",
// "POST /wp-admin/admin-ajax.php?action=heartbeat".
func (s scope) desc(method string) string {
	switch s.kind {
	case scopePath:
		return method + " " + s.path
	case scopeAjax:
		if s.action != "" {
			return method + " " + s.path + "?action=" + s.action
		}
		return method + " " + s.path
	}
	var segs []string
	for _, seg := range strings.Split(strings.Trim(s.route, "/"), "/") {
		if numericSegment.MatchString(seg) {
			seg = "<id>"
		}
		segs = append(segs, seg)
	}
	return method + " " + s.prefix + "/" + strings.Join(segs, "/")
}

// pathRE is the anchored regexp of the exact path; a percent-encoded path
// matches both as sent (ModSecurity v2) and decoded (v3, Coraza).
func (s scope) pathRE() string {
	if s.raw != "" {
		return "^(?:" + reLiteral(s.path) + "|" + reLiteral(s.raw) + ")$"
	}
	return "^" + reLiteral(s.path) + "$"
}

var (
	ajaxAction = regexp.MustCompile(`^[A-Za-z0-9_.:/-]{1,120}$`)
)
