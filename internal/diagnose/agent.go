package diagnose

import (
	"context"
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/agent"
	"github.com/wp403/wp403/internal/record"
)

// signAgent adds the wp403 agent's signature to a REST request when the
// run has the agent key; other requests (pages, login) are never signed.
func (s *session) signAgent(h http.Header, sp spec, rid string) {
	if len(s.cfg.AgentKey) == 0 || sp.route == "" {
		return
	}
	signer := agent.Signer{Key: s.cfg.AgentKey, Now: s.cfg.Now}
	if v := signer.Header(sp.method, sp.route, rid); v != "" {
		h.Set(agent.SignHeader, v)
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
