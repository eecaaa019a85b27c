package logscan

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// reBoundary matches the section boundaries of the three native audit-log
// dialects: ModSecurity v2 `--87b92d58-A--`, libmodsecurity3
// `---ucsQiyie---A--` and Coraza `--WecGUEysDvcySItz-A--`.
var reBoundary = regexp.MustCompile(`^(-{2,3})([A-Za-z0-9]{6,32})-{1,3}([A-Z])--$`)

// maxHeaderLines bounds the request headers read from one B section.
const maxHeaderLines = 200

// nativeParser reads native (serial) audit logs, one entry per
// transaction, emitted at its Z section.
type nativeParser struct {
	source  string
	prefix  string
	all     bool
	format  string // set from the first boundary
	loc     *time.Location
	cur     *record.LogEntry
	id      string
	section byte
	lines   int // lines seen in the current section
}

func (p *nativeParser) name() string {
	if p.format == "" {
		return FmtModsec2
	}
	return p.format
}

func (p *nativeParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) > 4 && b[0] == '-' && b[len(b)-1] == '-' {
		if m := reBoundary.FindSubmatch(b); m != nil {
			p.boundary(string(m[1]), string(m[2]), m[3][0], n, emit)
			return true
		}
	}
	if p.cur == nil {
		return len(b) == 0 // text outside a transaction
	}
	p.lines++
	p.sectionLine(string(b))
	return true
}

func (p *nativeParser) boundary(dashes, id string, sec byte, n int, emit emitFunc) {
	if p.format == "" {
		p.format = dialect(dashes, id)
	}
	if sec == 'A' || p.cur == nil || id != p.id {
		p.end(emit) // a transaction cut short is still reported
		p.cur = &record.LogEntry{Source: p.source, Line: n, Format: p.name()}
		p.id = id
	}
	p.section, p.lines = sec, 0
	if sec == 'Z' {
		p.end(emit)
	}
}

func dialect(dashes, id string) string {
	switch {
	case dashes == "---":
		return FmtModsec3
	case len(id) == 8:
		return FmtModsec2
	default:
		return FmtCorazaNative
	}
}

func (p *nativeParser) end(emit emitFunc) {
	e := p.cur
	p.cur, p.id = nil, ""
	if e == nil || (e.Method == "" && e.URI == "" && len(e.Rules) == 0) {
		return
	}
	if !fillRoute(e, p.prefix) && !p.all {
		return
	}
	emit(*e)
}

func (p *nativeParser) sectionLine(s string) {
	e := p.cur
	switch p.section {
	case 'A':
		if p.lines == 1 {
			parseSectionA(e, s, p.loc)
		}
	case 'B':
		if p.lines == 1 {
			e.Method, e.URI = splitRequest(s)
		} else if p.lines < maxHeaderLines {
			requestHeader(e, s)
		}
	case 'F':
		if p.lines == 1 && strings.HasPrefix(s, "HTTP/") {
			_, st, _ := strings.Cut(s, " ")
			st, _, _ = strings.Cut(st, " ")
			if n, err := strconv.Atoi(st); err == nil && n > 0 {
				e.Status = n
			}
		}
	case 'H':
		p.trailer(e, s)
	}
}

// parseSectionA reads `[time] unique_id client_ip client_port server_ip server_port`.
func parseSectionA(e *record.LogEntry, s string, loc *time.Location) {
	if !strings.HasPrefix(s, "[") {
		return
	}
	ts, rest, ok := strings.Cut(s[1:], "] ")
	if !ok {
		return
	}
	e.Time, _ = anyTime(ts, loc)
	f := strings.Fields(rest)
	if len(f) >= 2 {
		e.UniqueID, e.Client = f[0], f[1]
	}
}

// requestHeader keeps the few request headers a diagnosis needs; cookies
// and credentials are never kept.
func requestHeader(e *record.LogEntry, s string) {
	k, v, ok := strings.Cut(s, ":")
	if !ok {
		return
	}
	v = strings.TrimSpace(v)
	switch strings.ToLower(k) {
	case "host":
		e.Host = v
	case "user-agent":
		e.UserAgent = v
	case "x-wp403-request-id":
		e.RequestID = v
	}
}

// trailer reads one H-section line: rule messages and the producer.
func (p *nativeParser) trailer(e *record.LogEntry, s string) {
	msg := s
	switch {
	case strings.HasPrefix(s, "Message: "):
		msg = s[len("Message: "):]
	case strings.HasPrefix(s, "ModSecurity: "):
		msg = s[len("ModSecurity: "):]
	case strings.Contains(s, "Coraza: "):
		_, msg, _ = strings.Cut(s, "Coraza: ")
	case strings.HasPrefix(s, "Producer: "):
		e.Engine = normEngine(s[len("Producer: "):])
		return
	default:
		return
	}
	if m, ok := parseModsec(msg); ok {
		applyMsg(e, m)
	}
	if e.Engine == "" {
		e.Engine = map[string]string{FmtModsec3: "ModSecurity v3", FmtCorazaNative: "Coraza"}[p.format]
	}
}
