package diagnose

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/agent"
	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
)

// signAgent adds the wp403 agent's signature to a REST request when the
// run has the agent key; other requests (pages, login) are never signed.
// The signature covers the request as it is sent (Host, path, query,
// body, credentials), so it is made last, on the finished request.
func (s *session) signAgent(req *probe.Request, sp spec) {
	if len(s.cfg.AgentKey) == 0 || sp.route == "" {
		return
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return
	}
	signer := agent.Signer{Key: s.cfg.AgentKey, Now: s.cfg.Now}
	r := agent.Request{Method: req.Method, Host: u.Host, Path: u.EscapedPath(), RawQuery: u.RawQuery, Header: req.Header, Body: req.Body}
	if v := signer.Header(r, req.RequestID); v != "" {
		req.Header.Set(agent.SignHeader, v)
	}
}

// readAgent attaches the agent's trace of a signed request to its
// observation, or says why there is none. The raw header is dropped from
// every stored response: only the validated trace is kept.
func (s *session) readAgent(o *record.Observation, sp spec) {
	if len(s.cfg.AgentKey) == 0 || o.Response == nil {
		return
	}
	raw := o.Response.Get(agent.TraceHeader)
	for k := range o.Response.Header {
		if strings.EqualFold(k, agent.TraceHeader) {
			delete(o.Response.Header, k)
		}
	}
	if sp.route == "" {
		return
	}
	if raw == "" {
		o.AgentNote = "no trace: the request did not reach the agent, the agent is not installed, or its key differs"
		return
	}
	t, err := agent.ParseTrace(raw, s.cfg.AgentKey, o.RequestID)
	if err != nil {
		o.AgentNote = err.Error()
		return
	}
	o.Agent = t
}

// AgentStatus sends one signed request, the REST index as
// ?rest_route=/ at the edge, and returns its observation: Agent is set
// when the agent is installed and the key matches.
func AgentStatus(ctx context.Context, cfg Config) (record.Observation, error) {
	if len(cfg.AgentKey) == 0 {
		return record.Observation{}, usage("agent status needs the key: --agent-key-file FILE or WP403_AGENT_KEY")
	}
	s, err := newSession(cfg)
	if err != nil {
		return record.Observation{}, err
	}
	defer s.client.Close()
	s.setRoot(s.target.Scheme+"://"+s.target.Host+"/wp-json/", "")
	sp := indexSpecs()[1]
	sp.key, sp.purpose, sp.query = "agent-status", "is the wp403 agent installed with this key", ""
	return s.wave(ctx, "agent status", []spec{sp}, []record.Vantage{record.VantageEdge})[0], nil
}

// AgentAction sends one signed action ("purge", "journal") to the agent at
// the site's URL (a GET, or a POST for purge, with ?wp403-agent=ACTION) and
// returns the answer's raw body, for agent.ParsePurge or agent.ParseJournal,
// with the observation (status, or why there was no answer).
func AgentAction(ctx context.Context, cfg Config, action string) ([]byte, record.Observation, error) {
	if len(cfg.AgentKey) == 0 {
		return nil, record.Observation{}, usage("this needs the agent key: --agent-key-file FILE or WP403_AGENT_KEY")
	}
	s, err := newSession(cfg)
	if err != nil {
		return nil, record.Observation{}, err
	}
	defer s.client.Close()
	u := *s.target
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawQuery, u.Fragment = "wp403-agent="+action, ""
	method := http.MethodGet
	if action == "purge" {
		method = http.MethodPost
	}
	id, rid := s.nextID()
	h := http.Header{}
	h.Set("User-Agent", s.cfg.UserAgent)
	h.Set("Accept", "text/plain")
	signer := agent.Signer{Key: cfg.AgentKey, Now: cfg.Now}
	v := signer.Header(agent.Request{Method: method, Host: u.Host, Path: u.EscapedPath(), RawQuery: u.RawQuery, Header: h, Action: action}, rid)
	if v == "" {
		return nil, record.Observation{}, usage("unknown agent action %q", action)
	}
	h.Set(agent.SignHeader, v)
	var body []byte
	o := s.client.Do(ctx, probe.Request{ID: id, Probe: "agent-" + action, Purpose: "ask the wp403 agent for its " + action,
		Vantage: record.VantageEdge, RequestID: rid, Method: method, URL: u.String(), Header: h,
		Sink: func(_ *http.Response, b []byte) { body = append([]byte(nil), b...) }})
	return body, o, nil
}
