package policy

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/record"
)

// merger joins the reports of several diagnoses (one per identity) into
// one: observation and finding ids are renumbered, findings that several
// runs share (the anonymous index, say) are kept once.
type merger struct {
	rep   record.Report
	seen  map[string]string // finding key → merged id
	notes []string
	nObs  int
}

func newMerger() *merger {
	return &merger{seen: map[string]string{}, rep: record.Report{Schema: record.SchemaVersion, Tool: finish.Version,
		Command: "check", Findings: []record.Finding{}, Observations: []record.Observation{}}}
}

func (m *merger) add(rep *record.Report, checks []record.Check, identity string) {
	// A cancelled run (Ctrl-C, --max-time) leaves the merged one incomplete: not a clean pass.
	m.rep.Interrupted = m.rep.Interrupted || rep.Interrupted
	if m.rep.Target.URL == "" {
		m.rep.Target = rep.Target
		m.rep.Target.User = ""
	}
	if m.rep.Site.Name == "" && m.rep.Site.Home == "" {
		m.rep.Site = rep.Site
	}
	obsID := map[string]string{}
	for _, o := range rep.Observations {
		m.nObs++
		obsID[o.ID] = "o" + strconv.Itoa(m.nObs)
		o.ID, o.Probe = obsID[o.ID], identity+"/"+o.Probe
		m.rep.Observations = append(m.rep.Observations, o)
	}
	findingID := map[string]string{}
	for _, f := range rep.Findings {
		key := string(f.Severity) + "|" + string(f.Layer) + "|" + string(f.Mechanism) + "|" + f.Request.String()
		if id, dup := m.seen[key]; dup {
			findingID[f.ID] = id
			continue
		}
		newID := "f" + strconv.Itoa(len(m.rep.Findings)+1)
		findingID[f.ID], m.seen[key], f.ID = newID, newID, newID
		f.Observations = renumber(f.Observations, obsID)
		f.Summary, f.Next = renumberText(f.Summary, obsID), renumberText(f.Next, obsID)
		f.Evidence = append([]string(nil), f.Evidence...)
		for i, e := range f.Evidence {
			f.Evidence[i] = renumberText(e, obsID)
		}
		m.rep.Findings = append(m.rep.Findings, f)
	}
	for _, c := range checks {
		c.Observations = renumber(c.Observations, obsID)
		c.Finding = findingID[c.Finding]
		m.rep.Checks = append(m.rep.Checks, c)
	}
	for _, n := range rep.Notes {
		if !slices.Contains(m.notes, n) {
			m.notes = append(m.notes, n)
		}
	}
}

// obsRef is an observation id quoted in a finding's text ("o14 edge: …").
var obsRef = regexp.MustCompile(`\bo[0-9]+\b`)

// renumberText rewrites the observation ids a text quotes.
func renumberText(s string, to map[string]string) string {
	return obsRef.ReplaceAllStringFunc(s, func(id string) string {
		if n, ok := to[id]; ok {
			return n
		}
		return id
	})
}

func renumber(ids []string, to map[string]string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := to[id]; ok {
			out = append(out, n)
		}
	}
	return out
}

// report returns the merged report, findings most decisive first.
func (m *merger) report() *record.Report {
	rank := map[record.Severity]int{record.SevBlock: 0, record.SevWarn: 1, record.SevInfo: 2}
	slices.SortStableFunc(m.rep.Findings, func(a, b record.Finding) int { return rank[a.Severity] - rank[b.Severity] })
	m.rep.Notes = append(m.rep.Notes, m.notes...)
	return &m.rep
}
