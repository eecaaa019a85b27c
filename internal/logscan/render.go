package logscan

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText renders the summary for a terminal: the top groups (all when
// top <= 0), then what each file held and samples of the lines that did
// not parse.
func (s *Summary) WriteText(w io.Writer, top int) error {
	lines, unparsed := 0, 0
	for _, st := range s.Stats {
		lines += st.Lines
		unparsed += st.Unparsed
	}
	fmt.Fprintf(w, "%s, %s, %s, %s, %s\n", plural(len(s.Stats), "file"), plural(lines, "line"),
		plural(s.Records, "REST request record"), plural(s.Refused, "refused request"), plural(unparsed, "unparsed line"))
	if len(s.Groups) > 0 {
		fmt.Fprintln(w, "\nRefused REST requests, by route × rule × client:")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  COUNT\tREQUEST\tSTATUS\tRULE\tSCORE\tCLIENT\tREFUSED BY\tLAST SEEN")
		groups := s.Groups
		if top > 0 && len(groups) > top {
			groups = groups[:top]
		}
		for _, g := range groups {
			fmt.Fprintf(tw, "  %d\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\n", g.Count, g.Method, g.Route, orDash(g.Status),
				ruleText(g), orDash(g.MaxScore), g.Client, pick(g.Engine, "-"), lastSeen(g))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if more := len(s.Groups) - len(groups); more > 0 {
			fmt.Fprintf(w, "  … %d more groups (--top 0 lists all, -f json has every group)\n", more)
		}
	}
	fmt.Fprintln(w, "\nFiles:")
	for _, st := range s.Stats {
		writeStats(w, st)
	}
	return nil
}

func ruleText(g *Group) string {
	if g.RuleID == 0 && g.RuleName == "" && g.CoreServes && (g.Status == 401 || g.Status == 403) {
		return "- (no WAF record; core would answer 200 here: not core's check)"
	}
	if g.RuleID == 0 && g.RuleName == "" {
		return "- (no WAF record in these logs)"
	}
	t := strconv.Itoa(g.RuleID)
	if g.RuleName != "" {
		t = truncate(g.RuleName, 48)
		if g.RuleSet != "" {
			t += " (" + truncate(g.RuleSet, 40) + ")"
		}
	}
	if g.Rule != "" {
		t += " " + truncate(g.Rule, 48)
	}
	if g.Target != "" {
		t += " on " + g.Target
	}
	return t
}

func writeStats(w io.Writer, st Stats) {
	if st.Error != "" {
		fmt.Fprintf(w, "  %s: %s\n", st.Source, st.Error)
		return
	}
	fmt.Fprintf(w, "  %s: %s, %d lines, %d entries", st.Source, st.Format, st.Lines, st.Entries)
	if st.Skipped > 0 {
		fmt.Fprintf(w, ", %d not REST", st.Skipped)
	}
	if st.Filtered > 0 {
		fmt.Fprintf(w, ", %d outside --since/--until", st.Filtered)
	}
	fmt.Fprintf(w, ", %d unparsed", st.Unparsed)
	if st.TooLong > 0 {
		fmt.Fprintf(w, " (%d too long)", st.TooLong)
	}
	fmt.Fprintln(w)
	for _, sm := range st.Samples {
		fmt.Fprintf(w, "    line %d: %s\n", sm.Line, sm.Text)
	}
}

func orDash(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

func lastSeen(g *Group) string {
	if g.Last.IsZero() {
		return "-"
	}
	return g.Last.UTC().Format("2006-01-02 15:04:05Z")
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// plural is "1 line", "2 lines".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
