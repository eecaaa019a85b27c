package logscan

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// accessParser reads the combined and common log formats, which nginx and
// Apache share: `host ident user [time] "request" status bytes` plus
// `"referer" "agent"` for combined. Trailing fields that a site appends
// are tolerated; one shaped `rid=…`, `request_id=…` or `reqid=…` is taken
// as the request id.
type accessParser struct {
	source string
	prefix string // REST prefix; lines without a REST marker are skipped cheaply
	all    bool   // keep non-REST lines too
	skip   int    // lines skipped by the REST prefilter
}

func (p *accessParser) name() string { return FmtAccess }
func (p *accessParser) end(emitFunc) {}

func (p *accessParser) line(b []byte, n int, emit emitFunc) bool {
	if !p.all && !restMarker(b, p.prefix) {
		if looksAccess(b) {
			p.skip++
			return true
		}
		return false
	}
	e, ok := parseAccess(b)
	if !ok {
		return false
	}
	e.Source, e.Line, e.Format = p.source, n, FmtAccess
	if !fillRoute(&e, p.prefix) && !p.all {
		p.skip++
		return true
	}
	emit(e)
	return true
}

// restMarker is the cheap prefilter: does the line mention a REST URL?
func restMarker(b []byte, prefix string) bool {
	if prefix != "" && prefix != "/wp-json/" && bytes.Contains(b, []byte(prefix)) {
		return true
	}
	return bytes.Contains(b, []byte("/wp-json")) || bytes.Contains(b, []byte("rest_route=")) ||
		bytes.Contains(b, []byte("rest-nonce"))
}

// looksAccess is a structural check for lines the prefilter skips: a
// host, a bracketed time and a quoted request.
func looksAccess(b []byte) bool {
	i := bytes.IndexByte(b, '[')
	return i > 0 && bytes.IndexByte(b[i:], ']') > 0 && bytes.Contains(b, []byte(`] "`))
}

func parseAccess(b []byte) (record.LogEntry, bool) {
	var e record.LogEntry
	s := string(b)
	host, rest, ok := strings.Cut(s, " ")
	if !ok || host == "" {
		return e, false
	}
	e.Client = host
	lb := strings.IndexByte(rest, '[')
	rb := strings.IndexByte(rest, ']')
	if lb < 0 || rb < lb {
		return e, false
	}
	if e.Time, ok = clfTime(rest[lb+1 : rb]); !ok {
		return e, false
	}
	rest = rest[rb+1:]
	if !strings.HasPrefix(rest, ` "`) {
		return e, false
	}
	req, rest, ok := quoted(rest[1:])
	if !ok {
		return e, false
	}
	e.Method, e.URI = splitRequest(req)
	return accessTail(e, rest)
}

// accessTail parses ` status bytes ["referer" "agent"] [extras…]`.
func accessTail(e record.LogEntry, rest string) (record.LogEntry, bool) {
	st, rest := token(rest)
	by, rest := token(rest)
	var err error
	if e.Status, err = strconv.Atoi(st); err != nil || e.Status < 100 || e.Status > 999 {
		return e, false
	}
	if by != "-" {
		if e.Bytes, err = strconv.ParseInt(by, 10, 64); err != nil {
			return e, false
		}
	}
	if strings.HasPrefix(rest, ` "`) {
		var ok bool
		if _, rest, ok = quoted(rest[1:]); !ok { // referer
			return e, false
		}
		if strings.HasPrefix(rest, ` "`) {
			if e.UserAgent, rest, ok = quoted(rest[1:]); !ok {
				return e, false
			}
		}
	}
	e.RequestID = extraID(rest)
	return e, true
}

// token returns the next space-separated token and the rest, which keeps
// its leading space.
func token(s string) (string, string) {
	s = strings.TrimLeft(s, " ")
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// quoted reads a "…" string at the start of s (nginx escapes quotes as
// \x22, Apache as \"), returning it and what follows.
func quoted(s string) (string, string, bool) {
	if len(s) == 0 || s[0] != '"' {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return s[1:i], s[i+1:], true
		}
	}
	return "", "", false
}

func splitRequest(req string) (method, uri string) {
	method, rest, ok := strings.Cut(req, " ")
	if !ok {
		return "", req
	}
	uri, _, _ = strings.Cut(rest, " ")
	return method, uri
}

// extraID finds rid=…, request_id=… or reqid=… among trailing fields
// (quoted or not, as the lab's nginx and Apache formats write them).
func extraID(rest string) string {
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		v = strings.Trim(v, `"`)
		if !ok || v == "" || v == "-" {
			continue
		}
		switch strings.ToLower(strings.Trim(k, `"`)) {
		case "rid", "request_id", "reqid", "req_id", "x-wp403-request-id", "wp403":
			return v
		}
	}
	return ""
}

// fillRoute sets Route from URI; false when the URI is not REST-related.
func fillRoute(e *record.LogEntry, prefix string) bool {
	r, _, ok := record.ParseRoute(e.URI, prefix)
	if ok {
		e.Route = r
	}
	e.URI = redactURI(e.URI)
	return ok
}

// redactURI masks secret query parameters (_wpnonce, passwords, tokens)
// in a logged request URI; the common case, no such parameter, is cheap.
func redactURI(uri string) string {
	_, q, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	lq := strings.ToLower(q)
	for _, s := range []string{"nonce", "pass", "pwd", "token", "key"} {
		if strings.Contains(lq, s) {
			path, _, _ := strings.Cut(uri, "?")
			return path + "?" + redact.Query(q)
		}
	}
	return uri
}
