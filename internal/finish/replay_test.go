package finish

import (
	"net/http"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

type countingReplayer struct{ urls []string }

func (c *countingReplayer) Replay(_, u string, _ http.Header, _ []byte) (*record.WAFResult, error) {
	c.urls = append(c.urls, u)
	return &record.WAFResult{Blocked: true}, nil
}

func refused(id string, v record.Vantage, status int, mod func(*record.Observation)) record.Observation {
	o := record.Observation{ID: id, Probe: "p", Vantage: v, Expect: record.Expect2xx,
		Request:  record.HTTPRequest{Method: "POST", URL: "https://blog.example/wp-json/wp/v2/posts/" + id},
		Response: &record.HTTPResponse{Status: status, Header: map[string][]string{}}, Class: &record.Class{Producer: record.LayerServer}}
	if mod != nil {
		mod(&o)
	}
	return o
}

// TestReplayFilter: the one filter of every source. Replayed: a refusal
// that never reached WordPress, no log explains, and that is the origin's
// answer when the origin was asked. Not: an answer of WordPress, a
// success, one a log explains, no HTTP answer, the edge's refusal beside
// an origin observation.
func TestReplayFilter(t *testing.T) {
	wp := func(o *record.Observation) { o.Class.Producer, o.Class.REST = record.LayerWordPress, true }
	logged := func(o *record.Observation) { o.Logs = []record.LogEntry{{Rules: []record.RuleHit{{ID: 942100}}}} }
	noAnswer := func(o *record.Observation) { o.Response = nil }
	edgeOnly := []record.Observation{
		refused("a", record.VantageEdge, 403, nil),
		refused("b", record.VantageEdge, 403, wp),
		refused("c", record.VantageEdge, 200, nil),
		refused("d", record.VantageEdge, 403, logged),
		refused("e", record.VantageEdge, 0, noAnswer),
	}
	rp := &countingReplayer{}
	replayWAF(edgeOnly, Resend(func(string) []byte { return nil }), rp)
	if len(rp.urls) != 1 || edgeOnly[0].WAF == nil {
		t.Errorf("edge only: replayed %v, want only a", rp.urls)
	}
	both := []record.Observation{refused("f", record.VantageEdge, 403, nil), refused("g", record.VantageOrigin, 403, nil)}
	rp = &countingReplayer{}
	replayWAF(both, Resend(func(string) []byte { return nil }), rp)
	if len(rp.urls) != 1 || both[1].WAF == nil || both[0].WAF != nil {
		t.Errorf("with the origin: replayed %v, want only the origin's g", rp.urls)
	}
	if !HasOrigin(both) || HasOrigin(edgeOnly) {
		t.Error("HasOrigin is not derived from the observations")
	}
}
