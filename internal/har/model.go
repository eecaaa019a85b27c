package har

import "strings"

// The HAR 1.2 objects this package reads. Fields a diagnosis does not
// need are not declared, so the decoder skips them.
type harLog struct {
	Creator nameVersion `json:"creator"`
	Browser nameVersion `json:"browser"`
}

type nameVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type entry struct {
	Started  string   `json:"startedDateTime"`
	Time     float64  `json:"time"`
	Request  request  `json:"request"`
	Response response `json:"response"`
	Timings  timings  `json:"timings"`
	ServerIP string   `json:"serverIPAddress"`
	Error    string   `json:"_error"` // Chrome: net::ERR_… for failed requests
}

type request struct {
	Method      string    `json:"method"`
	URL         string    `json:"url"`
	HTTPVersion string    `json:"httpVersion"`
	Headers     []nameVal `json:"headers"`
	Cookies     []nameVal `json:"cookies"`
	PostData    *postData `json:"postData"`
	BodySize    int       `json:"bodySize"`
	QueryString []nameVal `json:"queryString"`
}

type response struct {
	Status      int       `json:"status"`
	StatusText  string    `json:"statusText"`
	HTTPVersion string    `json:"httpVersion"`
	Headers     []nameVal `json:"headers"`
	Cookies     []nameVal `json:"cookies"`
	Content     content   `json:"content"`
	BodySize    int       `json:"bodySize"`
	Error       string    `json:"_error"` // Chrome, on some versions
}

type nameVal struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type postData struct {
	MimeType string     `json:"mimeType"`
	Text     cappedText `json:"text"`
	Params   []nameVal  `json:"params"`
}

type content struct {
	Size     int64      `json:"size"`
	MimeType string     `json:"mimeType"`
	Text     cappedText `json:"text"`
	Encoding string     `json:"encoding"`
}

type timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	SSL     float64 `json:"ssl"`
}

// MaxBody is the most of a body kept per entry (after base64 decoding).
const MaxBody = 64 << 10

// cappedText is a JSON string of which at most maxRaw bytes are kept;
// Len is the length of the whole raw string.
type cappedText struct {
	S         string
	Len       int
	Truncated bool
}

const maxRaw = MaxBody*4/3 + 8 // base64 of MaxBody, plus slack

// header returns the first value of a header, case-insensitively.
func header(h []nameVal, name string) string {
	for _, kv := range h {
		if strings.EqualFold(kv.Name, name) {
			return kv.Value
		}
	}
	return ""
}
