package logscan

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// merger2 joins the records of one request across logs: entries sharing
// a request id or an engine unique id are one request.
type merger2 struct {
	reqs []*mergedReq
	rid  map[string]*mergedReq
	uid  map[string]*mergedReq
}

type mergedReq struct {
	e    record.LogEntry
	rank int // rank of the format the status and client came from
	dead bool
}

func (m *merger2) add(e record.LogEntry) {
	if m.rid == nil {
		m.rid, m.uid = map[string]*mergedReq{}, map[string]*mergedReq{}
	}
	a, b := m.rid[e.RequestID], m.uid[e.UniqueID]
	if e.RequestID == "" {
		a = nil
	}
	if e.UniqueID == "" {
		b = nil
	}
	r := a
	switch {
	case a == nil && b == nil:
		r = &mergedReq{e: e, rank: formatRank(e.Format)}
		m.reqs = append(m.reqs, r)
	case a == nil:
		r = b
		r.fold(e)
	default:
		r.fold(e)
		if b != nil && b != a {
			a.fold(b.e)
			b.dead = true
		}
	}
	if e.RequestID != "" {
		m.rid[e.RequestID] = r
	}
	if e.UniqueID != "" {
		m.uid[e.UniqueID] = r
	}
	if r.e.RequestID != "" {
		m.rid[r.e.RequestID] = r
	}
	if r.e.UniqueID != "" {
		m.uid[r.e.UniqueID] = r
	}
}

// fold adds another record of the same request.
func (r *mergedReq) fold(e record.LogEntry) {
	m := &r.e
	if rk := formatRank(e.Format); e.Status != 0 && (m.Status == 0 || rk < r.rank) {
		m.Status, m.Client, r.rank = e.Status, e.Client, rk
	}
	if len(e.Rules) > 0 && len(m.Rules) == 0 || m.Engine == "" {
		m.Engine = e.Engine
	}
	for _, h := range e.Rules {
		if !hasRule(m.Rules, h.ID) {
			m.Rules = append(m.Rules, h)
		}
	}
	m.Blocked = m.Blocked || e.Blocked
	m.Score = max(m.Score, e.Score)
	m.Method = pick(m.Method, e.Method)
	m.RequestID, m.UniqueID = pick(m.RequestID, e.RequestID), pick(m.UniqueID, e.UniqueID)
	if !e.Time.IsZero() && (m.Time.IsZero() || e.Time.Before(m.Time)) {
		m.Time = e.Time
	}
}

// formatRank orders sources by how close to the client they are: the
// edge saw the client's address and sent the final status.
func formatRank(f string) int {
	switch f {
	case FmtCloudflare, FmtHAProxy:
		return 0
	case FmtAccess, FmtCustom:
		return 1
	}
	return 2
}

// engineFamily shortens an engine name for grouping: "ModSecurity v3",
// "ModSecurity v2", "Coraza", "HAProxy", "Cloudflare".
func engineFamily(e string) string {
	switch {
	case strings.HasPrefix(e, "ModSecurity v3"):
		return "ModSecurity v3"
	case strings.HasPrefix(e, "ModSecurity v2"), strings.HasPrefix(e, "ModSecurity for Apache"):
		return "ModSecurity v2"
	}
	name, _, _ := strings.Cut(e, " ")
	return name
}

var reEngineVersion = regexp.MustCompile(`(?:ModSecurity for Apache/|ModSecurity v)(\d[\d.]*)`)

// normEngine names an engine from its producer string: "ModSecurity for
// Apache/2.9.7 (http://…); OWASP_CRS/3.3.4." becomes "ModSecurity v2.9.7
// (Apache)", "ModSecurity v3.0.9 (Linux) ModSecurity-nginx v1.0.3"
// becomes "ModSecurity v3.0.9 (nginx)".
func normEngine(producer string) string {
	m := reEngineVersion.FindStringSubmatch(producer)
	if m == nil {
		return strings.TrimSpace(producer)
	}
	server := ""
	switch {
	case strings.Contains(producer, "Apache"):
		server = " (Apache)"
	case strings.Contains(producer, "nginx"):
		server = " (nginx)"
	}
	return "ModSecurity v" + m[1] + server
}
