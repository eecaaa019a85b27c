package rawhttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Limits on what Read accepts.
const (
	MaxInput       = 8 << 20  // whole input
	MaxHeaderBytes = 64 << 10 // one header block
	MaxHeaderLines = 256      // header lines in one block
	MaxBody        = 1 << 20  // body kept in the response
)

// Format names the input format Read detected.
type Format string

// The formats.
const (
	FormatRaw     Format = "raw"    // curl -i
	FormatVerbose Format = "curl-v" // curl -v
	FormatHAR     Format = "har"    // one HAR entry
	FormatBody    Format = "body"   // a bare body, status given by the caller
)

// Exchange is one response and, when the input had it, its request.
type Exchange struct {
	Format   Format
	Request  *record.HTTPRequest
	Response *record.HTTPResponse
	// Scrub holds the secrets the exchange carried (credentials, cookies,
	// secret query parameters), registered before they were redacted,
	// for what is derived from the body (a WordPress error message).
	Scrub *redact.Scrubber
}

// ErrEmpty is returned for an input with nothing in it.
var ErrEmpty = errors.New("input is empty")

// Read detects the format of r and parses one exchange from it.
func Read(r io.Reader) (*Exchange, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	return Parse(data)
}

// Parse is Read on bytes already in memory.
func Parse(data []byte) (*Exchange, error) {
	if len(data) > MaxInput {
		return nil, fmt.Errorf("input is larger than %d bytes", MaxInput)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, ErrEmpty
	case trimmed[0] == '{':
		return parseHAR(trimmed)
	case isVerbose(data):
		return parseVerbose(data)
	}
	return parseRaw(data)
}

// BodyOnly wraps a bare response body (pasted page text with no status
// line or headers) with the status the caller says it came with.
func BodyOnly(data []byte, status int) (*Exchange, error) {
	if status < 100 || status > 999 {
		return nil, fmt.Errorf("status %d is not an HTTP status", status)
	}
	if len(data) > MaxInput {
		return nil, fmt.Errorf("input is larger than %d bytes", MaxInput)
	}
	resp := &record.HTTPResponse{Status: status, Header: map[string][]string{}}
	setBody(resp, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	return &Exchange{Format: FormatBody, Response: resp}, nil
}

// finish fills derived fields and redacts request secrets.
func finish(x *Exchange) *Exchange {
	x.Scrub = secretsOf(x)
	if x.Request != nil {
		x.Request.Header = redact.Header(x.Request.Header)
		x.Request.URL = redact.URL(x.Request.URL)
		x.Request.Style = styleOf(x.Request.URL)
	}
	return x
}

func styleOf(url string) record.RouteStyle {
	switch {
	case strings.Contains(url, "rest_route="):
		return record.StyleQuery
	case strings.Contains(url, "/wp-json/") || strings.HasSuffix(url, "/wp-json"):
		return record.StylePretty
	}
	return record.StyleOther
}

// setBody stores a body within MaxBody.
func setBody(resp *record.HTTPResponse, body []byte) {
	resp.BodyBytes = int64(len(body))
	if len(body) > MaxBody {
		body = body[:MaxBody]
		resp.BodyTruncated = true
	}
	resp.Body = string(body)
}

// secretsOf registers the secrets of the exchange's headers and URL.
func secretsOf(x *Exchange) *redact.Scrubber {
	sc := &redact.Scrubber{}
	var hs []map[string][]string
	if x.Request != nil {
		hs = append(hs, x.Request.Header)
		if u, err := url.Parse(x.Request.URL); err == nil {
			for k, vs := range u.Query() {
				if redact.IsSensitiveParam(k) {
					sc.Add(vs...)
				}
			}
		}
	}
	if x.Response != nil {
		hs = append(hs, x.Response.Header)
	}
	for _, h := range hs {
		for k, vs := range h {
			for _, v := range vs {
				switch strings.ToLower(k) {
				case "authorization", "proxy-authorization":
					sc.AddAuthorization(v)
				case "cookie":
					sc.AddCookies(v)
				case "set-cookie":
					c, _, _ := strings.Cut(v, ";")
					sc.AddCookies(c)
				default:
					if redact.IsSensitiveHeader(k) {
						sc.Add(v)
					}
				}
			}
		}
	}
	return sc
}
