package har

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
)

// RouteSummary is what happened to one method and route over the
// recording: the editor action and how often each status came back
// (0: no response).
type RouteSummary struct {
	Method   string      `json:"method"`
	Route    string      `json:"route"` // numeric segments as {id}
	Purpose  string      `json:"purpose"`
	Statuses map[int]int `json:"statuses"`
}

// String renders "POST /wp/v2/posts/{id} (save): 403×1".
func (r RouteSummary) String() string {
	codes := make([]int, 0, len(r.Statuses))
	for s := range r.Statuses {
		codes = append(codes, s)
	}
	sort.Ints(codes)
	parts := make([]string, len(codes))
	for i, s := range codes {
		parts[i] = fmt.Sprintf("%d×%d", s, r.Statuses[s])
	}
	return fmt.Sprintf("%s %s (%s): %s", r.Method, r.Route, r.Purpose, strings.Join(parts, ", "))
}

// Routes groups the REST requests by method and route, in first-seen
// order.
func (res *Result) Routes() []RouteSummary {
	if res.routes != nil {
		return res.routes
	}
	var out []RouteSummary
	index := map[string]int{}
	for i := range res.Observations {
		o := &res.Observations[i]
		route := logscan.NormalizeRoute(RouteOf(o))
		key := o.Request.Method + " " + route
		j, ok := index[key]
		if !ok {
			j = len(out)
			index[key] = j
			out = append(out, RouteSummary{Method: o.Request.Method, Route: route, Purpose: o.Purpose, Statuses: map[int]int{}})
		}
		out[j].Statuses[o.Status()]++
	}
	return out
}

// RouteOf names an observation's request: its REST route, the nonce
// endpoint, or its URL.
func RouteOf(o *record.Observation) string {
	switch {
	case o.Request.Route != "":
		return o.Request.Route
	case o.Purpose == ActNonceRefresh:
		return "/wp-admin/admin-ajax.php?action=rest-nonce"
	}
	return o.Request.URL
}
