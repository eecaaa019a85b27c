package policy

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Failing is one failing request of an earlier report, ready to send again.
type Failing struct {
	Request   record.Request
	Spec      diagnose.RequestSpec
	UserAgent string
	Reach     Reach        // what counts as fixed: a 2xx, or reaching WordPress
	Layer     record.Layer // the layer that refused it before
	Finding   string       // the finding that named it, in the earlier report
	Status    record.StatusPair
	NotSent   string // why it cannot be sent again, when it cannot
}

// FailingRequests lists the failing requests of a report, each once, as
// they were sent (the as-sent observation, not a variant): those of its
// failing allow checks when it has checks (a deny rule's request must stay
// refused, so it is never "fixed"), else those of its block findings with
// their related requests.
func FailingRequests(rep *record.Report) []Failing {
	var out []Failing
	seen := map[string]bool{}
	add := func(req record.Request, f *record.Finding, cited []string) {
		o := sentObservation(rep, req, cited)
		if o == nil {
			if len(rep.Checks) > 0 {
				out = append(out, Failing{Request: req, NotSent: "it was not sent in the earlier report either (its identity could not log in); run wp403 check again"})
			}
			return
		}
		item := failingFrom(o, req)
		key := req.String() + " " + o.Request.URL + " " + o.Request.Body
		if seen[key] {
			return
		}
		seen[key] = true
		if f != nil {
			item.Layer, item.Finding = f.Layer, f.ID
		}
		out = append(out, item)
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Severity != record.SevBlock || len(rep.Checks) > 0 {
			continue
		}
		for _, req := range append([]record.Request{f.Request}, f.Related...) {
			add(req, f, f.Observations)
		}
	}
	for _, c := range rep.Checks {
		if !c.Pass && c.Expect == record.ExpectAllow {
			var f *record.Finding
			for i := range rep.Findings {
				if rep.Findings[i].ID == c.Finding {
					f = &rep.Findings[i]
				}
			}
			add(c.Request, f, c.Observations)
		}
	}
	return out
}

// sentObservation finds the as-sent observation of a request, preferring
// the cited ones and the edge.
func sentObservation(rep *record.Report, req record.Request, cited []string) *record.Observation {
	var best *record.Observation
	score := func(o *record.Observation) int {
		s := 0
		for _, id := range cited {
			if id == o.ID {
				s += 2
			}
		}
		if o.Vantage == record.VantageEdge {
			s++
		}
		return s
	}
	for i := range rep.Observations {
		o := &rep.Observations[i]
		if o.Variant != "" || o.Request.Method != req.Method || o.Request.Auth != req.Auth || o.Request.Route != req.Route {
			continue
		}
		if o.Vantage != record.VantageEdge && o.Vantage != record.VantageOrigin {
			continue
		}
		if len(rep.Checks) > 0 && !slices.Contains(cited, o.ID) {
			continue // a check names its own observations: another rule may share the route with another query
		}
		if best == nil || score(o) > score(best) {
			best = o
		}
	}
	return best
}

// skipHeaders are set by diagnose itself or carry credentials.
var skipHeaders = map[string]bool{"Accept": true, "User-Agent": true, "Content-Type": true, "Content-Length": true,
	"X-Wp403-Request-Id": true, "Accept-Encoding": true}

func failingFrom(o *record.Observation, req record.Request) Failing {
	item := Failing{Request: req, Reach: Reach2xx}
	if o.Expect == record.ExpectWordPress {
		item.Reach = ReachWordPress
	}
	if o.Vantage == record.VantageEdge {
		item.Status.Edge = statusOf(o)
	} else {
		item.Status.Origin = statusOf(o)
	}
	spec, err := diagnose.ParseRequest(req.Method + " " + o.Request.URL)
	if err != nil {
		item.NotSent = "its URL cannot be sent again: " + err.Error()
		return item
	}
	h := http.Header{}
	for k, vs := range o.Request.Header {
		ck := http.CanonicalHeaderKey(k)
		switch {
		case ck == "User-Agent" && len(vs) > 0:
			item.UserAgent = vs[0]
		case ck == "Content-Type" && len(vs) > 0:
			spec.ContentType = vs[0]
		case !skipHeaders[ck] && !redact.IsSensitiveHeader(ck):
			h[ck] = append([]string(nil), vs...)
		}
	}
	spec.Header = h
	switch {
	case o.Request.Body != "":
		spec.Body = []byte(o.Request.Body)
	case o.Request.BodyBytes > 0:
		item.NotSent = "its body (" + strconv.Itoa(o.Request.BodyBytes) + " bytes, " + o.Request.BodyKind + ") is not stored in the report"
	}
	item.Spec = spec
	return item
}
