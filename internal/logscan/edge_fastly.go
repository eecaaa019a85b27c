package logscan

import (
	"encoding/json"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// fastlyLog is a record of the JSON log format that Fastly's logging
// endpoint guides recommend (timestamp, client_ip, host, url,
// request_method, request_user_agent, response_state, response_status,
// response_reason, fastly_server; see
// https://docs.fastly.com/en/guides/custom-log-formats and
// https://docs.fastly.com/en/guides/useful-variables-to-log), or its
// older spelling (time_start, request for the method).
type fastlyLog struct {
	Timestamp json.RawMessage `json:"timestamp"`
	TimeStart json.RawMessage `json:"time_start"`
	ClientIP  string          `json:"client_ip"`
	Method    string          `json:"request_method"`
	Request   string          `json:"request"`
	Host      string          `json:"host"`
	URL       string          `json:"url"`
	UserAgent string          `json:"request_user_agent"`
	Status    json.RawMessage `json:"response_status"`
	Reason    string          `json:"response_reason"`
	State     string          `json:"response_state"`
}

func decodeFastly(b []byte, in *interner) (record.LogEntry, bool) {
	var f fastlyLog
	if json.Unmarshal(b, &f) != nil || f.URL == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Fastly", Client: f.ClientIP, Method: pick(f.Method, f.Request), Host: f.Host, URI: f.URL,
		UserAgent: f.UserAgent, Time: flexTime(f.Timestamp), Status: jsonInt(f.Status)}
	if e.Time.IsZero() {
		e.Time = flexTime(f.TimeStart)
	}
	if strings.HasPrefix(f.State, "ERROR") && refusalStatus(e.Status) {
		// The response was written by VCL at the edge (an error
		// statement), not fetched from the origin.
		e.Blocked, e.Action = true, "error"
		e.Message = "answered by Fastly VCL (state ERROR): " + f.Reason
	}
	return e, true
}

// ngwafRequest is a request of the Fastly Next-Gen WAF (formerly Signal
// Sciences) requests API (https://www.fastly.com/documentation/reference/api/security/requests):
// signals tagged on the request, the agent's response code (406 by
// default when it blocks, 200 when it lets the request through).
type ngwafRequest struct {
	ID            string          `json:"id"`
	Timestamp     json.RawMessage `json:"timestamp"`
	RemoteIP      string          `json:"remote_ip"`
	Method        string          `json:"method"`
	ServerName    string          `json:"server_name"`
	Path          string          `json:"path"`
	URI           string          `json:"uri"`
	UserAgent     string          `json:"user_agent"`
	ResponseCode  int             `json:"response_code"`
	AgentResponse int             `json:"agent_response_code"`
	Signals       []struct {
		ID       string `json:"id"`
		Location string `json:"location"`
		Value    string `json:"value"`
		Detector string `json:"detector"`
	} `json:"signals"`
}

func decodeNGWAF(b []byte, in *interner) (record.LogEntry, bool) {
	var r ngwafRequest
	if json.Unmarshal(b, &r) != nil || pick(r.URI, r.Path) == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Fastly Next-Gen WAF", Client: r.RemoteIP, Method: r.Method, Host: r.ServerName,
		URI: pick(r.URI, r.Path), UserAgent: r.UserAgent, UniqueID: r.ID, Time: flexTime(r.Timestamp), Status: r.ResponseCode}
	// The agent answers 200 to let a request through; any other code
	// (406 by default, or the site's custom response code) is its block.
	if r.AgentResponse != 0 && r.AgentResponse != 200 {
		e.Blocked, e.Action, e.Status = true, "block", r.AgentResponse
	}
	for _, s := range r.Signals {
		h := maskedHit(s.ID, s.Detector, s.Location, s.Value)
		h.Kind = "signal"
		e.Rules = append(e.Rules, h)
	}
	return e, true
}

// jsonInt reads a number written as a JSON number or string.
func jsonInt(raw json.RawMessage) int {
	n := 0
	for _, c := range strings.Trim(string(raw), `"`) {
		if c < '0' || c > '9' || n > 1e6 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
