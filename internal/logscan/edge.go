package logscan

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// edgeFormat is one JSON-lines log of an edge, CDN, cloud WAF or reverse
// proxy. keys are literal fragments that every record of the format holds
// (its distinctive field names, quoted): a line without them is not this
// format, and a line with them but no REST marker is skipped without
// decoding it, which is what keeps a multi-gigabyte log fast.
type edgeFormat struct {
	name   string
	keys   [][]byte
	decode func(b []byte, in *interner) (record.LogEntry, bool)
}

// edgeFormats in detection order: the more specific shapes first.
var edgeFormats = []*edgeFormat{
	{name: FmtCloudflareHTTP, keys: keys(`"RayID"`, `"ClientRequestURI"`), decode: decodeCFHTTP},
	{name: FmtAWSWAF, keys: keys(`"terminatingRuleId"`, `"httpRequest"`), decode: decodeAWSWAF},
	{name: FmtCloudArmor, keys: keys(`"enforcedSecurityPolicy"`, `"httpRequest"`), decode: decodeCloudArmor},
	{name: FmtAzureWAF, keys: keys(`"properties"`, `"ruleName"`), decode: decodeAzureWAF},
	{name: FmtAzureAppGW, keys: keys(`"properties"`, `"ruleSetType"`), decode: decodeAzureWAF},
	{name: FmtAkamai, keys: keys(`"attackData"`, `"httpMessage"`), decode: decodeAkamai},
	{name: FmtFastlyNGWAF, keys: keys(`"agent_response_code"`, `"signals"`), decode: decodeNGWAF},
	{name: FmtFastly, keys: keys(`"fastly_server"`, `"request_user_agent"`), decode: decodeFastly},
	{name: FmtSucuri, keys: keys(`"sucuri_block_reason"`, `"resource_path"`), decode: decodeSucuri},
	{name: FmtCaddy, keys: keys(`"level":`, `"ts":`, `"msg":`), decode: decodeCaddy},
	{name: FmtTraefik, keys: keys(`"DownstreamStatus"`, `"RequestPath"`), decode: decodeTraefik},
}

func keys(ks ...string) [][]byte {
	out := make([][]byte, len(ks))
	for i, k := range ks {
		out[i] = []byte(k)
	}
	return out
}

func edgeFormatNamed(name string) *edgeFormat {
	for _, f := range edgeFormats {
		if f.name == name {
			return f
		}
	}
	return nil
}

// marked reports whether a line holds every key of the format.
func (f *edgeFormat) marked(b []byte) bool {
	for _, k := range f.keys {
		if !bytes.Contains(b, k) {
			return false
		}
	}
	return true
}

// edgeParser reads one edgeFormat, one JSON object per line.
type edgeParser struct {
	f      *edgeFormat
	source string
	prefix string
	all    bool
	skip   int
	intern interner
}

func (p *edgeParser) name() string { return p.f.name }
func (p *edgeParser) end(emitFunc) {}

func (p *edgeParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) == 0 {
		return true
	}
	if b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	if !p.all && !jsonRESTMarker(b, p.prefix) {
		// The fast path: a JSON record that is no REST request (or no
		// request at all) is neither checked further nor decoded.
		p.skip++
		return true
	}
	if p.all && !p.f.marked(b) {
		// Without the REST prefilter (detection, --all) the keys are the
		// cheap guard; with it, decode's own checks of the fields it
		// needs reject another format's line.
		return false
	}
	e, ok := p.f.decode(b, &p.intern)
	if !ok {
		return false
	}
	if e.URI == "" {
		return true // a record of the format that is no request (a daemon message)
	}
	e.Source, e.Line, e.Format, e.Edge = p.source, n, p.f.name, true
	if !fillRoute(&e, p.prefix) && !p.all {
		p.skip++
		return true
	}
	emit(e)
	return true
}

// jsonRESTMarker is restMarker for JSON text, where a writer may escape
// slashes ("\/wp-json"): "wp-json" covers both spellings in one pass.
func jsonRESTMarker(b []byte, prefix string) bool {
	if prefix != "" && prefix != "/wp-json/" && bytes.Contains(b, []byte(prefix)) {
		return true
	}
	if bytes.Contains(b, []byte("wp-json")) {
		return true
	}
	// "rest_route=" and "rest-nonce" in one pass over "rest".
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("rest"))
		if j < 0 {
			return false
		}
		i += j + 4
		if bytes.HasPrefix(b[i:], []byte("_route=")) || bytes.HasPrefix(b[i:], []byte("-nonce")) {
			return true
		}
	}
}

// interner returns one string per distinct value of a field that repeats
// from line to line (a method, a host, a client, a user agent), so that a
// large log does not allocate them again for every line. It holds at most
// maxInterned values, then stops adding.
type interner map[string]string

const maxInterned = 4096

func (in *interner) get(b []byte) string {
	if s, ok := (*in)[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if *in == nil {
		*in = interner{}
	}
	if len(*in) < maxInterned {
		(*in)[s] = s
	}
	return s
}

// flexTime reads a time that a JSON log writes as RFC 3339 text, or as a
// number of seconds, milliseconds or nanoseconds since the epoch (told
// apart by magnitude), as a JSON number or string.
func flexTime(raw json.RawMessage) time.Time {
	if len(raw) > 21 && raw[0] == '"' && raw[5] == '-' && raw[11] == 'T' {
		// RFC 3339, the common case: time.Parse has a fast path for it.
		if t, err := time.Parse(time.RFC3339Nano, string(raw[1:len(raw)-1])); err == nil {
			return t.UTC()
		}
	}
	s := strings.Trim(string(raw), `"`)
	if s == "" || s == "null" {
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return epoch(f)
	}
	t, ok := anyTime(s, time.UTC)
	if !ok {
		t, _ = time.Parse("2006-01-02T15:04:05-0700", s) // strftime's %z
	}
	return t.UTC()
}

func epoch(f float64) time.Time {
	switch {
	case f <= 0 || math.IsInf(f, 0) || math.IsNaN(f):
		return time.Time{}
	case f > 1e17: // nanoseconds
		return time.Unix(0, int64(f)).UTC()
	case f > 1e14: // microseconds
		return time.UnixMicro(int64(f)).UTC()
	case f > 1e11: // milliseconds
		return time.UnixMilli(int64(f)).UTC()
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// headerPick keeps the three request headers a diagnosis needs from a
// header list, never the others (cookies and credentials stay behind).
type headerPick struct{ host, agent, rid string }

func (h *headerPick) add(name, value string) {
	switch strings.ToLower(name) {
	case "host", ":authority":
		h.host = value
	case "user-agent":
		h.agent = value
	case "x-wp403-request-id":
		h.rid = value
	}
}

// maskedHit builds a rule hit whose matched data is masked when the
// target it names is a secret (a cookie, Authorization, a password).
func maskedHit(name, message, target, data string) record.RuleHit {
	h := record.RuleHit{Name: name, Message: message, Target: target, Data: data}
	if id, err := strconv.Atoi(name); err == nil && id > 0 {
		h.ID, h.Name = id, ""
	}
	h.Message, h.Data = redact.RuleHitText(target, h.Message, h.Data)
	if h.Data != "" && (secretTarget(target) || secretValue(h.Data)) {
		h.Data = redact.Mask
	}
	if len(h.Data) > 200 {
		h.Data = h.Data[:200] + "…"
	}
	return h
}

// secretTarget reports whether an edge product's name for the matched
// part of the request (AWS "HEADER:authorization", Azure
// "CookieValue:wordpress_logged_in_…", "QueryParamValue:_wpnonce", Akamai
// "REQUEST_HEADERS:Authorization", a signal's "header.cookie") names a
// credential: every product spells the collection differently, so the
// names in it are checked one by one.
func secretTarget(t string) bool {
	for _, part := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return r == ':' || r == '.' || r == '[' || r == ']' }) {
		if strings.Contains(part, "cookie") || strings.Contains(part, "authorization") || strings.Contains(part, "nonce") ||
			strings.Contains(part, "pass") || strings.Contains(part, "token") ||
			redact.IsSensitiveHeader(part) || redact.IsSensitiveParam(part) {
			return true
		}
	}
	return false
}

// secretValue: matched data that is itself a credential.
func secretValue(d string) bool {
	l := strings.ToLower(d)
	return strings.Contains(l, "wordpress_logged_in") || strings.Contains(l, "basic ") || strings.Contains(l, "bearer ") ||
		strings.Contains(l, "wp_rest")
}

// refusalAction reports whether a product's action name stopped the
// request (block, deny, challenge, drop), whatever its casing.
func refusalAction(a string) bool {
	switch strings.ToLower(strings.ReplaceAll(a, "_", "")) {
	case "block", "blocked", "deny", "denied", "drop", "challenge", "captcha", "jschallenge",
		"managedchallenge", "connectionclose", "challengefailed", "jschallengefailed", "tarpit", "throttle":
		return true
	}
	return false
}
