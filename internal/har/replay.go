package har

import (
	"net/url"
	"sort"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// maxKeptBodies bounds the request bodies kept for replay, in bytes.
const maxKeptBodies = 4 << 20

// Replayable is a failed request as it can be sent again: the method the
// editor meant (X-HTTP-Method-Override applied), the URL without secret
// parameters, and the body, without any cookie, nonce or credential.
type Replayable struct {
	ID          string `json:"id"`
	Purpose     string `json:"purpose"`
	Method      string `json:"method"`
	URL         string `json:"url"`
	ContentType string `json:"content_type,omitempty"`
	Body        []byte `json:"-"`
	// BodyMissing is true when the request had a body that the export
	// did not hold whole (omitted, or larger than MaxBody).
	BodyMissing bool `json:"body_missing,omitempty"`
}

// keep remembers what replaying an entry needs; only writes keep a body.
func (res *Result) keep(o *record.Observation, e *entry) {
	if res.replay == nil {
		res.replay = map[string]Replayable{}
	}
	r := Replayable{ID: o.ID, Purpose: o.Purpose, Method: strings.ToUpper(e.Request.Method), URL: redact.URL(e.Request.URL)}
	if ov := strings.ToUpper(strings.TrimSpace(header(e.Request.Headers, "X-HTTP-Method-Override"))); ov != "" && r.Method == "POST" {
		r.Method = ov
	}
	if pd := e.Request.PostData; pd != nil || e.Request.BodySize > 0 {
		r.BodyMissing = true
		if pd != nil && !pd.Text.Truncated && pd.Text.S != "" && res.kept+len(pd.Text.S) <= maxKeptBodies {
			r.ContentType = pd.MimeType
			r.Body, r.BodyMissing = []byte(pd.Text.S), false
			if strings.HasPrefix(r.ContentType, "application/x-www-form-urlencoded") {
				r.Body = []byte(redact.Query(pd.Text.S))
			}
			res.kept += len(r.Body)
		}
	}
	res.replay[o.ID] = r
}

// Failed returns the failed requests worth sending again, oldest first:
// one per method and route, without the nonce refreshes, and without
// requests the editor recovered from (a retry of the same request that
// succeeded after a nonce refresh).
func (res *Result) Failed(sc *redact.Scrubber) []Replayable {
	var out []Replayable
	seen := map[string]bool{}
	for _, o := range res.timeOrder() {
		if !failed(o) || o.Purpose == ActNonceRefresh || res.recovered(o) != nil {
			continue
		}
		key := o.Request.Method + " " + o.Request.Route
		r, ok := res.replay[o.ID]
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		r.URL = sc.String(r.URL)
		r.Body = sc.Bytes(r.Body)
		out = append(out, r)
	}
	return out
}

func failed(o *record.Observation) bool { return o.Failure != "" || o.Status() >= 400 }

// recovered returns the later request to the same URL and method that
// succeeded after the editor refreshed its nonce, or nil.
func (res *Result) recovered(o *record.Observation) *record.Observation {
	if !res.nonceFail[o.ID] && (o.Response == nil || !strings.Contains(o.Response.Body, "rest_cookie_invalid_nonce")) {
		return nil
	}
	if res.bySubject == nil {
		res.bySubject = map[string][]int{}
		for i := range res.Observations {
			k := subjectKey(&res.Observations[i])
			res.bySubject[k] = append(res.bySubject[k], i)
		}
	}
	for _, i := range res.bySubject[subjectKey(o)] {
		p := &res.Observations[i]
		if p.Time.After(o.Time) && p.Status() > 0 && p.Status() < 400 {
			return p
		}
	}
	return nil
}

func sameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Path == ub.Path && ua.Query().Get("rest_route") == ub.Query().Get("rest_route")
}

func (res *Result) timeOrder() []*record.Observation {
	order := make([]*record.Observation, len(res.Observations))
	for i := range res.Observations {
		order[i] = &res.Observations[i]
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Time.Before(order[j].Time) })
	return order
}
