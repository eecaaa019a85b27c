package diagnose

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// generatorRe reads WordPress's version from the generator meta tag the
// site's pages carry (absent when a plugin hides it).
var generatorRe = regexp.MustCompile(`<meta name="generator" content="WordPress (\d+\.\d+(?:\.\d+)?)`)

// siteHealthSpec is Site Health's REST availability check
// (WP_Site_Health::get_test_rest_availability): GET
// rest_url('wp/v2/types/post')?context=edit with the admin's cookies, a
// fresh X-WP-Nonce and Cache-Control: no-cache, sent by WordPress's HTTP
// client, whose User-Agent is "WordPress/<version>; <home URL>".
func (s *session) siteHealthSpec() spec {
	h := http.Header{}
	h.Set("Cache-Control", "no-cache")
	return spec{key: record.ProbeSiteHealth, purpose: "Site Health's REST API check, as WordPress sends it to itself",
		method: "GET", route: "/wp/v2/types/post", query: "context=edit", auth: record.AuthCookieNonce,
		expect: record.Expect2xx, header: h, userAgent: "WordPress/" + s.wpVersion() + "; " + s.home}
}

// wpVersion is the version the site's page announces, else "6.0" (rules
// on WordPress's user agent match its prefix, not the version).
func (s *session) wpVersion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.obs {
		if o.Response == nil {
			continue
		}
		if m := generatorRe.FindStringSubmatch(o.Response.Body); m != nil {
			return m[1]
		}
	}
	return "6.0"
}

// explainSiteHealth adds the loopback's origin-only refusal (which the
// verdict, reasoning about what the edge refused, does not report) and the
// notes that explain Site Health's message.
func (s *session) explainSiteHealth(rep *record.Report) {
	if f := s.loopbackOriginFinding(); f != nil {
		rep.Findings = append([]record.Finding{*f}, rep.Findings...)
	}
	rep.Notes = append(rep.Notes, s.siteHealthNotes(rep)...)
}

// siteHealthNotes explain the Site Health message from the loopback
// probes: what each vantage answered, which layer refused, whether the
// editor's own requests (browser user agent) get through, and whether
// wp403 itself runs on the web server.
func (s *session) siteHealthNotes(rep *record.Report) []string {
	edge, origin := s.findObs(record.ProbeSiteHealth, record.VantageEdge), s.findObs(record.ProbeSiteHealth, record.VantageOrigin)
	if edge == nil && origin == nil {
		return []string{"Site Health: the loopback check needs a logged-in administrator: give --user and --password-file (or the admin's browser cookies with --cookie)."}
	}
	var out []string
	if local := s.localAddr(edge); local != "" {
		out = append(out, "Site Health: wp403 runs on the web server itself (this machine holds "+local+"): its requests to "+s.target.Hostname()+" take the path WordPress's own loopback takes.")
	}
	status := func(o *record.Observation) string {
		if o == nil {
			return "not asked (no --origin)"
		}
		if o.Response == nil {
			return "no answer (" + string(o.Failure) + ")"
		}
		return fmt.Sprintf("%d (%s)", o.Status(), o.ID)
	}
	out = append(out, "Site Health: its REST API check (GET "+s.url(s.siteHealthSpec())+", User-Agent WordPress/…, the admin's cookies, X-WP-Nonce) answered "+
		status(edge)+" through the edge and "+status(origin)+" at the origin.")
	f := findingFor(rep, record.ProbeSiteHealth)
	if f == nil {
		out = append(out, "Site Health: the check passes from here; if Site Health still reports an error, the server reaches itself another way (its own DNS or hosts file, a loopback firewall) or the admin's browser holds a cookie this run did not send (give them with --cookie).")
		return out
	}
	out = append(out, fmt.Sprintf("Site Health: \"The REST API encountered an unexpected result\" comes from this refusal: %s (%s/%s).", f.Summary, f.Layer, f.Mechanism))
	return append(out, "Site Health: "+s.realClients(edge, origin))
}

// realClients says whether the editor's own requests are refused too.
func (s *session) realClients(edge, origin *record.Observation) string {
	editor := s.findObs(record.PlanKey(record.PlanEditorLoad, record.AuthCookieNonce), record.VantageEdge)
	browser := s.findVariant(record.ProbeSiteHealth, record.VarBrowserUA, record.VantageEdge)
	switch {
	case edge != nil && edge.Status() == http.StatusOK:
		return "real clients through the edge are not affected: only requests that reach the origin directly, as the server's loopback does when its name resolves to itself, are refused."
	case browser != nil && browser.Status() == http.StatusOK:
		return "real clients are not affected: the same request with a browser's user agent passes (" + browser.ID + "); only WordPress's own user agent is refused."
	case editor != nil && editor.Status() == http.StatusOK:
		return "the block editor's own request passes (" + editor.ID + "): what is refused is particular to the loopback (its user agent or a cookie only the admin's browser sends)."
	case editor != nil:
		return "real clients are affected: the block editor's own request on the same route is refused too (" + editor.ID + ")."
	}
	return "whether real clients are affected is not known: no browser-like request on this route got an answer."
}

func (s *session) findObs(probe string, v record.Vantage) *record.Observation {
	return s.findVariant(probe, record.VarAsSent, v)
}

func (s *session) findVariant(probe string, variant record.Variant, v record.Vantage) *record.Observation {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.obs {
		if o := &s.obs[i]; o.Probe == probe && o.Variant == variant && o.Vantage == v {
			return o
		}
	}
	return nil
}

// findingFor is the finding about a probe's subject, if any.
func findingFor(rep *record.Report, probe string) *record.Finding {
	for i := range rep.Findings {
		for _, id := range rep.Findings[i].Observations {
			for _, o := range rep.Observations {
				if o.ID == id && o.Probe == probe {
					return &rep.Findings[i]
				}
			}
		}
	}
	return nil
}

// localAddr returns the address an observation connected to when this
// machine holds it (wp403 runs on the web server), else "".
func (s *session) localAddr(o *record.Observation) string {
	if o == nil || o.Response == nil || o.Response.RemoteAddr == "" {
		return ""
	}
	host, _, err := net.SplitHostPort(o.Response.RemoteAddr)
	if err != nil {
		host = o.Response.RemoteAddr
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	if ip == nil {
		return ""
	}
	if ip.IsLoopback() {
		return ip.String()
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return ip.String()
		}
	}
	return ""
}

// loopbackOriginFinding reports Site Health's check refused at the origin
// while the edge lets it through: visitors pass, but the server calling
// itself straight (its name resolving to itself) is refused. The verdict's
// rules examine what the edge refused; this differential is the loopback's
// own, so it is written here.
func (s *session) loopbackOriginFinding() *record.Finding {
	edge, origin := s.findObs(record.ProbeSiteHealth, record.VantageEdge), s.findObs(record.ProbeSiteHealth, record.VantageOrigin)
	if edge == nil || origin == nil || edge.Status() != http.StatusOK || origin.Response == nil || origin.Status() < 400 {
		return nil
	}
	layer, mech, vendor, what := record.LayerServer, record.MechAccessRule, "", "the origin server refused it"
	if c := origin.Class; c != nil {
		if c.Producer != "" {
			layer = c.Producer
		}
		vendor = c.Vendor
	}
	if origin.Status() == http.StatusUnauthorized && origin.Response.Get("WWW-Authenticate") != "" {
		mech, what = record.MechHTTPAuth, "the origin server asks for HTTP authentication ("+clipHeader(origin.Response.Get("WWW-Authenticate"))+")"
	}
	return &record.Finding{ID: "site-health-loopback", Severity: record.SevBlock, Layer: layer, Mechanism: mech, Vendor: vendor,
		Rule: "site-health-origin-only", Confidence: record.ConfHigh, StoppedAt: layer,
		Request: record.Request{Method: "GET", Route: "/wp/v2/types/post", Auth: record.AuthCookieNonce},
		Summary: fmt.Sprintf("Site Health's REST check passes through the edge (%d) but is refused at the origin (%d): %s. "+
			"WordPress's loopback reaches the origin straight when the server resolves its own name to itself, so Site Health reports this while visitors through the edge are not affected.",
			edge.Status(), origin.Status(), what),
		Next:         "Let the server's own address through the rule that guards the REST API (allow it beside the edge's addresses), or make the server resolve its name to the edge.",
		Observations: []string{edge.ID, origin.ID},
		Evidence: []string{edge.ID + " through the edge: " + fmt.Sprint(edge.Status()),
			origin.ID + " at the origin: " + fmt.Sprint(origin.Status())}}
}

func clipHeader(v string) string {
	if len(v) > 60 {
		v = v[:60]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, v)
}
