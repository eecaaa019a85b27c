package waf

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	harfile "github.com/wp403/wp403/internal/har"
)

// maxBody caps a request body read from a file.
const maxBody = 16 << 20

// FromHAR returns entry n (0-based) of a HAR archive; n < 0 picks the
// first entry answered 401, 403 or 406.
func FromHAR(r io.Reader, n int) (Request, error) {
	e, err := harfile.Pick(r, n, maxBody)
	if err != nil {
		return Request{}, err
	}
	if e.BodyCut {
		return Request{}, fmt.Errorf("har: the body of entry %d is larger than %d MiB", e.Index, maxBody>>20)
	}
	out := Request{Method: e.Method, URL: e.URL, Header: http.Header{}}
	for _, hd := range e.Headers {
		if strings.HasPrefix(hd.Name, ":") { // HTTP/2 pseudo-headers
			continue
		}
		out.Header.Add(hd.Name, hd.Value)
	}
	out.Body = []byte(e.Body)
	if e.Body == "" && len(e.Params) > 0 {
		v := url.Values{}
		for _, p := range e.Params {
			v.Add(p.Name, p.Value)
		}
		out.Body = []byte(v.Encode())
	}
	if out.Header.Get("Content-Type") == "" && e.MimeType != "" {
		out.Header.Set("Content-Type", e.MimeType)
	}
	// The HAR's Content-Length may describe a compressed or other body.
	out.Header.Del("Content-Length")
	return out, nil
}
