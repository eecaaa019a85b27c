package finish

import (
	"net/http"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/verdict"
)

// replayWAF sends the refusals worth replaying through the in-process WAF,
// so a finding can name likely rule ids.
func replayWAF(obs []record.Observation, resend func(*record.Observation) (Request, bool), rp Replayer) {
	if rp == nil || resend == nil {
		return
	}
	origin := HasOrigin(obs)
	for i := range obs {
		o := &obs[i]
		if !replayable(o, origin) {
			continue
		}
		r, ok := resend(o)
		if !ok {
			continue
		}
		if res, err := rp.Replay(r.Method, r.URL, r.Header, r.Body); err == nil {
			o.WAF = res
		}
	}
}

// replayable is the one filter: a refusal that an HTTP answer shows never
// reached WordPress, that no log already explains with rules, and — when
// the origin was asked too — the origin's answer rather than the edge's
// (an edge refusal is not the origin WAF's).
func replayable(o *record.Observation, origin bool) bool {
	switch {
	case o.Response == nil || verdict.Met(o) || verdict.ReachedWordPress(o):
		return false
	case o.Vantage == record.VantageEdge && origin:
		return false
	}
	for _, l := range o.Logs {
		if len(l.Rules) > 0 {
			return false
		}
	}
	return true
}

// Resend is the Resend of a source that keeps the requests it sent: the
// request as recorded in the observation, with the body the source kept.
func Resend(bodies func(id string) []byte) func(*record.Observation) (Request, bool) {
	return func(o *record.Observation) (Request, bool) {
		h := http.Header{}
		for k, vs := range o.Request.Header {
			h[k] = vs
		}
		return Request{Method: o.Request.Method, URL: o.Request.URL, Header: h, Body: bodies(o.ID)}, true
	}
}
