package diagnose

import (
	"unicode/utf8"

	"github.com/wp403/wp403/internal/record"
)

// Bodies kept in a report: a hostile or broken server (a gzip bomb, a
// binary page) must not make reports huge.
const (
	// maxReportBody bounds the body kept per observation.
	maxReportBody = 32 << 10
	// maxReportBodies bounds the bodies kept in one report, all together.
	maxReportBodies = 1 << 20
)

// boundBodies cuts the response bodies a report keeps, once reasoning is
// done (it reads whole bodies: the REST index, WordPress errors). Bytes
// that JSON must escape count six times: a body of NULs is short raw but
// six times longer in a report.
func boundBodies(obs []record.Observation) {
	spent := 0
	for i := range obs {
		r := obs[i].Response
		if r == nil || r.Body == "" {
			continue
		}
		body, cost := costCut(r.Body, max(min(maxReportBody, maxReportBodies-spent), 0))
		if len(body) < len(r.Body) {
			r.Body, r.BodyTruncated = body, true
		}
		spent += cost
	}
}

// costCut returns the longest prefix of s (whole runes) whose cost is at
// most budget, and that cost.
func costCut(s string, budget int) (string, int) {
	cost := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		c := n
		if r < 0x20 || r == utf8.RuneError && n == 1 || r == 0x7f {
			c = 6
		}
		if cost+c > budget {
			return s[:i], cost
		}
		cost += c
		i += n
	}
	return s, cost
}
