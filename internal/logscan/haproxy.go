package logscan

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// reHAProxy matches HAProxy's `option httplog` line after any syslog
// prefix: client:port [accept date] frontend backend/server timers status
// bytes cookies termination-state conns queues {captures} "request".
var reHAProxy = regexp.MustCompile(`(?:^|: )(\S+):(\d+) \[(\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d+)\] (\S+) (\S+)/(\S+) (\S+) (-?\d+) \+?(\d+) \S+ \S+ (\S{4}) \S+ \S+(?: \{([^}]*)\})?(?: \{[^}]*\})? "([^"]*)"?`)

// reHAProxyNotice matches the daemon's own messages, which a stdout log
// interleaves with the request lines.
// Connection errors without a request ("edge/2: Connection closed during
// SSL handshake") are HAProxy lines too.
var reHAProxyNotice = regexp.MustCompile(`^(\[(NOTICE|WARNING|ALERT)\] +\(\d+\) : |Proxy \S+ (started|stopped|paused|resumed)|\S+:\d+ \[[^\]]+\] [^ /]+/[^ :]+: )`)

// haproxyParser reads HAProxy's HTTP log, raw or behind a syslog prefix.
type haproxyParser struct {
	source string
	prefix string
	all    bool
}

func (p *haproxyParser) name() string { return FmtHAProxy }
func (p *haproxyParser) end(emitFunc) {}

func (p *haproxyParser) line(b []byte, n int, emit emitFunc) bool {
	if reHAProxyNotice.Match(b) {
		return true // the daemon's own messages, when it logs to stdout
	}
	if !p.all && !restMarker(b, p.prefix) {
		return reHAProxy.Match(b)
	}
	m := reHAProxy.FindStringSubmatch(string(b))
	if m == nil {
		return false
	}
	e := record.LogEntry{Source: p.source, Line: n, Format: FmtHAProxy, Client: m[1]}
	e.Time, _ = clfTime(m[3])
	e.Status, _ = strconv.Atoi(m[8])
	e.Bytes, _ = strconv.ParseInt(m[9], 10, 64)
	e.RequestID = captureID(m[11])
	e.Method, e.URI = splitRequest(m[12])
	if term := m[10]; m[6] == "<NOSRV>" && term[0] == 'P' && refusalStatus(e.Status) {
		// HAProxy answered itself: an http-request deny/tarpit/auth rule.
		e.Blocked, e.Action, e.Engine = true, "deny", "HAProxy"
		e.Message = "refused by HAProxy frontend " + m[4] + " (termination state " + term + ")"
	}
	if !fillRoute(&e, p.prefix) && !p.all {
		return true
	}
	emit(e)
	return true
}

// captureID picks the request id among captured request headers: the
// first value that has no dot, space or slash (hosts, addresses and user
// agents all have one).
func captureID(caps string) string {
	for _, c := range strings.Split(caps, "|") {
		if c != "" && len(c) <= 128 && !strings.ContainsAny(c, ". /") {
			return c
		}
	}
	return ""
}
