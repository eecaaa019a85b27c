package rawhttp

import (
	"bytes"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// lines splits data into lines, keeping the offset where the rest begins.
type lines struct {
	data []byte
	pos  int
	num  int // 1-based number of the last line returned
}

// next returns the next line without its CR LF, and false at the end.
func (l *lines) next() (string, bool) {
	if l.pos >= len(l.data) {
		return "", false
	}
	rest := l.data[l.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		l.pos = len(l.data)
		l.num++
		return strings.TrimSuffix(string(rest), "\r"), true
	}
	l.pos += i + 1
	l.num++
	return strings.TrimSuffix(string(rest[:i]), "\r"), true
}

// parseRaw reads `curl -i` output: one or more header blocks, then the
// body of the last one.
func parseRaw(data []byte) (*Exchange, error) {
	l := &lines{data: data}
	var resp *record.HTTPResponse
	for {
		r, err := readResponseHead(l, "")
		if err != nil {
			return nil, err
		}
		resp = r
		if !startsWithStatusLine(l.data[l.pos:]) {
			break
		}
	}
	body := l.data[l.pos:]
	body = dechunk(resp, body)
	setBody(resp, body)
	return finish(&Exchange{Format: FormatRaw, Response: resp}), nil
}

func startsWithStatusLine(b []byte) bool {
	b = bytes.TrimLeft(b, "\r\n")
	return bytes.HasPrefix(b, []byte("HTTP/"))
}

// readResponseHead reads a status line and headers up to the blank line.
// prefix is stripped from every line ("< " for curl -v).
func readResponseHead(l *lines, prefix string) (*record.HTTPResponse, error) {
	line, ok := l.next()
	for ok && strings.TrimSpace(strings.TrimPrefix(line, prefix)) == "" {
		line, ok = l.next()
	}
	if !ok {
		return nil, fmt.Errorf("line %d: no HTTP status line", l.num)
	}
	resp := &record.HTTPResponse{}
	if err := parseStatusLine(strings.TrimPrefix(line, prefix), resp); err != nil {
		return nil, fmt.Errorf("line %d: %w", l.num, err)
	}
	h, err := readHeaders(l, prefix)
	if err != nil {
		return nil, err
	}
	resp.Header = h
	return resp, nil
}

func parseStatusLine(line string, resp *record.HTTPResponse) error {
	proto, rest, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/") {
		return fmt.Errorf("not an HTTP status line: %q", clip(line, 60))
	}
	code, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 || n > 999 {
		return fmt.Errorf("bad status code %q", clip(code, 20))
	}
	resp.Proto, resp.Status = proto, n
	return nil
}

// readHeaders reads header lines until a blank line or the end.
func readHeaders(l *lines, prefix string) (map[string][]string, error) {
	h := map[string][]string{}
	size, count, last := 0, 0, ""
	mark := strings.TrimSpace(prefix)
	for {
		start, num := l.pos, l.num
		line, ok := l.next()
		if !ok {
			return h, nil
		}
		if mark != "" && !strings.HasPrefix(line, mark) {
			l.pos, l.num = start, num // the trace moved on without a blank line
			return h, nil
		}
		line = strings.TrimPrefix(strings.TrimPrefix(line, prefix), mark)
		if strings.TrimSpace(line) == "" {
			return h, nil
		}
		size += len(line)
		count++
		if size > MaxHeaderBytes || count > MaxHeaderLines {
			return nil, fmt.Errorf("line %d: header block exceeds %d bytes or %d lines", l.num, MaxHeaderBytes, MaxHeaderLines)
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vals := h[last]
			vals[len(vals)-1] += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: malformed header line %q", l.num, clip(line, 60))
		}
		last = textproto.CanonicalMIMEHeaderKey(name)
		h[last] = append(h[last], strings.TrimSpace(value))
	}
}

// dechunk decodes a chunked body when the headers say so and the body
// really is chunked (curl prints bodies already decoded).
func dechunk(resp *record.HTTPResponse, body []byte) []byte {
	if !strings.EqualFold(resp.Get("Transfer-Encoding"), "chunked") {
		return body
	}
	var out []byte
	rest := body
	for {
		line, tail, ok := bytes.Cut(rest, []byte("\n"))
		if !ok {
			return body
		}
		sizeStr, _, _ := strings.Cut(strings.TrimSpace(string(line)), ";")
		n, err := strconv.ParseUint(sizeStr, 16, 32)
		if err != nil || uint64(len(tail)) < n {
			return body
		}
		if n == 0 {
			return out
		}
		out = append(out, tail[:n]...)
		rest = bytes.TrimPrefix(bytes.TrimPrefix(tail[n:], []byte("\r")), []byte("\n"))
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
