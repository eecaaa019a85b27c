package logscan

import "time"

// auditParser reads an audit log whose records may be in either form:
// one JSON object per line, or native sections. Real files mix them when
// SecAuditLogFormat changes while the engine keeps appending to one file.
type auditParser struct {
	json   auditJSONParser
	native nativeParser
	first  string // the dialect of the first record, for Stats.Format
}

func newAuditParser(source, prefix string, all bool, loc *time.Location) *auditParser {
	return &auditParser{
		json:   auditJSONParser{source: source, prefix: prefix, all: all, loc: loc},
		native: nativeParser{source: source, prefix: prefix, all: all, loc: loc},
	}
}

func (p *auditParser) name() string {
	if p.first != "" {
		return p.first
	}
	return p.json.name()
}

func (p *auditParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) > 0 && b[0] == '{' && p.native.cur == nil {
		ok := p.json.line(b, n, emit)
		if ok && p.first == "" {
			p.first = p.json.name()
		}
		return ok
	}
	ok := p.native.line(b, n, emit)
	if ok && p.first == "" && p.native.format != "" {
		p.first = p.native.name()
	}
	return ok
}

func (p *auditParser) end(emit emitFunc) { p.native.end(emit) }
