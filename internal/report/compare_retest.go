package report

import (
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// retestComparison draws a retest: for every check, the earlier report's
// finding for that request beside what this run found (or the grid of
// what it saw, when the request now gets through).
func retestComparison(before, after *record.Report) *Comparison {
	c := &Comparison{Heading: "wp403 retest", Before: before, After: after,
		BeforeName: runName("earlier run", before), AfterName: runName("this run", after)}
	n := map[record.Verdict]int{}
	for _, ch := range after.Checks {
		n[ch.Verdict]++
		c.Worse = c.Worse || !ch.Pass
		change := Change{Request: ch.Request, Label: string(ch.Verdict), Detail: ch.Detail,
			Before: earlierFinding(before, ch.Request), After: ch.Finding,
			EmptyBefore: "No finding for this request in the earlier report."}
		if ch.Finding == "" {
			change.Observations = ch.Observations
			change.EmptyAfter = "No finding in this run."
			if ch.Pass {
				change.EmptyAfter = "Got through: nothing refused it in this run."
			}
		}
		c.Changes = append(c.Changes, change)
	}
	c.Summary = retestSummary(n, len(after.Checks))
	return c
}

func runName(what string, r *record.Report) string {
	if r.Started.IsZero() {
		return what
	}
	return what + " (" + r.Started.UTC().Format("2006-01-02 15:04 UTC") + ")"
}

// earlierFinding is the id of the earlier report's finding for req (its
// request or one refused for the same reason), a block first; "" if none.
func earlierFinding(r *record.Report, req record.Request) string {
	key, found := req.String(), ""
	for i := range r.Findings {
		f := &r.Findings[i]
		if !sameRequest(f, key) {
			continue
		}
		if f.Severity == record.SevBlock {
			return f.ID
		}
		if found == "" {
			found = f.ID
		}
	}
	if found == "" {
		for _, c := range r.Checks {
			if c.Request.String() == key && c.Finding != "" {
				return c.Finding
			}
		}
	}
	return found
}

func sameRequest(f *record.Finding, key string) bool {
	if f.Request.String() == key {
		return true
	}
	for _, q := range f.Related {
		if q.String() == key {
			return true
		}
	}
	return false
}

// retestSummary is "2 requests retested: 1 fixed, 1 still failing."
func retestSummary(n map[record.Verdict]int, total int) string {
	var parts []string
	for _, v := range []record.Verdict{record.VerdictFixed, record.VerdictStillFailing, record.VerdictMoved, record.VerdictNotSent} {
		if n[v] > 0 {
			parts = append(parts, strconv.Itoa(n[v])+" "+strings.ReplaceAll(string(v), "-", " "))
		}
	}
	return plural(total, "request") + " retested: " + strings.Join(parts, ", ") + "."
}
