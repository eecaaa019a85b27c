package policy

import (
	"fmt"
	"io"
	"strings"
)

// Text writes the diff for a person: findings, statuses, checks, and a
// one-line summary.
func (d *Diff) Text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "wp403 diff  %s  →  %s\n", side(d.A), side(d.B))
	if len(d.Findings) > 0 {
		b.WriteString("\nFindings\n")
	}
	for _, c := range d.Findings {
		switch c.Change {
		case Appeared:
			fmt.Fprintf(&b, "  + appeared     %s  %s\n      %s\n", c.Request, refText(c.After), c.After.Summary)
		case Disappeared:
			fmt.Fprintf(&b, "  - disappeared  %s  %s\n", c.Request, refText(c.Before))
		default:
			fmt.Fprintf(&b, "  ~ changed      %s  %s → %s\n      %s\n", c.Request, refText(c.Before), refText(c.After), c.After.Summary)
		}
	}
	if len(d.Statuses) > 0 {
		b.WriteString("\nStatuses that flipped\n")
	}
	for _, s := range d.Statuses {
		fmt.Fprintf(&b, "  %-6s %s  %s → %s\n", s.Vantage, s.Request, StatusWord(s.Before), StatusWord(s.After))
	}
	if len(d.Checks) > 0 {
		b.WriteString("\nChecks that changed\n")
	}
	for _, c := range d.Checks {
		fmt.Fprintf(&b, "  %s (%s as %s)  %s → %s\n", c.Name, c.Request.Method+" "+c.Request.Route, c.Identity, c.Before, c.After)
	}
	b.WriteString("\n" + d.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

func side(r DiffRun) string {
	s := r.File
	if !r.Started.IsZero() {
		s += " (" + r.Started.UTC().Format("2006-01-02 15:04 UTC") + ")"
	}
	return s
}

func refText(f *FindingRef) string {
	s := string(f.Severity) + " " + string(f.Layer) + "/" + string(f.Mechanism)
	if f.Vendor != "" {
		s += " (" + f.Vendor + ")"
	}
	return s
}

// StatusWord is a StatusChange side as a word: the status, "not
// measured" or "no response".
func StatusWord(st int) string {
	switch st {
	case 0:
		return "not measured"
	case -1:
		return "no response"
	}
	return fmt.Sprint(st)
}

// Summary is the diff in one sentence: counts of each change, and
// whether B is worse than A.
func (d *Diff) Summary() string {
	n := map[string]int{}
	for _, c := range d.Findings {
		n[c.Change]++
	}
	if len(d.Findings)+len(d.Statuses)+len(d.Checks) == 0 {
		return "No change: the same findings and statuses in both runs."
	}
	s := fmt.Sprintf("%d appeared, %d disappeared, %d changed; %d %s flipped; %d %s changed",
		n[Appeared], n[Disappeared], n[Changed], len(d.Statuses), plural(len(d.Statuses), "status", "statuses"),
		len(d.Checks), plural(len(d.Checks), "check", "checks"))
	if d.Worse {
		s += " — B is worse than A"
	}
	return s
}
