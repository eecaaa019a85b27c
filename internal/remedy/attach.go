package remedy

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Attach gives every block or warn finding of a report (and an origin
// lock) its narrowest fixes, with what the run learnt about the site.
func Attach(rep *record.Report) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Severity == record.SevInfo && f.Mechanism != record.MechOriginLocked {
			continue
		}
		f.Remedies = For(f, ContextOf(f, rep))
	}
}

// ContextOf is what the report tells the remedy generator about a finding.
func ContextOf(f *record.Finding, rep *record.Report) Context {
	c := Context{Server: serverFlavour(rep), Edge: edgeProduct(rep), URL: rep.Target.URL,
		Home: rep.Site.Home, SiteURL: rep.Site.URL, RESTPrefix: restPrefix(rep.Target.RESTRoot)}
	if len(f.Observations) > 0 {
		if o := rep.Observation(f.Observations[0]); o != nil {
			c.ContentType = o.Request.Get("Content-Type")
			c.UserAgent = o.Request.Get("User-Agent")
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
		c.Header = orDefault(f.Header, "Authorization")
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

func restPrefix(root string) string {
	u, err := url.Parse(root)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// edgeProduct is the registry id of the edge a signature named.
func edgeProduct(rep *record.Report) string {
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

// serverFlavour reads the origin server product from Server headers.
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
