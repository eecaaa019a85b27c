package waf

import (
	"fmt"
	"net/http"

	"github.com/wp403/wp403/internal/record"
)

// FromLog finds a logged request by its X-WP403-Request-Id or the WAF's
// unique id, merges what every log line says about it (access line, audit
// entry, one error-log line per rule), and returns it as a Request plus the
// merged entry. Logs do not keep bodies: the Request has the request line,
// Host and User-Agent only, and the entry's Rules are the server's own
// verdict to set beside the replay.
func FromLog(entries []record.LogEntry, id string) (Request, *record.LogEntry, error) {
	var e *record.LogEntry
	for i := range entries {
		x := entries[i]
		if x.RequestID != id && x.UniqueID != id {
			continue
		}
		if e == nil {
			e = &x
			continue
		}
		mergeLogged(e, x)
	}
	if e == nil || e.Method == "" || e.URI == "" {
		return Request{}, nil, fmt.Errorf("no logged request with id %s and a request line", id)
	}
	h := http.Header{}
	if e.Host != "" {
		h.Set("Host", e.Host)
	}
	if e.UserAgent != "" {
		h.Set("User-Agent", e.UserAgent)
	}
	switch e.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		// The body was not logged; say it is empty rather than absent, or
		// CRS 920180 flags a POST without Content-Length.
		h.Set("Content-Length", "0")
	}
	return Request{Method: e.Method, URL: e.URI, Header: h, RemoteAddr: e.Client}, e, nil
}

func mergeLogged(e *record.LogEntry, x record.LogEntry) {
	for _, p := range []struct{ dst, src *string }{{&e.Method, &x.Method}, {&e.URI, &x.URI}, {&e.Host, &x.Host},
		{&e.UserAgent, &x.UserAgent}, {&e.Engine, &x.Engine}, {&e.Client, &x.Client}} {
		if *p.dst == "" {
			*p.dst = *p.src
		}
	}
	e.Blocked = e.Blocked || x.Blocked
	e.Score = max(e.Score, x.Score)
	e.Status = max(e.Status, x.Status)
	for _, r := range x.Rules {
		if !hasHit(e.Rules, r) {
			e.Rules = append(e.Rules, r)
		}
	}
}

func hasHit(hs []record.RuleHit, h record.RuleHit) bool {
	for _, x := range hs {
		if x.ID == h.ID && x.Target == h.Target {
			return true
		}
	}
	return false
}
