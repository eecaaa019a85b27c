package diagnose

import (
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
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
		if o.Response == nil || restOrWPError(*o) || !failed(*o) || o.Vantage == record.VantageEdge && s.client.HasOrigin() {
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

// attachRemedies asks the remedy generator for each finding's fix.
func attachRemedies(rep *record.Report, gen RemedyFunc) {
	if gen == nil {
		return
	}
	for i := range rep.Findings {
		rep.Findings[i].Remedies = gen(&rep.Findings[i], rep)
	}
}

// RemedyFunc returns the narrowest fixes for a finding.
type RemedyFunc func(f *record.Finding, rep *record.Report) []record.Remedy

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
