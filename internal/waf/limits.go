package waf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"mime"
	"strings"
)

// Caps on what one replay hands the rule engine, so that a request read
// from an audit log or a HAR (attacker-chosen) cannot take the replay's
// memory: Coraza keeps every argument, cookie and XML node, and each
// rule's matches on them.
const (
	// maxParts is the number of multipart parts replayed: Go's
	// mime/multipart ReadForm stops at 1000 (GODEBUG multipartmaxparts),
	// as ModSecurity's SecArgumentsLimit 1000 stops arguments.
	maxParts = 1000
	// maxCookies is the number of cookies replayed: SecArgumentsLimit's
	// 1000 again (a browser keeps about 180 per site).
	maxCookies = 1000
	// maxXMLDepth is libxml2's nesting limit (xmlParserMaxDepth, without
	// XML_PARSE_HUGE): ModSecurity's XML body processor fails deeper.
	maxXMLDepth = 256
	// maxXMLNodes bounds the elements, attributes and text nodes of an XML
	// body replayed (Coraza keeps each one as a variable).
	maxXMLNodes = 20000
	// maxXMLBody bounds the bytes of an XML body replayed: one huge text
	// node costs the rules' regular expressions minutes and the engine
	// its copies. ModSecurity's recommended SecRequestBodyNoFilesLimit
	// refuses any body without files over 128 KiB (413).
	maxXMLBody = 1 << 20
)

// bound applies the caps to a request and says, in a note, what exceeded
// them and what was replayed instead.
func bound(r Request) (Request, []string) {
	var notes []string
	if n, note := boundCookies(&r); n > maxCookies {
		notes = append(notes, note)
	}
	ctype := contentType(r)
	media, params, _ := mime.ParseMediaType(ctype)
	switch {
	case strings.HasPrefix(media, "multipart/") && params["boundary"] != "":
		if body, n := cutParts(r.Body, params["boundary"]); n > maxParts {
			r.Body = body
			notes = append(notes, fmt.Sprintf("the request exceeded the multipart limit: more than %d parts, only the first %d replayed "+
				"(Go's mime/multipart and ModSecurity's SecArgumentsLimit stop at %d)", maxParts, maxParts, maxParts))
		}
	case strings.Contains(media, "xml") && len(r.Body) > 0:
		if reason := xmlTooBig(r.Body); reason != "" {
			r.Body = nil
			notes = append(notes, "the request exceeded the XML limits ("+reason+"): its body was not replayed; "+
				"ModSecurity's recommended configuration refuses it (SecRequestBodyNoFilesLimit 128 KiB: 413; libxml2's depth limit: rule 200002, 400)")
		}
	}
	return r, notes
}

// contentType is the request's Content-Type, from its header map or, as
// sent, from its header lines.
func contentType(r Request) string {
	if r.AsSent {
		for _, f := range r.Fields {
			if strings.EqualFold(f.Name, "Content-Type") {
				return f.Value
			}
		}
		return ""
	}
	return r.Header.Get("Content-Type")
}

// boundCookies keeps the first maxCookies cookies across the Cookie
// headers, and returns how many there were (counting stops well past the
// cap) with the note to give when it was exceeded.
func boundCookies(r *Request) (int, string) {
	total := 0
	keep := func(v string) string {
		pairs := strings.Split(v, ";")
		room := max(0, maxCookies-total)
		total += len(pairs)
		if len(pairs) > room {
			pairs = pairs[:room]
		}
		return strings.Join(pairs, ";")
	}
	if r.AsSent {
		fields := make([]Field, 0, len(r.Fields))
		for _, f := range r.Fields {
			if strings.EqualFold(f.Name, "Cookie") {
				f.Value = keep(f.Value)
			}
			fields = append(fields, f)
		}
		r.Fields = fields
	} else if vs := r.Header.Values("Cookie"); len(vs) > 0 {
		h := r.Header.Clone()
		h.Del("Cookie")
		for _, v := range vs {
			if v = keep(v); v != "" {
				h.Add("Cookie", v)
			}
		}
		r.Header = h
	}
	return total, fmt.Sprintf("the request exceeded the cookie limit: %d cookies, only the first %d replayed "+
		"(ModSecurity's SecArgumentsLimit stops at %d; most servers refuse a Cookie header this long before any WAF)", total, maxCookies, maxCookies)
}

// cutParts returns the body cut after maxParts parts (closed with the
// final delimiter) and the number of parts seen, counting no further
// than maxParts+1.
func cutParts(body []byte, boundary string) ([]byte, int) {
	delim := []byte("--" + boundary)
	n, at := 0, 0
	for {
		i := bytes.Index(body[at:], delim)
		if i < 0 {
			return body, n
		}
		pos := at + i
		rest := body[pos+len(delim):]
		if bytes.HasPrefix(rest, []byte("--")) { // the closing delimiter
			return body, n
		}
		if n == maxParts {
			out := make([]byte, 0, pos+len(delim)+4)
			out = append(append(append(out, body[:pos]...), delim...), "--\r\n"...)
			return out, n + 1
		}
		n++
		at = pos + len(delim)
	}
}

// xmlTooBig reads an XML body token by token and says which limit it
// exceeds (larger than maxXMLBody, nesting deeper than libxml2's, more
// nodes than maxXMLNodes),
// or "" when it is within both (or is not well-formed: the rule engine
// then reports the parse error itself).
func xmlTooBig(body []byte) string {
	if len(body) > maxXMLBody {
		return fmt.Sprintf("%d bytes, more than %d", len(body), maxXMLBody)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	depth, nodes := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil { // io.EOF, or not well-formed
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			nodes += 1 + len(t.Attr)
		case xml.EndElement:
			depth--
		case xml.CharData:
			nodes++
		}
		if depth > maxXMLDepth {
			return fmt.Sprintf("nested deeper than %d elements, libxml2's limit", maxXMLDepth)
		}
		if nodes > maxXMLNodes {
			return fmt.Sprintf("more than %d elements, attributes and text nodes", maxXMLNodes)
		}
	}
}
