package signature

import (
	"encoding/json"
	"errors"
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
	scanner *litScanner
	found   []bool // which scanner literals the body holds, computed once
	wpErr   *record.WPError
	isJSON  bool
	rest    []string // WordPress REST server headers present
	// enveloped is the HTTP status of a ?_envelope response, whose body
	// carries the status WordPress set; status is then that one.
	enveloped int
	stock     *stock // stock page, computed once
	stockOK   bool
	theme     int8 // theme page guard: 0 not computed, 1 yes, -1 no
	wpDie     bool // the body is WordPress's wp_die() HTML page
}

// themePage reports whether the body is a WordPress theme page, computed once.
func (v *view) themePage() bool {
	if v.theme == 0 {
		v.theme = -1
		if isThemePage(v) {
			v.theme = 1
		}
	}
	return v.theme > 0
}

// phrasesCount reports whether a page's text may prove a refusal: only on
// an error status (or a status the signature lists itself, for vendors
// that answer challenges with 200), and never inside a theme page.
func (v *view) phrasesCount(listed bool) bool {
	return (listed || v.status >= 400) && !v.themePage()
}

// markupCounts reports whether a vendor's own page markup may prove a
// refusal: on an error status or one the signature lists. The theme page
// guard does not apply: a page that quotes markup shows it escaped, and a
// vendor's custom error page may well be built from the site's theme.
func (v *view) markupCounts(listed bool) bool {
	return listed || v.status >= 400
}

// stockPage returns the server stock page the body is, computed once. A
// theme page is none.
func (v *view) stockPage() (stock, bool) {
	if v.stock == nil {
		st, ok := stock{}, false
		if !v.themePage() {
			st, ok = stockPage(v)
		}
		v.stock, v.stockOK = &st, ok
	}
	return *v.stock, v.stockOK
}

func newView(resp *record.HTTPResponse, ls *litScanner) *view {
	v := &view{status: resp.Status, header: make(map[string][]string, len(resp.Header)), scanner: ls}
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
	if st, inner, ok := parseEnvelope(v); ok {
		v.enveloped, v.status = v.status, st
		v.wpErr, _ = parseWPError(inner)
	}
	v.rest = restMarkers(v)
	v.wpDie = !v.isJSON && strings.Contains(v.body, `<body id="error-page">`)
	return v
}

// restJSON reports whether WordPress's REST server wrote this JSON body:
// then text in the body is content (a post about Cloudflare), never an
// outer layer's block page.
func (v *view) restJSON() bool { return v.isJSON && len(v.rest) > 0 }

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

// literals returns which of the database's literals occur in the body.
func (v *view) literals() []bool {
	if v.found == nil {
		if v.scanner == nil {
			v.scanner = newLitScanner()
		}
		v.found = v.scanner.scan(normText(v.body))
	}
	return v.found
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
	if t[0] != '{' {
		return nil, json.Valid([]byte(t))
	}
	var e struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Data    struct {
			Status int `json:"status"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(t), &e); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, false
		}
		// data (or message) has another type: retry with the code only.
		var e2 struct {
			Code json.RawMessage `json:"code"`
		}
		if json.Unmarshal([]byte(t), &e2) != nil {
			return nil, true
		}
		e.Code = e2.Code
	}
	var code string
	if json.Unmarshal(e.Code, &code) != nil || code == "" {
		return nil, true
	}
	return &record.WPError{Code: code, Message: e.Message, Status: e.Data.Status}, true
}
