package har

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// What a Result keeps, whatever the size of the export. Every REST request
// is counted in the route summaries; the first ones, and later the failed
// ones (with the successful retries the editor recovered them by), are
// kept in detail.
const (
	// MaxObservations is the most REST requests kept in detail.
	MaxObservations = 1000
	// keepAll is how many are kept before only failures are.
	keepAll = MaxObservations / 2
	// maxBodies bounds the response bodies kept, all observations together.
	maxBodies = 8 << 20
	// maxRoutes bounds the distinct routes summarised.
	maxRoutes = 500
)

// quick is the part of an entry's observation that decides whether it is
// kept in detail: method, redacted URL, route, purpose, status. It costs
// no body or header work.
func quick(e *entry, prefix string) record.Observation {
	o := record.Observation{Request: record.HTTPRequest{Method: e.Request.Method, URL: redact.URL(e.Request.URL)}}
	if route, style, ok := record.ParseRoute(e.Request.URL, prefix); ok {
		o.Request.Route, o.Request.Style = route, style
	} else if route, style, ok := record.ParseRoute(e.Request.URL, ""); ok {
		o.Request.Route, o.Request.Style = route, style
	}
	o.Purpose = label(&o.Request, header(e.Request.Headers, "X-HTTP-Method-Override"))
	if o.Request.Route == "rest-nonce" {
		o.Request.Route = ""
	}
	if e.Response.Status > 0 {
		o.Response = &record.HTTPResponse{Status: e.Response.Status}
	} else {
		o.Failure = record.FailOther
	}
	return o
}

// wants reports whether an entry (its quick observation) is kept in
// detail; one that is not is only counted in its route's summary.
func (res *Result) wants(q *record.Observation) bool {
	n := len(res.Observations)
	keep := n < MaxObservations && (n < keepAll || failed(q) || q.Purpose == ActNonceRefresh || res.pending[subjectKey(q)] > 0)
	if !keep {
		res.count(q)
		res.Omitted++
	}
	return keep
}

// admit counts a kept observation, remembers a stale-nonce failure until
// its retry, and bounds the body it keeps.
func (res *Result) admit(o *record.Observation) {
	res.count(o)
	key := subjectKey(o)
	switch {
	case failed(o) && o.Response != nil && strings.Contains(o.Response.Body, "rest_cookie_invalid_nonce"):
		if res.pending == nil {
			res.pending = map[string]int{}
		}
		res.pending[key]++
		res.nonceFail[o.ID] = true
	case !failed(o) && res.pending[key] > 0:
		res.pending[key]--
	}
	res.boundBody(o)
}

func (res *Result) boundBody(o *record.Observation) {
	if o.Response == nil {
		return
	}
	room := max(maxBodies-res.bodies, 0)
	if len(o.Response.Body) > room {
		o.Response.Body, o.Response.BodyTruncated = strings.ToValidUTF8(o.Response.Body[:room], ""), true
	}
	res.bodies += len(o.Response.Body)
}

// subjectKey names "the same request" for recovery: method, path and
// ?rest_route=.
func subjectKey(o *record.Observation) string {
	u, err := url.Parse(o.Request.URL)
	if err != nil {
		return o.Request.Method + " " + o.Request.URL
	}
	return o.Request.Method + " " + u.Path + "?" + u.Query().Get("rest_route")
}

// count adds a request to its route summary.
func (res *Result) count(o *record.Observation) {
	route := logscan.NormalizeRoute(RouteOf(o))
	key := o.Request.Method + " " + route
	j, ok := res.routeIndex[key]
	if !ok {
		if len(res.routes) >= maxRoutes {
			key, route = "* (other routes)", "(other routes)"
			j, ok = res.routeIndex[key]
		}
		if !ok {
			if res.routeIndex == nil {
				res.routeIndex = map[string]int{}
			}
			j = len(res.routes)
			res.routeIndex[key] = j
			res.routes = append(res.routes, RouteSummary{Method: o.Request.Method, Route: route, Purpose: o.Purpose, Statuses: map[int]int{}})
		}
	}
	res.routes[j].Statuses[o.Status()]++
}

// OmittedNote says what was not kept in detail, or "".
func (res *Result) OmittedNote() string {
	if res.Omitted == 0 {
		return ""
	}
	return fmt.Sprintf("%d REST requests beyond the first %d were counted in the route totals but not kept in detail (only failures are kept past %d).",
		res.Omitted, MaxObservations, keepAll)
}
