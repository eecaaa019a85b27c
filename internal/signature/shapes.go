package signature

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Refusals that are not a 401/403 (issue 20): a 200 whose body is a REST
// error, a 30x to a login page on a REST request, a 405 whose Allow says
// whose method list it is, and an edge's own "cannot reach the origin"
// page, which is a gateway problem rather than a refusal.

// refusalShapes adds these classes after the signatures and the generic
// reasoning have run.
func refusalShapes(cls *record.Class, v *view, req *record.HTTPRequest) {
	errorIn2xx(cls, v)
	loginRedirect(cls, v, req)
	allowReason(cls, v)
	gateway(cls)
}

// errorIn2xx: a 2xx whose JSON body is a WP_Error with a refusal status
// (a plugin on rest_post_dispatch, or a client that asked for _envelope).
func errorIn2xx(cls *record.Class, v *view) {
	if v.status < 200 || v.status > 299 || v.wpErr == nil || v.enveloped != 0 {
		return
	}
	if st := v.wpErr.Status; st == 401 || st == 403 || st == 405 || st == 429 {
		cls.Refusal = true
		cls.Reasons = append(cls.Reasons, "HTTP "+itoa(v.status)+" but the body is a REST error with status "+itoa(st)+
			" ("+v.wpErr.Code+"): refused in the body; clients that read only the status take it for success")
	}
}

// loginRedirect: WordPress core never redirects a REST request to its
// login page; a private-site or force-login plugin does (through
// wp_redirect, so X-Redirect-By: WordPress only says wp_redirect ran), or
// an access gateway in front of the site.
func loginRedirect(cls *record.Class, v *view, req *record.HTTPRequest) {
	if v.status < 300 || v.status > 399 || !isRESTRequest(req) || !loginTarget(v.get("location")) {
		return
	}
	cls.Refusal = true
	by := v.get("x-redirect-by")
	switch {
	case strings.Contains(strings.ToLower(v.get("location")), "/cdn-cgi/access/login"):
		cls.Producer, cls.Vendor = record.LayerEdge, "Cloudflare Access"
	case by != "" && !strings.EqualFold(by, "WordPress"):
		cls.Producer, cls.Vendor = record.LayerPlugin, clip(by, 64)
	case by != "":
		cls.Producer, cls.Vendor = record.LayerPlugin, ""
	}
	r := "a REST request redirected to a login page: something demands a logged-in session (core never does this on REST routes)"
	if strings.EqualFold(by, "WordPress") {
		r += "; X-Redirect-By: WordPress only says code inside WordPress called wp_redirect() — a private-site or force-login plugin, not core"
	}
	cls.Reasons = append(cls.Reasons, r)
}

func loginTarget(loc string) bool {
	path, _, _ := strings.Cut(strings.ToLower(loc), "?")
	return strings.Contains(path, "/wp-login.php") || strings.HasSuffix(path, "/login") || strings.HasSuffix(path, "/login/") ||
		strings.Contains(path, "/cdn-cgi/access/login")
}

// allowReason says whose Allow header a 405 carries: WordPress's lists the
// methods these credentials may use on the route; a server's (no REST
// headers) is its method limit, relayed unchanged by any edge in front.
func allowReason(cls *record.Class, v *view) {
	allow := v.get("allow")
	if v.status != 405 {
		return
	}
	switch {
	case allow == "":
		cls.Reasons = append(cls.Reasons, "405 without an Allow header: the layer that refused does not say which methods it accepts")
	case cls.REST:
		cls.Reasons = append(cls.Reasons, "Allow: "+clip(allow, 80)+" is WordPress's: the methods these credentials may use on this route")
	default:
		r := "Allow: " + clip(allow, 80) + " comes from the layer that wrote this page, not WordPress (no REST headers): a server or proxy method limit (nginx limit_except, Apache <Limit>, an edge method rule)"
		if edgePresent(cls) && cls.Producer != record.LayerEdge {
			r += "; an edge relays it, but the page is not the edge's own: the origin's limit is the likelier source (--origin settles it)"
		}
		cls.Reasons = append(cls.Reasons, r)
	}
}

func edgePresent(cls *record.Class) bool {
	for _, m := range cls.Matches {
		if m.Kind == record.KindPresence && m.Layer == record.LayerEdge {
			return true
		}
	}
	return false
}

// gateway: an edge or proxy's own page saying it got no usable answer
// from the origin (52x, first byte timeout, backend fetch failed) is a
// gateway problem, not a policy refusal.
func gateway(cls *record.Class) {
	top := cls.Top()
	if top == nil || top.Kind != record.KindRefusal || top.Mechanism != record.MechUnreachable {
		return
	}
	cls.Gateway = true
	cls.Reasons = append(cls.Reasons, top.Vendor+" could not get a usable answer from the origin: a gateway problem (origin down, slow or unreachable from the edge), not a policy refusal")
}
