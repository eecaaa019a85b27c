package waf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"regexp"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/redact"
)

// Limits of a raw request file.
const (
	maxHead   = 256 << 10 // request line and headers
	maxFields = 500       // header lines
)

// Field is one header line as sent, in order.
type Field struct{ Name, Value string }

var (
	methodRE = regexp.MustCompile(`^[!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+$`)
	protoRE  = regexp.MustCompile(`^HTTP/[0-9](?:\.[0-9])?$`)
	nameRE   = methodRE // a header name is an HTTP token too
)

// ParseRaw reads a raw HTTP request as sent: request line, header lines,
// blank line, body. The request is replayed byte for byte as far as a WAF
// sees it: the request-target keeps its fragment, a leading "//" and the
// absolute or authority form (CONNECT host:port); headers keep their order
// and nothing is added (no Host, no Content-Length). HTTP/2 request lines
// as curl -v prints them ("> POST /x HTTP/2") are accepted. Where the
// replay must normalise (a chunked body is de-chunked, as the server does
// before the WAF inspects it), Request.Notes says so.
func ParseRaw(r io.Reader) (Request, error) {
	br := bufio.NewReader(io.LimitReader(r, maxHead+maxBody+1))
	lines, curl, err := readHead(br)
	if err != nil {
		return Request{}, err
	}
	req, err := requestLine(lines[0])
	if err != nil {
		return Request{}, err
	}
	if err := req.addFields(lines[1:]); err != nil {
		return Request{}, err
	}
	if curl {
		req.Notes = append(req.Notes, "read from curl -v output, which does not show the body: replayed without one")
		return req, nil
	}
	if err := req.readBody(br); err != nil {
		return Request{}, err
	}
	return req, nil
}

// readHead returns the request line and header lines, without line ends.
// curl -v transcripts ("* …", "> …", "< …") keep only the "> " lines.
func readHead(br *bufio.Reader) (lines []string, curl bool, err error) {
	n := 0
	for eof := false; !eof; {
		line, err := br.ReadString('\n')
		if n += len(line); n > maxHead {
			return nil, false, fmt.Errorf("parse raw request: request line and headers exceed %d KiB", maxHead>>10)
		}
		if err != nil && err != io.EOF {
			return nil, false, fmt.Errorf("parse raw request: %w", err)
		}
		eof = err == io.EOF
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		curl = curl || len(lines) == 0 && (strings.HasPrefix(line, "> ") || strings.HasPrefix(line, "* "))
		if line, ok := curlLine(line, curl); !ok {
			continue
		} else if line != "" {
			lines = append(lines, line)
		} else if len(lines) > 0 {
			return lines, curl, nil // the blank line ends the head; blank lines before it are skipped
		}
		if len(lines) > maxFields {
			return nil, false, fmt.Errorf("parse raw request: more than %d header lines", maxFields)
		}
	}
	if len(lines) == 0 {
		return nil, false, errors.New("parse raw request: empty input: want 'METHOD TARGET HTTP/1.1', header lines, a blank line and the body")
	}
	return lines, curl, nil
}

// curlLine keeps a curl -v transcript's request lines ("> …", without the
// marker) and drops the rest ("* …" notes, "< …" response lines).
func curlLine(line string, curl bool) (string, bool) {
	if !curl {
		return line, true
	}
	rest, ok := strings.CutPrefix(line, ">")
	return strings.TrimPrefix(rest, " "), ok
}

// requestLine parses "METHOD TARGET PROTO" without rewriting the target.
func requestLine(line string) (Request, error) {
	parts := strings.Split(line, " ")
	if len(parts) != 3 || !methodRE.MatchString(parts[0]) || parts[1] == "" || !protoRE.MatchString(parts[2]) {
		return Request{}, fmt.Errorf("parse raw request: request line %q: want 'METHOD TARGET HTTP/x' (e.g. POST /wp-json/wp/v2/posts HTTP/1.1)", printable(line, 80))
	}
	for _, c := range []byte(parts[1]) {
		if c < 0x21 || c == 0x7f {
			return Request{}, fmt.Errorf("parse raw request: the request-target holds a control byte 0x%02x", c)
		}
	}
	return Request{Method: parts[0], URL: parts[1], Proto: parts[2], AsSent: true, Header: http.Header{}}, nil
}

// addFields adds the header lines in order. An obsolete folded line
// (starting with a space or tab) continues the previous value, as RFC 7230
// lets a server do.
func (r *Request) addFields(lines []string) error {
	for _, l := range lines {
		if (l[0] == ' ' || l[0] == '\t') && len(r.Fields) > 0 {
			f := &r.Fields[len(r.Fields)-1]
			f.Value += " " + strings.TrimSpace(l)
			r.Notes = appendOnce(r.Notes, "a folded header line was joined to the line before it, as a server does")
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || !nameRE.MatchString(name) {
			return fmt.Errorf("parse raw request: header line %s: want 'Name: value'", redact.Hint(l))
		}
		r.Fields = append(r.Fields, Field{Name: name, Value: strings.Trim(value, " \t")})
	}
	for _, f := range r.Fields {
		r.Header[http.CanonicalHeaderKey(f.Name)] = append(r.Header[http.CanonicalHeaderKey(f.Name)], f.Value)
	}
	return nil
}

// readBody reads the body the headers announce: de-chunked for
// Transfer-Encoding: chunked, Content-Length bytes otherwise, and what is
// left of the input when neither header is present.
func (r *Request) readBody(br *bufio.Reader) error {
	rest, err := io.ReadAll(br)
	if err != nil {
		return fmt.Errorf("read raw request body: %w", err)
	}
	if len(rest) > maxBody {
		return fmt.Errorf("read raw request body: larger than %d MiB", maxBody>>20)
	}
	te := strings.ToLower(strings.Join(r.Header.Values("Transfer-Encoding"), ","))
	cl := r.Header.Values("Content-Length")
	switch {
	case strings.Contains(te, "chunked"):
		return r.dechunk(rest)
	case len(cl) > 0:
		n, err := strconv.Atoi(strings.TrimSpace(cl[0]))
		if err != nil || n < 0 {
			r.Body = rest
			r.Notes = append(r.Notes, fmt.Sprintf("Content-Length %q is not a number: the rest of the input was taken as the body", printable(cl[0], 20)))
			return nil
		}
		r.Body = rest[:min(n, len(rest))]
		if n > len(rest) {
			r.Notes = append(r.Notes, fmt.Sprintf("the body is shorter than its Content-Length (%d of %d bytes): replayed as it is", len(rest), n))
		} else if extra := bytes.TrimRight(rest[n:], "\r\n"); len(extra) > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%d bytes after the Content-Length were ignored (a server reads them as the next request)", len(extra)))
		}
	default:
		r.Body = rest
		if len(bytes.TrimRight(rest, "\r\n")) == 0 {
			r.Body = nil
		} else {
			r.Notes = append(r.Notes, "neither Content-Length nor Transfer-Encoding is given: the rest of the input was taken as the body (a server would read no body)")
		}
	}
	return nil
}

// dechunk decodes a chunked body, as the server does before the WAF sees it.
func (r *Request) dechunk(rest []byte) error {
	body, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(rest)))
	if err != nil {
		return fmt.Errorf("read raw request body: Transfer-Encoding: chunked, but the body is not valid chunked encoding: %w", err)
	}
	r.Body = body
	r.Notes = append(r.Notes, "the chunked body was de-chunked, as the server does before the WAF inspects it; the headers stay as sent (no Content-Length added)")
	return nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// printable shortens s and escapes control bytes, for error messages.
func printable(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
