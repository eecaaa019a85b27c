package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// upstream explains a refusal that WordPress did not write.
func (c *context) upstream(s *subject, e *record.Observation) attribution {
	if isRedirect(e) {
		return c.redirect(s, e)
	}
	if m := decisive(e); m != nil && m.Layer == record.LayerEdge {
		return c.signatureRefusal(s, e, m)
	}
	o := s.get(VarAsSent, record.VantageOrigin)
	if e.Vantage == record.VantageEdge && c.canCompareOrigin() && o != nil {
		if ok(o) || reachedWP(o) {
			return c.edgeRefusal(s, e, o)
		}
		return c.originSide(s, o, e)
	}
	if e.Vantage == record.VantageOrigin {
		return c.originSide(s, e, nil)
	}
	return c.withoutOrigin(s, e)
}

func isRedirect(o *record.Observation) bool {
	st := o.Status()
	return st >= 300 && st < 400 && header(o, "Location") != ""
}

// decisive returns a refusal signature specific enough to name the
// mechanism by itself (a vendor block page, a challenge header, HTTP auth,
// a rate limit). A server's or proxy's stock error page is not: the same
// page answers deny rules, WAF modules and method limits alike, so the
// variants decide.
func decisive(o *record.Observation) *record.Match {
	m := matchOf(o, record.KindRefusal)
	if m == nil {
		return nil
	}
	switch m.Mechanism {
	case "", record.MechUnknown, record.MechAccessRule:
		return nil
	}
	return m
}

// stockVendor names the product whose stock page answered, if any.
func stockVendor(o *record.Observation) string {
	if m := matchOf(o, record.KindRefusal); m != nil {
		return m.Vendor
	}
	return ""
}

// signatureRefusal trusts a vendor refusal signature.
func (c *context) signatureRefusal(s *subject, e *record.Observation, m *record.Match) attribution {
	mech := m.Mechanism
	if mech == "" {
		mech = record.MechBlockPage
	}
	a := attribution{layer: m.Layer, mech: mech, vendor: m.Vendor, conf: record.ConfHigh}
	a.summary = m.Vendor + " refused the request: " + strings.TrimSuffix(m.Meaning, ".") + "."
	if m.IncidentID != "" {
		a.summary += " Its incident id is " + m.IncidentID + "."
	}
	a.cite("signature "+m.ID+" matched", e)
	a.next = "Look the request up in " + m.Vendor + "'s event log and add an exception for exactly this route and method."
	return a
}

// edgeRefusal: the edge refused what the origin accepts.
func (c *context) edgeRefusal(s *subject, e, o *record.Observation) attribution {
	a := attribution{layer: record.LayerEdge, conf: record.ConfHigh}
	a.cite("through the edge", e)
	a.cite("the same request straight to the origin reaches WordPress", o)
	mech, why, ctl := c.mechanismFromVariants(s, record.VantageEdge, e)
	a.mech = mech
	if ctl != nil {
		a.cite(why, ctl)
	}
	if v := stockVendor(e); v != "" {
		a.vendor = v
	} else if m := matchOf(e, record.KindPresence); m != nil && m.Layer == record.LayerEdge {
		a.vendor = m.Vendor
	}
	a.summary = "The edge refused the request (" + itoa(e.Status()) + ") that the origin accepts: " + mechanismText(mech, why) + "."
	a.next = "Scope the edge rule so that this route and method pass; keep it for everything else."
	return a
}

// withoutOrigin reasons from one vantage only, by who answered.
func (c *context) withoutOrigin(s *subject, e *record.Observation) attribution {
	if m := matchOf(e, record.KindRefusal); m != nil && m.Layer == record.LayerEdge {
		return c.edgeByFingerprint(s, e, "the page is "+m.Vendor+"'s own, written by the proxy in front of the site, not by the origin server")
	}
	srv := header(e, "Server")
	if c.originServer != "" && !strings.EqualFold(srv, c.originServer) {
		return c.edgeByFingerprint(s, e, "the refusal lacks the origin's fingerprint (Server: "+c.originServer+" on WordPress's own answers)")
	}
	a := c.originSide(s, e, nil)
	if a.conf == record.ConfHigh && hasEdgePresence(c) {
		a.conf = record.ConfMedium
	}
	if hasEdgePresence(c) {
		a.needsOrigin = "An edge/CDN is in front of this site; run again with --origin ADDR (the origin server's IP, from the hosting panel or the DNS record before the CDN was enabled) to prove the refusal comes from the origin and not the edge."
	}
	return a
}

func (c *context) edgeByFingerprint(s *subject, e *record.Observation, why string) attribution {
	a := attribution{layer: record.LayerEdge, conf: record.ConfMedium}
	mech, vwhy, ctl := c.mechanismFromVariants(s, e.Vantage, e)
	a.mech = mech
	a.cite(why, e)
	if ctl != nil {
		a.cite(vwhy, ctl)
	}
	a.summary = "The proxy/CDN in front of the site refused the request (" + itoa(e.Status()) + "): " + mechanismText(mech, vwhy) + "."
	a.needsOrigin = "Run again with --origin ADDR to confirm by sending the same request straight to the origin."
	a.next = "Scope the edge rule so that this route and method pass; keep it for everything else."
	return a
}

// hasEdgePresence reports whether any response carried an edge presence marker.
func hasEdgePresence(c *context) bool {
	for i := range c.in.Observations {
		o := &c.in.Observations[i]
		if m := matchOf(o, record.KindPresence); m != nil && m.Layer == record.LayerEdge {
			return true
		}
	}
	return false
}

// redirect explains a 3xx answer to a REST request.
func (c *context) redirect(s *subject, e *record.Observation) attribution {
	a := attribution{layer: record.LayerServer, mech: record.MechRedirect, conf: record.ConfHigh}
	loc := header(e, "Location")
	by := header(e, "X-Redirect-By")
	o := s.get(VarAsSent, record.VantageOrigin)
	switch {
	case strings.EqualFold(by, "WordPress"):
		a.layer, a.vendor = record.LayerWordPress, "WordPress"
	case by != "":
		a.layer, a.vendor = record.LayerPlugin, by
	case e.Vantage == record.VantageEdge && c.canCompareOrigin() && o != nil && !isRedirect(o):
		a.layer = record.LayerEdge
		a.cite("the origin does not redirect", o)
	case e.Vantage == record.VantageEdge && !c.canCompareOrigin():
		a.conf = record.ConfMedium
		a.needsOrigin = "Run with --origin ADDR to tell an edge redirect from an origin one."
	}
	a.summary = "The REST request is redirected (" + itoa(e.Status()) + " to " + loc + "). Clients do not follow it safely: " +
		"301/302 turn POST into GET and credentials are dropped when the host changes."
	a.cite("", e)
	a.next = "Call the REST API at its canonical URL, and exempt /wp-json/ from host or scheme redirects that change the request."
	return a
}
