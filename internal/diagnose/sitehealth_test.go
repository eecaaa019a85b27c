package diagnose

import (
	"net/url"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func loopbackObs(id string, v record.Vantage, status int, hdr map[string][]string) record.Observation {
	return record.Observation{ID: id, Probe: record.ProbeSiteHealth, Vantage: v,
		Response: &record.HTTPResponse{Status: status, Header: hdr},
		Class:    &record.Class{Producer: record.LayerServer, Vendor: "nginx"}}
}

// Site Health's check passing through the edge and refused at the origin
// is the loopback's own finding; refused at both or at neither, it is not.
func TestLoopbackOriginFinding(t *testing.T) {
	target, _ := url.Parse("https://blog.example/")
	auth := map[string][]string{"Www-Authenticate": {`Basic realm="Restricted API"`}}
	cases := []struct {
		name       string
		obs        []record.Observation
		want       bool
		mechanism  record.Mechanism
		wantInText string
	}{
		{"basic auth at the origin only", []record.Observation{loopbackObs("o1", record.VantageEdge, 200, nil), loopbackObs("o2", record.VantageOrigin, 401, auth)},
			true, record.MechHTTPAuth, "HTTP authentication"},
		{"deny at the origin only", []record.Observation{loopbackObs("o1", record.VantageEdge, 200, nil), loopbackObs("o2", record.VantageOrigin, 403, nil)},
			true, record.MechAccessRule, "refused at the origin (403)"},
		{"refused at both", []record.Observation{loopbackObs("o1", record.VantageEdge, 403, nil), loopbackObs("o2", record.VantageOrigin, 403, nil)}, false, "", ""},
		{"no origin", []record.Observation{loopbackObs("o1", record.VantageEdge, 200, nil)}, false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &session{target: target, obs: c.obs}
			f := s.loopbackOriginFinding()
			if (f != nil) != c.want {
				t.Fatalf("finding %+v, want one: %v", f, c.want)
			}
			if f == nil {
				return
			}
			if f.Mechanism != c.mechanism || f.Layer != record.LayerServer || f.Severity != record.SevBlock {
				t.Errorf("got %s/%s %s, want server/%s block", f.Layer, f.Mechanism, f.Severity, c.mechanism)
			}
			if !strings.Contains(f.Summary, c.wantInText) || !strings.Contains(f.Summary, "visitors through the edge are not affected") {
				t.Errorf("summary %q", f.Summary)
			}
		})
	}
}
