package diagnose

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy"
	"github.com/wp403/wp403/internal/verdict"
)

// replayWAF evaluates origin-side refusals that no log explained with the
// in-process WAF, so a finding can name likely rule ids. Only requests
// that failed before reaching WordPress are replayed.
func (s *session) replayWAF() {
	if s.cfg.Replayer == nil {
		return
	}
	for i := range s.obs {
		o := &s.obs[i]
		if o.Response == nil || verdict.ReachedWordPress(o) || !failed(*o) || o.Vantage == record.VantageEdge && s.client.HasOrigin() {
			continue
		}
		if hasRuleLogs(o) {
			continue
		}
		h := http.Header{}
		for k, vs := range o.Request.Header {
			h[k] = vs
		}
		res, err := s.cfg.Replayer.Replay(o.Request.Method, o.Request.URL, h, s.bodyOf(o.ID))
		if err == nil {
			o.WAF = res
		}
	}
}

func hasRuleLogs(o *record.Observation) bool {
	for _, l := range o.Logs {
		if len(l.Rules) > 0 {
			return true
		}
	}
	return false
}

func (s *session) bodyOf(id string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[id]
}

// AttachRemedies gives every block or warn finding its narrowest fixes.
func AttachRemedies(rep *record.Report) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Severity == record.SevInfo && f.Mechanism != record.MechOriginLocked {
			continue
		}
		f.Remedies = remedy.For(f, remedyContext(f, rep))
	}
}

// remedyContext tells the remedy generator what the run learned.
func remedyContext(f *record.Finding, rep *record.Report) remedy.Context {
	c := remedy.Context{Server: serverFlavour(rep), Edge: edgeVendor(rep), URL: rep.Target.URL,
		Home: rep.Site.Home, SiteURL: rep.Site.URL, RESTPrefix: restPrefix(rep.Target.RESTRoot)}
	if len(f.Observations) > 0 {
		if o := rep.Observation(f.Observations[0]); o != nil {
			c.ContentType = first(o.Request.Header, "Content-Type")
			c.UserAgent = first(o.Request.Header, "User-Agent")
			if o.Response != nil {
				c.Location = o.Response.Get("Location")
				if o.Agent != nil && f.Rule == "agent-callback" {
					c.Callback = o.Agent.Refusal
				}
				if o.Class != nil && o.Class.WPError != nil {
					c.Code = o.Class.WPError.Code
				}
			}
		}
	}
	if f.Mechanism == record.MechHeaderStripped {
		c.Header = f.Header
		if c.Header == "" {
			c.Header = "Authorization"
		}
	}
	for _, r := range f.Rules {
		if r.ID > 0 {
			c.WAF = wafEngine(rep)
			break
		}
	}
	return c
}

// wafEngine names the ModSecurity generation when a log said so.
func wafEngine(rep *record.Report) string {
	for _, l := range rep.Logs {
		e := strings.ToLower(l.Engine)
		switch {
		case strings.Contains(e, "v3"), strings.Contains(l.Format, "3"):
			return "modsecurity-v3"
		case strings.Contains(e, "2."), strings.Contains(l.Format, "2"):
			return "modsecurity-v2"
		case strings.Contains(e, "coraza"):
			return "coraza"
		}
	}
	return ""
}

func first(h map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func restPrefix(root string) string {
	u, err := url.Parse(root)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// edgeVendor is the registry id of the edge named by a signature.
func edgeVendor(rep *record.Report) string {
	for _, o := range rep.Observations {
		if o.Class == nil {
			continue
		}
		for _, m := range o.Class.Matches {
			if m.Layer == record.LayerEdge && m.Product != "" {
				return m.Product
			}
		}
	}
	return ""
}

// serverFlavour guesses the origin server product from Server headers.
func serverFlavour(rep *record.Report) string {
	for _, o := range rep.Observations {
		if o.Response == nil {
			continue
		}
		srv := strings.ToLower(o.Response.Get("Server"))
		switch {
		case strings.Contains(srv, "nginx"), strings.Contains(srv, "openresty"):
			return "nginx"
		case strings.Contains(srv, "apache"):
			return "apache"
		case strings.Contains(srv, "litespeed"):
			return "litespeed"
		}
	}
	return ""
}
