package signature

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// MaxBody is how much of a body Classify looks at.
const MaxBody = 64 << 10

// view is a response normalised once per Classify call: lower-case header
// names, Set-Cookie names, a capped body and the parsed WP_Error.
type view struct {
	status  int
	header  map[string][]string
	cookies []string
	body    string
	lower   string // lazily lower-cased body
	lowered bool
	wpErr   *record.WPError
	isJSON  bool
}

func newView(resp *record.HTTPResponse) *view {
	v := &view{status: resp.Status, header: make(map[string][]string, len(resp.Header))}
	for k, vals := range resp.Header {
		lk := strings.ToLower(k)
		v.header[lk] = append(v.header[lk], vals...)
	}
	for _, sc := range v.header["set-cookie"] {
		name, _, _ := strings.Cut(sc, "=")
		v.cookies = append(v.cookies, strings.ToLower(strings.TrimSpace(name)))
	}
	v.body = resp.Body
	if len(v.body) > MaxBody {
		v.body = v.body[:MaxBody]
	}
	v.wpErr, v.isJSON = parseWPError(v.body)
	return v
}

func (v *view) get(name string) string {
	if vals := v.header[name]; len(vals) > 0 {
		return vals[0]
	}
	return ""
}

func (v *view) has(name string) bool {
	_, ok := v.header[name]
	return ok
}

func (v *view) lowerBody() string {
	if !v.lowered {
		v.lower = strings.ToLower(v.body)
		v.lowered = true
	}
	return v.lower
}

// contentType returns the media type in lower case, without parameters.
func (v *view) contentType() string {
	ct, _, _ := strings.Cut(v.get("content-type"), ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

// parseWPError recognises a WP_Error JSON body. The second result is true
// for any JSON object or array body.
func parseWPError(body string) (*record.WPError, bool) {
	t := strings.TrimSpace(body)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	if !json.Valid([]byte(t)) {
		return nil, false
	}
	if t[0] != '{' {
		return nil, true
	}
	var e struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Data    struct {
			Status int `json:"status"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(t), &e); err != nil {
		// data may be a string or list: retry without it.
		var e2 struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		}
		if json.Unmarshal([]byte(t), &e2) != nil {
			return nil, true
		}
		e.Code, e.Message = e2.Code, e2.Message
	}
	var code string
	if json.Unmarshal(e.Code, &code) != nil || code == "" {
		return nil, true
	}
	return &record.WPError{Code: code, Message: e.Message, Status: e.Data.Status}, true
}

// statusText is the reason phrase for a status, or "".
func statusText(code int) string { return http.StatusText(code) }
