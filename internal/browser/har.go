package browser

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/redact"
)

// The HAR 1.2 document the recorder writes: what a browser's own "Save
// all as HAR" holds, limited to the fields wp403 reads and a person needs.
type harDoc struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string      `json:"version"`
	Creator harCreator  `json:"creator"`
	Browser *harCreator `json:"browser,omitempty"`
	Pages   []harPage   `json:"pages"`
	Entries []harEntry  `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	Started string          `json:"startedDateTime"`
	ID      string          `json:"id"`
	Title   string          `json:"title"`
	Timings json.RawMessage `json:"pageTimings"`
}

type harEntry struct {
	Pageref  string      `json:"pageref,omitempty"`
	Started  string      `json:"startedDateTime"`
	Time     float64     `json:"time"`
	Request  harRequest  `json:"request"`
	Response harResponse `json:"response"`
	Cache    struct{}    `json:"cache"`
	Timings  harTimings  `json:"timings"`
	ServerIP string      `json:"serverIPAddress,omitempty"`
	Error    string      `json:"_error,omitempty"`
	Comment  string      `json:"comment,omitempty"` // the editor step it belongs to
}

type harRequest struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Headers     []harNV  `json:"headers"`
	Cookies     []harNV  `json:"cookies"`
	QueryString []harNV  `json:"queryString"`
	PostData    *harPost `json:"postData,omitempty"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Headers     []harNV    `json:"headers"`
	Cookies     []harNV    `json:"cookies"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPost struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// harTime is the HAR date format (ISO 8601 with milliseconds).
func harTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// writeHAR encodes the document.
func writeHAR(w io.Writer, d *harDoc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// HAR builds the redacted HAR 1.2 document of everything recorded.
func (r *Recorder) HAR(version string) *harDoc {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.learnSecrets()
	doc := &harDoc{Log: harLog{Version: "1.2", Creator: harCreator{Name: "wp403", Version: version},
		Browser: &harCreator{Name: "Chromium", Version: ""}, Pages: []harPage{}, Entries: []harEntry{}}}
	for _, p := range r.order {
		doc.Log.Entries = append(doc.Log.Entries, r.entry(p))
	}
	sort.SliceStable(doc.Log.Entries, func(i, j int) bool { return doc.Log.Entries[i].Started < doc.Log.Entries[j].Started })
	return doc
}

func (r *Recorder) entry(p *pending) harEntry {
	e := harEntry{Started: harTime(p.wall), Comment: p.step, ServerIP: p.remoteIP}
	if p.end > p.start {
		e.Time = (p.end - p.start) * 1000
		e.Timings.Wait = e.Time
	}
	e.Request = harRequest{Method: p.method, URL: r.scrub.String(redact.URLFields(p.url)), HTTPVersion: httpVersion(p.proto),
		Headers: r.headers(p.reqHeader), Cookies: []harNV{}, QueryString: []harNV{}, HeadersSize: -1, BodySize: len(p.post)}
	if p.post != "" {
		e.Request.PostData = &harPost{MimeType: p.reqHeader[headerKey(p.reqHeader, "content-type")], Text: r.body(p.post)}
	}
	e.Response = harResponse{Status: p.status, StatusText: p.statusTxt, HTTPVersion: httpVersion(p.proto),
		Headers: r.headers(p.respHdr), Cookies: []harNV{}, HeadersSize: -1, BodySize: len(p.body),
		Content: harContent{Size: len(p.body), MimeType: p.mime, Text: r.body(p.body)}}
	if p.failed != "" {
		e.Error = p.failed
	}
	if !p.finished {
		e.Error = "net::ERR_ABORTED (no answer before the recording ended)"
	}
	return e
}

// headers lists header fields with secret values masked; Chromium joins
// repeated fields with newlines, HAR lists each.
func (r *Recorder) headers(h map[string]string) []harNV {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]harNV, 0, len(names))
	for _, k := range names {
		if strings.HasPrefix(k, ":") {
			continue
		}
		for _, v := range strings.Split(h[k], "\n") {
			out = append(out, harNV{Name: k, Value: r.scrub.String(redact.HeaderValue(k, v))})
		}
	}
	return out
}

// body is a request or response body as stored: every field whose name
// marks a secret (nonces, passwords, tokens, keys: redact.BodyFields, as
// HAR sanitizers do) masked in forms and JSON, bare nonces masked, and
// every known secret value masked wherever else it appears.
func (r *Recorder) body(text string) string {
	return r.scrub.String(redact.NonceBody(redact.BodyFields(text)))
}

func headerKey(h map[string]string, name string) string {
	for k := range h {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return ""
}

func httpVersion(proto string) string {
	switch strings.ToLower(proto) {
	case "h2":
		return "HTTP/2.0"
	case "":
		return "HTTP/1.1"
	default:
		return strings.ToUpper(proto)
	}
}
