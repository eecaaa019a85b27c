package logscan

import (
	"context"
	"sort"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// Bounds of what a Matcher keeps, whatever the size of the logs.
const (
	// MaxPerObservation is the most log entries attached to one observation.
	MaxPerObservation = 16
	// maxUnique bounds the entries kept only for their engine unique id
	// (error-log lines of an audited transaction), until the end of the scan
	// says which unique ids are ours.
	maxUnique = 4096
	// maxClientsPerSlot bounds the clients remembered per observation and
	// log file for matching by time: more than one already means "not sure".
	maxClientsPerSlot = 8
)

// Matcher keeps, while logs stream past, only the entries that can belong
// to a fixed set of observations: those carrying one of their request ids,
// those sharing an engine unique id with such an entry, and per
// observation and log file the nearest entry of the same route and method
// per client within the time window. Memory is bounded by the number of
// observations, never by the size of the logs.
type Matcher struct {
	obs     []record.Observation
	window  time.Duration
	rids    map[string]bool
	eids    map[string]bool  // request ids the edges put on their answers (EdgeIDs)
	byRoute map[string][]int // route → observation indexes, by time
	ridSpan [2]time.Time     // time span of the observations that carry request ids

	kept    []record.LogEntry // candidates, in scan order
	perRID  map[string]int
	unique  int
	slots   map[slotKey]map[string]int // (observation, source) → client → index in kept
	Dropped int                        // candidates dropped by the bounds
}

type slotKey struct {
	obs    int
	source string
}

// NewMatcher prepares a matcher for obs (which it does not change).
func NewMatcher(obs []record.Observation, window time.Duration) *Matcher {
	m := &Matcher{obs: obs, window: window, rids: map[string]bool{}, eids: map[string]bool{}, byRoute: map[string][]int{},
		perRID: map[string]int{}, slots: map[slotKey]map[string]int{}}
	for i := range obs {
		o := &obs[i]
		if o.RequestID != "" {
			m.rids[o.RequestID] = true
			m.widen(o.Time)
		}
		for _, id := range EdgeIDs(o) {
			m.eids[id] = true
		}
		if !o.Time.IsZero() {
			r := obsRoute(o)
			m.byRoute[r] = append(m.byRoute[r], i)
		}
	}
	for _, idx := range m.byRoute {
		sort.SliceStable(idx, func(a, b int) bool { return obs[idx[a]].Time.Before(obs[idx[b]].Time) })
	}
	return m
}

func (m *Matcher) widen(t time.Time) {
	if t.IsZero() {
		return
	}
	if m.ridSpan[0].IsZero() || t.Before(m.ridSpan[0]) {
		m.ridSpan[0] = t
	}
	if t.After(m.ridSpan[1]) {
		m.ridSpan[1] = t
	}
}

// Add looks at one entry and keeps it if it may belong to an observation.
func (m *Matcher) Add(e record.LogEntry) {
	switch {
	case e.Edge && e.UniqueID != "" && m.eids[e.UniqueID]:
		if m.perRID["\x00edge "+e.UniqueID] >= MaxPerObservation {
			m.Dropped++
			return
		}
		m.perRID["\x00edge "+e.UniqueID]++
		m.kept = append(m.kept, e)
	case e.RequestID != "" && m.rids[e.RequestID]:
		if m.perRID[e.RequestID] >= MaxPerObservation {
			m.Dropped++
			return
		}
		m.perRID[e.RequestID]++
		m.kept = append(m.kept, e)
	case e.UniqueID != "" && m.nearRIDs(e.Time):
		if m.unique >= maxUnique {
			m.Dropped++
			return
		}
		m.unique++
		m.kept = append(m.kept, e)
	default:
		m.byTime(e)
	}
}

// nearRIDs reports whether t (or an unknown time) lies within the window
// around the observations that carry request ids.
func (m *Matcher) nearRIDs(t time.Time) bool {
	if len(m.rids) == 0 {
		return false
	}
	if t.IsZero() || m.ridSpan[0].IsZero() {
		return true
	}
	return !t.Before(m.ridSpan[0].Add(-m.window)) && !t.After(m.ridSpan[1].Add(m.window))
}

// byTime keeps the entry as the nearest of its client for every
// observation of the same shape within the window.
func (m *Matcher) byTime(e record.LogEntry) {
	if e.Time.IsZero() || e.Route == "" {
		return
	}
	idx := m.candidates(e)
	at := -1
	for _, i := range idx {
		k := slotKey{obs: i, source: e.Source}
		slot := m.slots[k]
		if slot == nil {
			slot = map[string]int{}
			m.slots[k] = slot
		}
		d := absDur(e.Time.Sub(m.obs[i].Time))
		if j, ok := slot[e.Client]; ok && absDur(m.kept[j].Time.Sub(m.obs[i].Time)) <= d {
			continue
		}
		if _, ok := slot[e.Client]; !ok && len(slot) >= maxClientsPerSlot {
			m.Dropped++
			continue
		}
		if at < 0 {
			at = len(m.kept)
			m.kept = append(m.kept, e)
		}
		slot[e.Client] = at
	}
}

// candidates returns the observations of the entry's route and method
// within the window of its time (an error log line has no method: any).
func (m *Matcher) candidates(e record.LogEntry) []int {
	idx := m.byRoute[e.Route]
	var out []int
	lo := sort.Search(len(idx), func(k int) bool { return !m.obs[idx[k]].Time.Before(e.Time.Add(-m.window)) })
	for k := lo; k < len(idx) && !m.obs[idx[k]].Time.After(e.Time.Add(m.window)); k++ {
		if sameMethod(e.Method, m.obs[idx[k]].Request.Method) {
			out = append(out, idx[k])
		}
	}
	return out
}

// Candidates returns the entries kept so far, in scan order.
func (m *Matcher) Candidates() []record.LogEntry { return m.kept }

// Attach correlates the kept entries with obs (the observations the
// matcher was made for) and returns the entries attached, masked: they go
// into reports. At most MaxPerObservation entries stay on one observation.
func (m *Matcher) Attach(obs []record.Observation) []record.LogEntry {
	CorrelateWindow(obs, m.kept, m.window)
	var out []record.LogEntry
	for i := range obs {
		if len(obs[i].Logs) > MaxPerObservation {
			m.Dropped += len(obs[i].Logs) - MaxPerObservation
			obs[i].Logs = obs[i].Logs[:MaxPerObservation:MaxPerObservation]
		}
		for j := range obs[i].Logs {
			obs[i].Logs[j] = MaskEntry(obs[i].Logs[j])
		}
		out = append(out, obs[i].Logs...)
	}
	return out
}

// ReadMatching scans log files and keeps only the entries of obs (see
// Matcher), attaches them to obs and returns them. It never holds more than
// the matcher's bounds, however large the files.
func ReadMatching(ctx context.Context, paths []string, opt Options, obs []record.Observation, window time.Duration) ([]record.LogEntry, []Stats, int, error) {
	if window <= 0 {
		window = DefaultWindow
	}
	m := NewMatcher(obs, window)
	var stats []Stats
	var firstErr error
	for _, p := range paths {
		if ctx.Err() != nil {
			firstErr = ctx.Err()
			break
		}
		st, err := ScanFile(ctx, p, opt, m.Add)
		stats = append(stats, st)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return m.Attach(obs), stats, m.Dropped, firstErr
}
