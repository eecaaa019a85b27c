package verdict

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// context holds site-wide facts derived once from all observations.
type context struct {
	in           Input
	subjects     map[string]*subject
	originLocked bool
	// originServer is the Server header WordPress responses carry when
	// relayed by the edge: the origin's fingerprint.
	originServer string
}

func newContext(in Input, subjects []*subject) *context {
	c := &context{in: in, subjects: map[string]*subject{}}
	for _, s := range subjects {
		c.subjects[s.key] = s
	}
	c.originLocked = c.detectOriginLock(subjects)
	c.originServer = c.detectOriginServer()
	return c
}

// detectOriginLock is true when every origin probe failed to reach
// WordPress while the same probes reached it through the edge: the origin
// only accepts its CDN.
func (c *context) detectOriginLock(subjects []*subject) bool {
	compared, lockedLike := 0, 0
	for _, s := range subjects {
		e, o := s.get(VarAsSent, record.VantageEdge), s.get(VarAsSent, record.VantageOrigin)
		if e == nil || o == nil || !reachedWP(e) {
			continue
		}
		compared++
		if !reachedWP(o) {
			lockedLike++
		}
	}
	return compared >= 2 && lockedLike == compared
}

func (c *context) detectOriginServer() string {
	for i := range c.in.Observations {
		o := &c.in.Observations[i]
		if o.Vantage == record.VantageEdge && restHeaders(o) {
			if s := header(o, "Server"); s != "" {
				return s
			}
		}
	}
	return ""
}

// canCompareOrigin reports whether origin observations can serve as a control.
func (c *context) canCompareOrigin() bool { return c.in.HasOrigin && !c.originLocked }

// okAux reports whether an auxiliary probe (by subject key) succeeded.
func (c *context) okAux(key string) (*record.Observation, bool) {
	s := c.subjects[key]
	if s == nil {
		return nil, false
	}
	o := s.primary()
	return o, o != nil && ok(o)
}

// siteFindings are findings about the site rather than one request.
func (c *context) siteFindings() []record.Finding {
	var out []record.Finding
	if c.originLocked {
		out = append(out, c.originLockFinding())
	}
	if f, ok := c.canonicalFinding(); ok {
		out = append(out, f)
	}
	return out
}

func (c *context) originLockFinding() record.Finding {
	var cites []string
	for _, s := range c.subjects {
		if o := s.get(VarAsSent, record.VantageOrigin); o != nil && len(cites) < 3 {
			cites = append(cites, o.ID)
		}
	}
	return record.Finding{
		Severity: record.SevInfo, Layer: record.LayerServer, Mechanism: record.MechOriginLocked,
		Confidence: record.ConfHigh, Observations: cites,
		Summary: "The origin refuses direct connections: it only answers its CDN or proxy. " +
			"Origin results were not used to blame any layer.",
		Next: "To compare edge and origin, run wp403 from an address the origin allows, or allow this address temporarily.",
	}
}

// canonicalFinding reports a home/siteurl that differs from the URL used
// in host or scheme: cookies and nonces then break in the editor.
func (c *context) canonicalFinding() (record.Finding, bool) {
	t, err := url.Parse(c.in.TargetURL)
	if err != nil || c.in.Site.Home == "" {
		return record.Finding{}, false
	}
	for _, pair := range [][2]string{{"home", c.in.Site.Home}, {"siteurl", c.in.Site.URL}} {
		u, err := url.Parse(pair[1])
		if err != nil || u.Host == "" {
			continue
		}
		if !strings.EqualFold(u.Hostname(), t.Hostname()) || u.Scheme != t.Scheme {
			return record.Finding{
				Severity: record.SevWarn, Layer: record.LayerWordPress, Mechanism: record.MechCanonical,
				Confidence: record.ConfHigh,
				Summary: "WordPress's " + pair[0] + " is " + pair[1] + " but the site was reached as " +
					t.Scheme + "://" + t.Host + ": REST URLs, cookies and nonces follow " + pair[0] + ".",
				Next: "Make home and siteurl the canonical https URL visitors use (Settings → General).",
			}, true
		}
	}
	return record.Finding{}, false
}
