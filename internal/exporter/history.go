package exporter

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"sync"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/report"
)

// entry is one recent probe: what the status page lists, and its report
// (scrubbed JSON, compressed).
//
// Rendering and compressing a report costs more CPU than the probe itself,
// and at fleet scale the ring turns over in seconds, so a report is packed
// only when it is kept beyond the ring (a failing probe)
// or asked for; a probe that leaves the ring unseen is never packed.
type entry struct {
	ID       string // random: a report's address cannot be guessed from another's
	Target   string
	Module   string
	Started  time.Time
	Duration time.Duration
	Success  bool
	Failing  int    // failing checks, or refusals for the default plan
	Err      string // why the probe could not run
	report   *blob  // nil when the probe has no report
}

// blob is a report packed on first use.
type blob struct {
	once sync.Once
	res  *Result // until packed: the report and the scrubber of its secrets
	data []byte
}

// bytes returns the scrubbed, compressed report, packing it now if needed.
func (b *blob) bytes() []byte {
	b.once.Do(func() {
		b.data = pack(*b.res)
		b.res = nil
	})
	return b.data
}

// history keeps the last limit probes and, per site, its newest failing
// probe (dropped once the site passes again), so an alert's link still
// works after the ring has moved on; and the site's strip of its last
// StripLen probes. (Reports are kept for no other probe: at 10,000 sites a
// report per site is hundreds of megabytes.)
type history struct {
	mu      sync.Mutex
	limit   int
	ring    []*entry
	failing map[string]*entry
	strips  map[string]*siteStrip
}

func newHistory(limit int) *history {
	return &history{limit: max(limit, 1), failing: map[string]*entry{}, strips: map[string]*siteStrip{}}
}

// add records a probe. The report is scrubbed with the probe's secrets
// before it is stored.
func (h *history) add(res Result, success bool) *entry {
	e := &entry{Target: res.Site.Name, Module: res.Module, Started: res.Started, Duration: res.Duration, Success: success}
	if res.Err != nil {
		e.Err = res.Scrub.String(res.Err.Error())
	}
	if res.Report != nil {
		e.Failing = failing(res.Module, res.Report)
		e.report = &blob{res: &res}
	}
	e.ID = rand.Text()
	if h.record(e, res, success) && e.report != nil {
		e.report.bytes() // kept beyond the ring: pack it now, outside the lock
	}
	return e
}

// record files e; it reports whether e is kept beyond the ring.
func (h *history) record(e *entry, res Result, success bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.ring) >= h.limit {
		copy(h.ring, h.ring[1:])
		h.ring = h.ring[:len(h.ring)-1]
	}
	h.ring = append(h.ring, e)
	if success {
		delete(h.failing, e.Target)
	} else {
		h.failing[e.Target] = e
	}
	st := h.strips[e.Target]
	if st == nil {
		st = &siteStrip{}
		h.strips[e.Target] = st
	}
	st.push(markOf(e, res))
	return !success
}

func failing(module string, rep *record.Report) int {
	if module != ModulePolicy {
		return rep.Refusals()
	}
	n := 0
	for _, c := range rep.Checks {
		if !c.Pass {
			n++
		}
	}
	return n
}

func pack(res Result) []byte {
	r, err := report.New("json", report.Options{Scrub: res.Scrub})
	if err != nil {
		return nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := r.Render(zw, res.Report); err != nil {
		return nil
	}
	if zw.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// recent lists the ring, newest first.
func (h *history) recent() []entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]entry, 0, len(h.ring))
	for i := len(h.ring) - 1; i >= 0; i-- {
		out = append(out, *h.ring[i])
	}
	return out
}

// find returns probe id, or the newest probe of target (its newest
// failing one when the ring has none).
func (h *history) find(id, target string) *entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.ring) - 1; i >= 0; i-- {
		e := h.ring[i]
		if (id != "" && e.ID == id) || (id == "" && e.Target == target) {
			return e
		}
	}
	if id == "" {
		return h.failing[target]
	}
	for _, m := range []map[string]*entry{h.failing} {
		for _, e := range m {
			if e.ID == id {
				return e
			}
		}
	}
	return nil
}

// keep forgets failing probes of sites no longer configured.
func (h *history) keep(c *Config) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range []map[string]*entry{h.failing} {
		for name := range m {
			if _, ok := c.Site(name); !ok {
				delete(m, name)
			}
		}
	}
	for name := range h.strips {
		if _, ok := c.Site(name); !ok {
			delete(h.strips, name)
		}
	}
}

// decode returns the stored report.
func (e *entry) decode() (*record.Report, error) {
	zr, err := gzip.NewReader(bytes.NewReader(e.report.bytes()))
	if err != nil {
		return nil, err
	}
	return report.Decode(zr)
}
