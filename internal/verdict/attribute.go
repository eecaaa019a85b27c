package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// attribution is the outcome of reasoning about one subject.
type attribution struct {
	layer       record.Layer
	mech        record.Mechanism
	vendor      string
	conf        record.Confidence
	summary     string
	next        string
	needsOrigin string
	evidence    []string
	cites       []*record.Observation
	rules       []record.RuleHit
	severity    record.Severity
}

func (a *attribution) cite(reason string, obs ...*record.Observation) {
	for _, o := range obs {
		if o == nil {
			continue
		}
		a.cites = append(a.cites, o)
		if reason != "" {
			a.evidence = append(a.evidence, describe(o)+" — "+reason)
			reason = ""
		} else {
			a.evidence = append(a.evidence, describe(o))
		}
	}
}

// attribute decides which layer refused one subject.
func (c *context) attribute(s *subject) record.Finding {
	e := s.primary()
	var a attribution
	switch {
	case e.Response == nil || readFailure(e.Failure):
		a = c.network(s, e)
	case reachedWP(e):
		a = c.wordpressSide(s, e)
	default:
		a = c.upstream(s, e)
	}
	return c.finish(s, e, a)
}

// finish turns an attribution into a finding citing its observations.
func (c *context) finish(s *subject, e *record.Observation, a attribution) record.Finding {
	if a.severity == "" {
		a.severity = record.SevBlock
	}
	f := record.Finding{
		Severity: a.severity, Layer: a.layer, Mechanism: a.mech, Vendor: a.vendor,
		Request: s.req, Status: c.statusPair(s), Confidence: a.conf, Summary: a.summary,
		Evidence: a.evidence, Next: a.next, NeedsOrigin: a.needsOrigin, Rules: a.rules,
		StoppedAt: a.layer,
	}
	seen := map[string]bool{}
	for _, o := range append([]*record.Observation{e}, a.cites...) {
		if o != nil && !seen[o.ID] {
			seen[o.ID] = true
			f.Observations = append(f.Observations, o.ID)
		}
	}
	return f
}

func (c *context) statusPair(s *subject) record.StatusPair {
	st := func(o *record.Observation) int {
		if o == nil {
			return 0
		}
		if o.Response == nil {
			return -1
		}
		return o.Status()
	}
	p := record.StatusPair{Edge: st(s.get(VarAsSent, record.VantageEdge)), Origin: st(s.get(VarAsSent, record.VantageOrigin))}
	if p.Edge == 0 {
		p.Edge = st(s.primary())
	}
	return p
}

// network explains a request that got no usable HTTP answer.
func (c *context) network(s *subject, e *record.Observation) attribution {
	a := attribution{layer: record.LayerNetwork, conf: record.ConfHigh}
	a.mech = record.MechUnreachable
	switch e.Failure {
	case record.FailTLSHandshake, record.FailTLSInvalidCert, record.FailTLSInvalidHost, record.FailTLSUnknownAuth:
		a.mech = record.MechTLS
		a.summary = "The TLS handshake failed (" + string(e.Failure) + "): no HTTP request reached the site."
		a.next = "Check the certificate the site presents for this host name; pass --cacert for a private CA."
	case record.FailNotHTTP, record.FailDecompression, record.FailBodyTimeout, record.FailEOF, record.FailConnReset:
		a.mech = record.MechBadResponse
		a.summary = "The server's answer was not a usable HTTP response (" + string(e.Failure) + ")."
		if e.Failure == record.FailBodyTimeout {
			a.summary = "The server sent headers (" + itoa(e.Status()) + ") but the body never finished within the timeout (" + string(e.Failure) + ")."
		}
		a.next = "Something on the path answers with broken HTTP; compare with --origin to see which hop."
	default:
		a.summary = "No HTTP answer (" + string(e.Failure) + "): the request never reached a layer that could refuse it."
		a.next = "Check that the host name, port and --resolve/--origin address are right and reachable."
	}
	if o := s.get(VarAsSent, record.VantageOrigin); o != nil && o != e && ok(o) {
		a.layer = record.LayerEdge
		a.summary += " The origin answered the same request directly, so the failure is on the edge's side."
		a.cite("origin answered", o)
	}
	a.cite("", e)
	return a
}

// readFailure: the answer started but could not be read to the end.
func readFailure(f record.Failure) bool {
	switch f {
	case record.FailBodyTimeout, record.FailEOF, record.FailDecompression, record.FailConnReset, record.FailNotHTTP:
		return true
	}
	return false
}

// isCoreCode reports WordPress core REST refusal codes.
func isCoreCode(code string) bool {
	switch code {
	case "rest_forbidden", "rest_not_logged_in", "rest_cookie_invalid_nonce", "incorrect_password",
		"invalid_username", "invalid_email", "application_passwords_disabled",
		"application_passwords_disabled_for_user", "rest_no_route", "rest_forbidden_context",
		"rest_no_authenticated_app_password", "rest_comment_login_required", "rest_post_invalid_id",
		"rest_invalid_param", "rest_missing_callback_param", "rest_user_invalid_id":
		return true
	}
	return strings.HasPrefix(code, "rest_cannot_") || strings.HasPrefix(code, "rest_user_cannot_") ||
		strings.HasPrefix(code, "rest_forbidden_")
}

// pluginMatch returns a plugin-layer refusal signature on o, if any.
func pluginMatch(o *record.Observation) *record.Match {
	if o == nil || o.Class == nil {
		return nil
	}
	for i := range o.Class.Matches {
		m := &o.Class.Matches[i]
		if m.Kind == record.KindRefusal && m.Layer == record.LayerPlugin {
			return m
		}
	}
	return nil
}
