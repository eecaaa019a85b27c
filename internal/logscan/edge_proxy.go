package logscan

import (
	"encoding/json"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// caddyLog is a record of Caddy's structured logs, of which the HTTP ones
// (https://caddyserver.com/docs/caddyfile/directives/log#examples): the
// access logger "http.log.access…" writes msg "handled request", the
// error logger "http.log.error…" the message of the handler error that
// ended the request (the `error` directive's text) with err_id and
// err_trace — for a 4xx at level DEBUG, so the log must keep that level.
// request.headers is a map of header lists.
type caddyLog struct {
	Logger  string          `json:"logger"`
	TS      json.RawMessage `json:"ts"`
	Msg     string          `json:"msg"`
	Status  int             `json:"status"`
	ErrID   string          `json:"err_id"`
	Trace   string          `json:"err_trace"`
	Request struct {
		RemoteIP string              `json:"remote_ip"`
		ClientIP string              `json:"client_ip"`
		Method   string              `json:"method"`
		Host     string              `json:"host"`
		URI      string              `json:"uri"`
		Headers  map[string][]string `json:"headers"`
	} `json:"request"`
}

func decodeCaddy(b []byte, in *interner) (record.LogEntry, bool) {
	var c caddyLog
	r := &c.Request
	if json.Unmarshal(b, &c) != nil {
		return record.LogEntry{}, false
	}
	if r.URI == "" || !strings.HasPrefix(c.Logger, "http.log.access") && !strings.HasPrefix(c.Logger, "http.log.error") {
		return record.LogEntry{}, true // Caddy's own messages: no request
	}
	e := record.LogEntry{Engine: "Caddy", Client: pick(r.ClientIP, r.RemoteIP), Method: r.Method, Host: r.Host,
		URI: r.URI, Status: c.Status, Time: flexTime(c.TS)}
	var h headerPick
	for k, v := range r.Headers {
		if len(v) > 0 {
			h.add(k, v[0])
		}
	}
	e.UserAgent, e.RequestID = h.agent, h.rid
	if strings.HasPrefix(c.Logger, "http.log.error") {
		// A handler error ended the request: Caddy itself answered, and
		// the message is the error's (for the `error` directive, the
		// text its configuration gave).
		e.UniqueID = c.ErrID
		e.Blocked = refusalStatus(c.Status)
		if e.Blocked {
			e.Action = "error"
			hit := maskedHit(c.Msg, "", "", "")
			hit.Kind = caddyKind(c.Trace)
			e.Rules = []record.RuleHit{hit}
		}
		e.Message = "Caddy handler error: " + c.Msg
	}
	return e, true
}

// caddyKind names the handler from err_trace ("caddyhttp.StaticError.ServeHTTP
// (staticerror.go:102)" is the `error` directive).
func caddyKind(trace string) string {
	fn, _, _ := strings.Cut(trace, " ")
	switch {
	case strings.HasPrefix(fn, "caddyhttp.StaticError"):
		return "error directive"
	case strings.Contains(fn, "Authentication"):
		return "authentication"
	case fn == "":
		return "handler error"
	}
	return fn
}

// traefikLog is a record of Traefik's JSON access log
// (https://doc.traefik.io/traefik/observability/access-logs/): request
// fields, DownstreamStatus (what the client got) and OriginStatus (what
// the backend answered; 0 when no backend was called, so a middleware or
// the router refused), RouterName, and the kept request headers as
// request_<Name>.
type traefikLog struct {
	ClientHost       string          `json:"ClientHost"`
	RequestHost      string          `json:"RequestHost"`
	RequestMethod    string          `json:"RequestMethod"`
	RequestPath      string          `json:"RequestPath"`
	DownstreamStatus int             `json:"DownstreamStatus"`
	OriginStatus     int             `json:"OriginStatus"`
	RouterName       string          `json:"RouterName"`
	ServiceName      string          `json:"ServiceName"`
	StartUTC         json.RawMessage `json:"StartUTC"`
	UserAgent        string          `json:"request_User-Agent"`
	RequestID        string          `json:"request_X-Wp403-Request-Id"`
}

func decodeTraefik(b []byte, in *interner) (record.LogEntry, bool) {
	var t traefikLog
	if json.Unmarshal(b, &t) != nil || t.RequestPath == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Traefik", Client: t.ClientHost, Method: t.RequestMethod, Host: t.RequestHost,
		URI: t.RequestPath, Status: t.DownstreamStatus, UserAgent: t.UserAgent, RequestID: t.RequestID, Time: flexTime(t.StartUTC)}
	if t.OriginStatus == 0 && refusalStatus(t.DownstreamStatus) {
		// No backend answered: a middleware of the router refused.
		e.Blocked, e.Action = true, "deny"
		hit := maskedHit(t.RouterName, "a middleware of the router answered; the backend was not called", "", "")
		hit.Kind = "router middleware"
		e.Rules = []record.RuleHit{hit}
		e.Message = "refused by Traefik router " + t.RouterName + " before service " + t.ServiceName
	}
	return e, true
}
