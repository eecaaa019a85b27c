package logscan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// sniffBytes is how much of a file detection looks at.
const sniffBytes = 256 << 10

// newParser builds the parser for a format name.
func newParser(format string, opt *Options, source string) (parser, error) {
	pre, all := opt.Prefix, opt.All
	switch format {
	case FmtAccess:
		return &accessParser{source: source, prefix: pre, all: all}, nil
	case FmtCustom:
		if opt.LogFormat == nil {
			return nil, fmt.Errorf("format %s needs a log format", format)
		}
		return &customParser{f: opt.LogFormat, source: source, prefix: pre, all: all}, nil
	case FmtNginxError, FmtApacheError:
		return &errorParser{apache: format == FmtApacheError, source: source, prefix: pre, all: all, loc: opt.Zone}, nil
	case FmtModsec2, FmtModsec3, FmtCorazaNative, FmtModsec2JSON, FmtModsec3JSON, FmtCorazaJSON:
		return newAuditParser(source, pre, all, opt.Zone), nil
	case FmtCloudflare:
		return &cfLineParser{source: source, prefix: pre, all: all}, nil
	case FmtHAProxy:
		return &haproxyParser{source: source, prefix: pre, all: all}, nil
	case FmtCloudflareCSV:
		return &cfCSVParser{source: source, prefix: pre, all: all}, nil
	}
	if f := edgeFormatNamed(format); f != nil {
		return &edgeParser{f: f, source: source, prefix: pre, all: all}, nil
	}
	return nil, fmt.Errorf("unknown log format %q", format)
}

// candidates are tried in this order; the first with the best score wins.
var candidates = append([]string{FmtModsec3, FmtModsec3JSON, FmtCloudflare, FmtCloudflareCSV}, append(edgeNames(),
	FmtNginxError, FmtApacheError, FmtHAProxy, FmtAccess)...)

func edgeNames() []string {
	out := make([]string, len(edgeFormats))
	for i, f := range edgeFormats {
		out[i] = f.name
	}
	return out
}

// detect picks the format that reads most of the first lines. doc is
// true for a JSON document that is not one object per line (a Cloudflare
// GraphQL export).
func detect(br *bufio.Reader, opt *Options) (format string, doc bool, err error) {
	head, _ := br.Peek(sniffBytes)
	lines := sampleLines(head, 40)
	if len(lines) == 0 {
		return "", false, fmt.Errorf("empty file")
	}
	if len(head) == sniffBytes && head[0] == '{' && bytes.IndexByte(head, '\n') < 0 {
		return FmtModsec3JSON, false, nil // one audit record longer than the sniff
	}
	if jsonDocument(lines[0]) {
		return FmtCloudflare, true, nil
	}
	order := candidates
	if opt.LogFormat != nil {
		order = append([]string{FmtCustom}, candidates...)
	}
	best, bestN := "", 0
	for _, f := range order {
		n := score(f, opt, lines)
		if n > bestN {
			best, bestN = f, n
		}
	}
	if bestN == 0 || bestN*2 < len(lines) {
		return "", false, fmt.Errorf("unknown log format (first line: %.80q)", scrubSample(lines[0]))
	}
	return best, false, nil
}

// jsonDocument reports whether a file whose first line is first is one
// JSON document spread over lines, rather than one object per line.
func jsonDocument(first string) bool {
	t := strings.TrimSpace(first)
	switch {
	case t == "[" || t == "{" || strings.HasPrefix(t, "[{") || strings.HasPrefix(t, "[ {"):
		return true
	case strings.HasPrefix(t, "{"):
		return !json.Valid([]byte(t))
	}
	return false
}

func score(format string, opt *Options, lines []string) int {
	o := *opt
	o.All = true
	p, err := newParser(format, &o, "")
	if err != nil {
		return 0
	}
	n := 0
	discard := func(record.LogEntry) {}
	for i, l := range lines {
		if p.line([]byte(l), i+1, discard) {
			n++
		}
	}
	return n
}

// sampleLines returns up to max non-empty complete lines of head.
func sampleLines(head []byte, max int) []string {
	var out []string
	for len(head) > 0 && len(out) < max {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			if len(out) == 0 { // one unterminated line: the whole file
				out = append(out, string(trimEOL(head)))
			}
			break
		}
		if l := trimEOL(head[:i]); len(bytes.TrimSpace(l)) > 0 {
			out = append(out, string(l))
		}
		head = head[i+1:]
	}
	return out
}
