package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// markdownRenderer writes a report to paste into a support ticket: a
// summary table, one section per finding with evidence and the fix in
// fenced code, and the observations folded in a <details> block.
type markdownRenderer struct{ verbose bool }

func (m markdownRenderer) Render(w io.Writer, r *record.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", mdText(strings.TrimSpace("wp403 "+r.Command)), mdCode(r.Target.URL))
	b.WriteString("**" + count(r).String() + "**\n\n")
	mdRun(&b, r)
	mdBrowser(&b, r)
	if len(r.Checks) > 0 {
		rows := make([][]string, 0, len(r.Checks))
		for _, c := range r.Checks {
			cells := checkRow(c)
			rows = append(rows, []string{"**" + mdCell(cells[0]) + "**", mdCell(cells[1]), mdCode(cells[2]), mdCell(cells[3]), mdCell(cells[4])})
		}
		mdTable(&b, []string{"Result", "Check", "Expects", "Status", "Explained by"}, rows)
		b.WriteString("\n")
	}
	if r.Interrupted {
		b.WriteString("**Interrupted:** the run was cancelled; this report is partial.\n\n")
	}
	switch {
	case r.Problem != nil:
		mdProblem(&b, r.Problem)
	case len(r.Findings) > 0:
		mdSummary(&b, r)
	case !r.Interrupted:
		b.WriteString("No refusal found: every request wp403 sent got through.\n\n")
	}
	for i := range r.Findings {
		mdFinding(&b, r, i, m.verbose)
	}
	if len(r.Notes) > 0 {
		b.WriteString("## Notes\n\n")
		for _, n := range r.Notes {
			b.WriteString("- " + mdText(n) + "\n")
		}
		b.WriteString("\n")
	}
	mdObservations(&b, r)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// mdProblem says why the site could not be diagnosed.
func mdProblem(b *strings.Builder, p *record.Problem) {
	b.WriteString("## Error: " + mdText(string(p.Kind)) + "\n\n" + mdText(p.Summary) + "\n\n")
	for _, f := range p.Found {
		b.WriteString("- " + mdCode(f) + "\n")
	}
	if len(p.Found) > 0 {
		b.WriteString("\n")
	}
	if p.Next != "" {
		b.WriteString("**Next:** " + mdText(p.Next) + "\n\n")
	}
}

func mdRun(b *strings.Builder, r *record.Report) {
	var facts []string
	add := func(label, v string) {
		if v != "" {
			facts = append(facts, label+" "+v)
		}
	}
	add("Site:", mdText(r.Site.Name))
	add("REST root:", mdCode(r.Target.RESTRoot))
	add("origin:", mdCode(r.Target.Origin))
	add("source:", mdText(r.Target.Source))
	if !r.Started.IsZero() {
		add("started:", r.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if r.DurationMS > 0 {
		add("took:", fmt.Sprintf("%.1fs", r.DurationMS/1000))
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, " · ") + "\n\n")
	}
}

func mdSummary(b *strings.Builder, r *record.Report) {
	rows := make([][]string, 0, len(r.Findings))
	for i, f := range r.Findings {
		mech := string(f.Mechanism)
		if f.Vendor != "" {
			mech += " (" + f.Vendor + ")"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), mdCell(strings.ToUpper(string(f.Severity))),
			mdCode(title(&f)), mdCell(string(f.Layer)), mdCell(mech), statusPair(f.Status), mdCell(string(f.Confidence))})
	}
	mdTable(b, []string{"#", "Severity", "Request", "Layer", "Mechanism", "Status", "Confidence"}, rows)
	b.WriteString("\n")
}

func mdFinding(b *strings.Builder, r *record.Report, i int, verbose bool) {
	f := &r.Findings[i]
	fmt.Fprintf(b, "## %d. %s: %s\n\n", i+1, mdCell(strings.ToUpper(string(f.Severity))), mdText(title(f)))
	if f.Severity == record.SevBlock {
		if p := (style{}).layerPath(stopLayer(f)); p != "" {
			b.WriteString("`" + p + "`\n\n")
		}
	}
	b.WriteString(mdText(f.Summary) + "\n\n")
	b.WriteString(mdText(findingFacts(f)))
	if sp := statusPair(f.Status); sp != "" {
		b.WriteString(" · " + sp)
	}
	b.WriteString("\n\n")
	if rel := related(f); len(rel) > 0 {
		b.WriteString("**Also refused for the same reason:** " + mdCode(strings.Join(rel, ", ")) + "\n\n")
	}
	mdEvidence(b, r, f)
	if verbose {
		mdGrid(b, r, f)
	}
	mdRules(b, f.Rules)
	for j := range f.Remedies {
		mdRemedy(b, fixLabel(j, len(f.Remedies)), &f.Remedies[j])
	}
	if f.Next != "" {
		b.WriteString("**Next:** " + mdText(f.Next) + "\n\n")
	}
	if f.NeedsOrigin != "" {
		b.WriteString("**Needs the origin:** " + mdText(f.NeedsOrigin) + "\n\n")
	}
	if verbose && f.Rule != "" {
		b.WriteString("**Rule:** " + mdCode(f.Rule) + "\n\n")
	}
}

func mdEvidence(b *strings.Builder, r *record.Report, f *record.Finding) {
	obs := cited(r, f)
	if len(obs) == 0 && len(f.Evidence) == 0 {
		return
	}
	b.WriteString("**Evidence**\n\n")
	for _, e := range f.Evidence {
		b.WriteString("- " + mdText(e) + "\n")
	}
	if len(f.Evidence) > 0 {
		b.WriteString("\n")
	}
	if len(obs) > 0 {
		mdTable(b, []string{"Observation", "Vantage", "Request", "Result", "Producer", "Detail"}, obsRows(obs))
		b.WriteString("\n")
	}
}

// mdGrid writes the status grid as a table (--verbose).
func mdGrid(b *strings.Builder, r *record.Report, f *record.Finding) {
	g := gridFor(r, f)
	if g == nil {
		return
	}
	head, rows := gridTable(g)
	for _, row := range rows {
		for i := range row {
			row[i] = mdCell(row[i])
		}
	}
	b.WriteString("**Status grid**\n\n")
	mdTable(b, head, rows)
	b.WriteString("\n")
}

func obsRows(obs []*record.Observation) [][]string {
	rows := make([][]string, 0, len(obs))
	for _, o := range obs {
		rows = append(rows, []string{mdCode(o.ID), mdCell(string(o.Vantage)), mdCode(o.Request.Method + " " + obsTarget(o)),
			mdCell(obsResult(o)), mdCell(obsProducer(o)), mdCell(obsNote(o))})
	}
	return rows
}

func mdRules(b *strings.Builder, hits []record.RuleHit) {
	if len(hits) == 0 {
		return
	}
	b.WriteString("**WAF rules**\n\n")
	rows := make([][]string, 0, len(hits))
	for _, h := range hits {
		pl := ""
		if h.Paranoia > 0 {
			pl = strconv.Itoa(h.Paranoia)
		}
		rows = append(rows, []string{strconv.Itoa(h.ID), mdCode(h.Target), mdCell(h.Message), mdCode(h.Data), pl})
	}
	mdTable(b, []string{"Rule", "Target", "Message", "Data", "Paranoia"}, rows)
	b.WriteString("\n")
}

func mdRemedy(b *strings.Builder, label string, m *record.Remedy) {
	head := mdText(fixTitle(m))
	b.WriteString("**" + strings.ToUpper(label[:1]) + label[1:] + ":** " + head + "\n\n")
	for _, kv := range [][2]string{{"Scope", m.Scope}, {"Where", m.Where}} {
		if kv[1] != "" {
			b.WriteString("- " + kv[0] + ": " + mdText(kv[1]) + "\n")
		}
	}
	b.WriteString("\n")
	if m.Snippet != "" {
		mdFence(b, snippetLang(m.Product), m.Snippet)
		b.WriteString("\n")
	}
	if m.Caveat != "" {
		b.WriteString("> " + mdText(m.Caveat) + "\n\n")
	}
}

func mdObservations(b *strings.Builder, r *record.Report) {
	if len(r.Observations) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>Observations (%d)</summary>\n\n", len(r.Observations))
	rows := make([][]string, 0, len(r.Observations))
	for i := range r.Observations {
		o := &r.Observations[i]
		rows = append(rows, []string{mdCode(o.ID), mdCell(string(o.Vantage)), mdCell(string(o.Request.Auth)),
			mdCode(o.Request.Method + " " + obsTarget(o)), mdCell(obsResult(o)),
			fmt.Sprintf("%.0f ms", o.Timing.TotalMS), mdCell(obsProducer(o)), mdCell(obsNote(o))})
	}
	mdTable(b, []string{"ID", "Vantage", "Auth", "Request", "Result", "Time", "Producer", "Detail"}, rows)
	b.WriteString("\n</details>\n")
}
