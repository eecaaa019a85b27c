package har

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
)

// What a Result keeps, whatever the size of the export. Every REST request
// is counted in the route summaries; the first ones, and later the failed
// ones (with the successful retries the editor recovered them by), are
// kept in detail.
const (
	// MaxObservations is the most REST requests kept in detail.
	MaxObservations = 2000
	// keepAll is how many are kept before only failures are.
	keepAll = MaxObservations / 2
	// maxBodies bounds the response bodies kept, all observations together.
	maxBodies = 8 << 20
	// maxRoutes bounds the distinct routes summarised.
	maxRoutes = 500
)

// admit decides whether an observation is kept in detail, and bounds the
// body it keeps.
func (res *Result) admit(o *record.Observation) bool {
	res.count(o)
	key := subjectKey(o)
	nonceFail := failed(o) && o.Response != nil && strings.Contains(o.Response.Body, "rest_cookie_invalid_nonce")
	retry := !failed(o) && res.pending[key] > 0
	switch {
	case len(res.Observations) >= MaxObservations:
	case len(res.Observations) < keepAll, failed(o), o.Purpose == ActNonceRefresh, retry:
		if nonceFail {
			if res.pending == nil {
				res.pending = map[string]int{}
			}
			res.pending[key]++
			res.nonceFail[o.ID] = true
		}
		if retry {
			res.pending[key]--
		}
		res.boundBody(o)
		return true
	}
	res.Omitted++
	return false
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
