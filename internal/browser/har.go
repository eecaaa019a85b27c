package browser

import (
	"encoding/json"
	"io"
	"time"
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
