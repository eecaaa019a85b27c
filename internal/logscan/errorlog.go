package logscan

import (
	"regexp"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

var (
	reNginxErr  = regexp.MustCompile(`^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[[a-z]+\] \d+#\d+: `)
	reApacheErr = regexp.MustCompile(`^\[((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d [\d:.]+ \d{4})\] \[[^\]]*\] `)
	reClient    = regexp.MustCompile(`\[client ([^\]\s]+)\]`)
	reNginxKV   = regexp.MustCompile(`, (client|server|request|host|upstream|referrer): ("(?:[^"\\]|\\.)*"|[^,]*)`)
)

// errorParser reads nginx and Apache error logs. Lines from ModSecurity
// become entries (one per request, merged by unique id); other lines of
// the log are recognised and ignored.
type errorParser struct {
	apache bool
	source string
	prefix string
	all    bool
	loc    *time.Location
	g      merger
}

func (p *errorParser) name() string {
	if p.apache {
		return FmtApacheError
	}
	return FmtNginxError
}

func (p *errorParser) end(emit emitFunc) { p.g.flush(emit) }

func (p *errorParser) line(b []byte, n int, emit emitFunc) bool {
	s := string(b)
	re := reNginxErr
	if p.apache {
		re = reApacheErr
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	i := strings.Index(s, "ModSecurity: ")
	if i < 0 {
		return true // an ordinary error-log line
	}
	body := s[i+len("ModSecurity: "):]
	e := record.LogEntry{Source: p.source, Line: n, Format: p.name(), Engine: "ModSecurity"}
	e.Time, _ = anyTime(m[1], p.loc)
	if c := reClient.FindStringSubmatch(s[:i]); c != nil {
		e.Client = stripPort(c[1])
	}
	if !p.apache {
		body = p.nginxTail(&e, body)
	}
	msg, ok := parseModsec(body)
	if !ok {
		return true // e.g. "ModSecurity-nginx v1.0.3 (rules loaded …)"
	}
	applyEngine(&e, p.apache)
	if e.URI == "" {
		e.URI = msg.uri
	}
	if !fillRoute(&e, p.prefix) && !p.all {
		return true
	}
	p.g.add(msg.uniqueID, e, msg, emit)
	return true
}

// nginxTail reads the ", client: …, request: "…", host: "…"" suffix nginx
// adds and returns the message without it.
func (p *errorParser) nginxTail(e *record.LogEntry, body string) string {
	i := strings.LastIndex(body, `[unique_id "`)
	if i < 0 {
		return body
	}
	for _, kv := range reNginxKV.FindAllStringSubmatch(body[i:], -1) {
		v := strings.Trim(kv[2], `"`)
		switch kv[1] {
		case "client":
			e.Client = v
		case "request":
			e.Method, e.URI = splitRequest(v)
		case "host":
			e.Host = v
		}
	}
	return body
}

func applyEngine(e *record.LogEntry, apache bool) {
	if apache {
		e.Engine = "ModSecurity v2 (Apache)"
	} else {
		e.Engine = "ModSecurity v3 (nginx)"
	}
}
