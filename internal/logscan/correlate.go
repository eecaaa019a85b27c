package logscan

import (
	"sort"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// DefaultWindow is how far apart an observation and a log entry may be
// in time and still be matched without a request id. Access logs have
// one-second resolution and clocks differ a little.
const DefaultWindow = 3 * time.Second

// Correlate attaches log entries to the observations they record (in
// Observation.Logs) and returns how many observations got at least one.
//
// An entry belongs to an observation when it is an edge's record carrying
// the request id the edge put on its answer (EdgeIDs: a Ray ID,
// x-amz-cf-id, x-azure-ref, an Akamai reference…), when it carries the
// observation's request id (the X-WP403-Request-Id header, which the lab's
// access logs and every audit log record), or shares the engine's unique
// id with such an entry (the nginx error line of an audited transaction). Failing
// that, the nearest entry per log file with the same route and method
// within DefaultWindow is taken, if its client is one the request ids
// showed to be ours, or if the candidates all come from one client.
func Correlate(obs []record.Observation, entries []record.LogEntry) int {
	return CorrelateWindow(obs, entries, DefaultWindow)
}

// CorrelateWindow is Correlate with a chosen time window.
func CorrelateWindow(obs []record.Observation, entries []record.LogEntry, window time.Duration) int {
	c := newCorrelator(entries)
	n := 0
	for i := range obs {
		if c.byID(&obs[i]) {
			n++
		}
	}
	for i := range obs {
		if len(obs[i].Logs) == 0 && c.byTime(&obs[i], window) {
			n++
		}
	}
	return n
}

type correlator struct {
	entries []record.LogEntry
	rid     map[string][]int
	uid     map[string][]int
	used    []bool
	clients map[string]bool // clients seen on id-matched entries
}

func newCorrelator(entries []record.LogEntry) *correlator {
	c := &correlator{entries: entries, rid: map[string][]int{}, uid: map[string][]int{},
		used: make([]bool, len(entries)), clients: map[string]bool{}}
	for i, e := range entries {
		if e.RequestID != "" {
			c.rid[e.RequestID] = append(c.rid[e.RequestID], i)
		}
		if e.UniqueID != "" {
			c.uid[e.UniqueID] = append(c.uid[e.UniqueID], i)
		}
	}
	return c
}

func (c *correlator) byID(o *record.Observation) bool {
	// The edge's own request id (a Ray ID, x-amz-cf-id, x-azure-ref…)
	// names the edge's log record of exactly this request.
	for _, id := range EdgeIDs(o) {
		for _, i := range c.uid[id] {
			if c.entries[i].Edge {
				c.attach(o, i)
			}
		}
	}
	if o.RequestID == "" {
		return len(o.Logs) > 0
	}
	for _, i := range c.rid[o.RequestID] {
		c.attach(o, i)
		c.clients[c.entries[i].Client] = true
		for _, j := range c.uid[c.entries[i].UniqueID] {
			c.attach(o, j)
		}
	}
	return len(o.Logs) > 0
}

func (c *correlator) attach(o *record.Observation, i int) {
	if c.used[i] {
		return
	}
	c.used[i] = true
	o.Logs = append(o.Logs, c.entries[i])
}

// byTime attaches, per log file, the nearest unused entry of the same
// request shape.
func (c *correlator) byTime(o *record.Observation, window time.Duration) bool {
	if o.Time.IsZero() {
		return false
	}
	route := obsRoute(o)
	best := map[string]int{} // source → entry index
	clients := map[string]bool{}
	for i, e := range c.entries {
		if c.used[i] || e.Route != route || !sameMethod(e.Method, o.Request.Method) || e.Time.IsZero() {
			continue
		}
		d := absDur(e.Time.Sub(o.Time))
		if d > window || (len(c.clients) > 0 && !c.clients[e.Client]) {
			continue
		}
		clients[e.Client] = true
		if j, ok := best[e.Source]; !ok || d < absDur(c.entries[j].Time.Sub(o.Time)) {
			best[e.Source] = i
		}
	}
	if len(best) == 0 || len(clients) > 1 {
		return false // nothing, or several clients and none known to be ours
	}
	idx := make([]int, 0, len(best))
	for _, i := range best {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		c.attach(o, i)
	}
	return true
}

func obsRoute(o *record.Observation) string {
	if r, _, ok := record.ParseRoute(o.Request.URL, ""); ok {
		return r
	}
	return o.Request.Route
}

// sameMethod accepts an unknown method (error logs of Apache have none).
func sameMethod(logged, sent string) bool {
	return logged == "" || sent == "" || logged == sent
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
