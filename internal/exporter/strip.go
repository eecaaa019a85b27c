package exporter

import (
	"sort"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// StripLen is how many probes of each site the status page's strip shows.
const StripLen = 12

// mark is one probe in a site's strip: when, how it ended, which layer
// refused (a closed vocabulary, never text from an answer) and its report.
type mark struct {
	ID      string
	Started time.Time
	State   string // "ok", "fail" or "error"
	Layer   string // the refusing layer of a failed probe
}

// Title is the cell's tooltip.
func (m mark) Title() string {
	s := m.Started.UTC().Format("2006-01-02 15:04:05") + " UTC: "
	switch {
	case m.State == "ok":
		return s + "ok"
	case m.State == "error":
		return s + "could not be probed"
	case m.Layer != "":
		return s + "refused by the " + m.Layer + " layer"
	}
	return s + "failing"
}

// siteStrip is a site's last StripLen probes, oldest first, and when its
// state (outcome and refusing layer) last changed.
type siteStrip struct {
	Marks   []mark
	Changed time.Time
}

// push adds a probe; it reports whether the state changed from the
// previous probe (the first probe is no change).
func (s *siteStrip) push(m mark) bool {
	changed := false
	if n := len(s.Marks); n > 0 {
		last := s.Marks[n-1]
		changed = last.State != m.State || last.Layer != m.Layer
	}
	if changed || len(s.Marks) == 0 {
		s.Changed = m.Started
	}
	if len(s.Marks) == StripLen {
		copy(s.Marks, s.Marks[1:])
		s.Marks = s.Marks[:StripLen-1]
	}
	s.Marks = append(s.Marks, m)
	return changed
}

// markOf sums up a probe for the strip.
func markOf(e *entry, res Result) mark {
	m := mark{ID: e.ID, Started: e.Started, State: "ok"}
	switch {
	case e.Err != "":
		m.State = "error"
	case !e.Success:
		m.State, m.Layer = "fail", refusingLayer(res)
	}
	return m
}

// refusingLayer is the layer of the first failing check (policy) or the
// first refusal (default plan).
func refusingLayer(res Result) string {
	if res.Report == nil {
		return ""
	}
	if res.Module == ModulePolicy {
		for _, c := range res.Report.Checks {
			if !c.Pass {
				return layer(c.Layer)
			}
		}
		return ""
	}
	for _, f := range res.Report.Findings {
		if f.Severity == record.SevBlock {
			return layer(f.Layer)
		}
	}
	return ""
}

// siteRow is one site's line on the status page.
type siteRow struct {
	Name    string
	Cells   []cell
	Changed time.Time
	State   string // of its newest probe
}

// cell is a strip mark; Kept when its report is still stored.
type cell struct {
	mark
	Kept bool
}

// MaxSiteRows bounds the sites listed on the status page.
const MaxSiteRows = 1000

// sites lists the sites' strips, those whose newest probe did not pass
// first, then by name; at most MaxSiteRows, and how many more there are.
func (h *history) sites() ([]siteRow, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	kept := map[string]bool{}
	for _, e := range h.ring {
		kept[e.ID] = e.report != nil
	}
	for _, m := range []map[string]*entry{h.failing} {
		for _, e := range m {
			kept[e.ID] = e.report != nil
		}
	}
	rows := make([]siteRow, 0, len(h.strips))
	for name, st := range h.strips {
		r := siteRow{Name: name, Changed: st.Changed, State: st.Marks[len(st.Marks)-1].State}
		for _, m := range st.Marks {
			r.Cells = append(r.Cells, cell{mark: m, Kept: kept[m.ID]})
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if (rows[i].State == "ok") != (rows[j].State == "ok") {
			return rows[j].State == "ok"
		}
		return rows[i].Name < rows[j].Name
	})
	more := max(len(rows)-MaxSiteRows, 0)
	return rows[:len(rows)-more], more
}

// layerLetters mark a failed probe's cell with its refusing layer, one
// letter each (the status page's legend lists them).
var layerLetters = map[record.Layer]string{record.LayerClient: "C", record.LayerNetwork: "N", record.LayerEdge: "E",
	record.LayerWAF: "F", record.LayerServer: "S", record.LayerPHP: "H", record.LayerWordPress: "W", record.LayerPlugin: "P"}

// Letter is the cell's letter: the refusing layer's of a failed probe.
func (m mark) Letter() string {
	if m.State != "fail" {
		return ""
	}
	return layerLetters[record.Layer(m.Layer)]
}

// legend lists the letters, in the vocabulary's order.
func legend() string {
	var parts []string
	for _, l := range record.Layers {
		parts = append(parts, layerLetters[l]+" "+string(l))
	}
	return strings.Join(parts, ", ")
}
