package signature

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/wpcore"
)

// coreRoute applies what core answers on the requested route: a refusal
// in core's words (rest_forbidden, rest_not_logged_in, rest_cannot_access…)
// on a route and method core serves to anyone was written by a plugin or
// theme filter, not by core. The class then says so (CoreWouldServe), and
// a producer the signatures left at "wordpress" becomes "plugin".
func coreRoute(cls *record.Class, req *record.HTTPRequest, status int) {
	if req == nil || cls.WPError == nil || status < 400 && cls.WPError.Status < 400 {
		return
	}
	a, route, ok := lookupRoute(req)
	if !ok || !a.PluginWords(cls.WPError.Code) {
		return
	}
	cls.CoreWouldServe = true
	if cls.Producer == record.LayerWordPress {
		cls.Producer, cls.Vendor = record.LayerPlugin, ""
	}
	cls.Refusal = true
	cls.Reasons = append(cls.Reasons, fmt.Sprintf("core would answer 200 here: WordPress core serves %s %s to anyone and never refuses it with %s; a plugin or theme filter wrote this refusal in core's words",
		a.Method, route, cls.WPError.Code))
}

// lookupRoute finds the core route a REST request addresses.
func lookupRoute(req *record.HTTPRequest) (wpcore.Answer, string, bool) {
	route := req.Route
	if route == "" {
		r, _, ok := record.ParseRoute(req.URL, "")
		if !ok || r == "rest-nonce" {
			return wpcore.Answer{}, "", false
		}
		route = r
	}
	method := req.Method
	if method == "" {
		method = "GET"
	}
	a, ok := wpcore.Lookup(method, route, queryOf(req.URL), "")
	return a, route, ok
}

// queryOf returns the query of a request URL, without rest_route.
func queryOf(u string) url.Values {
	_, q, ok := strings.Cut(u, "?")
	if !ok {
		return nil
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return nil
	}
	v.Del("rest_route")
	return v
}
