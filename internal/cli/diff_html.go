package cli

import (
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/report"
)

// diffComparison lays a diff out for the HTML page: every finding that
// appeared, disappeared or changed, drawn before (A) and after (B), and
// the statuses and checks that flipped as tables.
func diffComparison(a, b *record.Report, d *policy.Diff) *report.Comparison {
	c := &report.Comparison{Heading: "wp403 diff", Before: a, After: b, BeforeName: d.A.File, AfterName: d.B.File,
		Summary: d.Summary(), Worse: d.Worse}
	for _, f := range d.Findings {
		ch := report.Change{Request: f.Request, Label: f.Change}
		if f.Before != nil {
			ch.Before = f.Before.ID
		}
		if f.After != nil {
			ch.After = f.After.ID
		}
		c.Changes = append(c.Changes, ch)
	}
	if len(d.Statuses) > 0 {
		t := report.ChangeTable{Title: "Statuses that flipped", Head: []string{"Vantage", "Request", "A", "B"}}
		for _, s := range d.Statuses {
			t.Rows = append(t.Rows, []string{string(s.Vantage), s.Request, policy.StatusWord(s.Before), policy.StatusWord(s.After)})
		}
		c.Tables = append(c.Tables, t)
	}
	if len(d.Checks) > 0 {
		t := report.ChangeTable{Title: "Checks that changed", Head: []string{"Check", "Request", "Identity", "A", "B"}}
		for _, k := range d.Checks {
			t.Rows = append(t.Rows, []string{k.Name, k.Request.Method + " " + k.Request.Route, k.Identity, string(k.Before), string(k.After)})
		}
		c.Tables = append(c.Tables, t)
	}
	return c
}
