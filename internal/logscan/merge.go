package logscan

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// maxPending bounds how many requests a multi-line reader keeps open.
const maxPending = 256

// merger collects the several log lines one request produces (Apache
// writes one error-log line per matched rule) into one entry, keyed by
// the engine's unique id, with bounded memory: the oldest pending entry
// is emitted when too many are open.
type merger struct {
	order []string
	open  map[string]*record.LogEntry
}

func (g *merger) add(key string, e record.LogEntry, m modsecMsg, emit emitFunc) {
	if key == "" {
		applyMsg(&e, m)
		emit(e)
		return
	}
	if g.open == nil {
		g.open = map[string]*record.LogEntry{}
	}
	if cur, ok := g.open[key]; ok {
		applyMsg(cur, m)
		return
	}
	if len(g.order) >= maxPending {
		g.emitOldest(emit)
	}
	applyMsg(&e, m)
	g.open[key] = &e
	g.order = append(g.order, key)
}

func (g *merger) emitOldest(emit emitFunc) {
	k := g.order[0]
	g.order = g.order[1:]
	emit(*g.open[k])
	delete(g.open, k)
}

func (g *merger) flush(emit emitFunc) {
	for len(g.order) > 0 {
		g.emitOldest(emit)
	}
}

// applyMsg adds one rule message to an entry.
func applyMsg(e *record.LogEntry, m modsecMsg) {
	if !hasRule(e.Rules, m.hit.ID) {
		e.Rules = append(e.Rules, m.hit)
	}
	if m.deny {
		e.Blocked, e.Action = true, "deny"
		if e.Status == 0 {
			e.Status = m.status
		}
		if e.Message == "" {
			e.Message = m.hit.Message
		}
	}
	e.Score = max(e.Score, m.score)
	if e.UniqueID == "" {
		e.UniqueID = m.uniqueID
	}
	if e.URI == "" {
		e.URI = m.uri
	}
	if e.Host == "" {
		e.Host = m.hostname
	}
}

func hasRule(rules []record.RuleHit, id int) bool {
	for _, r := range rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// stripPort turns "127.0.0.1:38754" or "[::1]:80" into the address.
func stripPort(s string) string {
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "]"); i > 0 {
			return s[1:i]
		}
	}
	if strings.Count(s, ":") == 1 {
		s, _, _ = strings.Cut(s, ":")
	}
	return s
}
