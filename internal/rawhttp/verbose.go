package rawhttp

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

var (
	verboseStatus  = regexp.MustCompile(`(?m)^< HTTP/[0-9.]+ \d{3}`)
	verboseDataTag = regexp.MustCompile(`^[{}] \[\d+ bytes data\]$`)
)

func isVerbose(data []byte) bool {
	return verboseStatus.Match(data)
}

// parseVerbose reads a `curl -v` trace: "* " info lines, "> " request
// lines, "< " response lines and unprefixed body lines. The last response
// wins (curl -L prints each hop).
func parseVerbose(data []byte) (*Exchange, error) {
	x := &Exchange{Format: FormatVerbose}
	var req *record.HTTPRequest
	var body bytes.Buffer
	l := &lines{data: data}
	for {
		start := l.pos
		line, ok := l.next()
		if !ok {
			break
		}
		switch {
		case strings.HasPrefix(line, "> ") && (req == nil || x.Response != nil):
			l.pos, l.num = start, l.num-1
			r, err := readRequestHead(l)
			if err != nil {
				return nil, err
			}
			req, x.Response = r, nil
			body.Reset()
		case strings.HasPrefix(line, "< HTTP/"):
			l.pos, l.num = start, l.num-1
			r, err := readResponseHead(l, "< ")
			if err != nil {
				return nil, err
			}
			x.Response = r
			body.Reset()
		case x.Response != nil && isBodyLine(line):
			if body.Len() <= MaxBody {
				body.WriteString(line)
				body.WriteByte('\n')
			}
		}
	}
	if x.Response == nil {
		return nil, fmt.Errorf("line %d: curl -v trace has no response status line", l.num)
	}
	setBody(x.Response, bytes.TrimSuffix(body.Bytes(), []byte("\n")))
	x.Request = req
	return finish(x), nil
}

func isBodyLine(line string) bool {
	for _, p := range []string{"* ", "> ", "< ", "*  "} {
		if strings.HasPrefix(line, p) {
			return false
		}
	}
	return line != "*" && line != "<" && line != ">" && !verboseDataTag.MatchString(line)
}

// readRequestHead reads "> METHOD target HTTP/x" and "> " header lines.
func readRequestHead(l *lines) (*record.HTTPRequest, error) {
	line, _ := l.next()
	fields := strings.Fields(strings.TrimPrefix(line, "> "))
	if len(fields) < 2 {
		return nil, fmt.Errorf("line %d: malformed request line %q", l.num, clip(line, 60))
	}
	h, err := readHeaders(l, "> ")
	if err != nil {
		return nil, err
	}
	req := &record.HTTPRequest{Method: fields[0], Header: h, Auth: record.AuthNone}
	req.URL = fields[1]
	if host := first(h, "Host"); host != "" && strings.HasPrefix(fields[1], "/") {
		req.URL = "//" + host + fields[1]
	}
	return req, nil
}

func first(h map[string][]string, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
