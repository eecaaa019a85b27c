package waf

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBody caps a request body read from a file.
const maxBody = 16 << 20

// harFile is the part of a HAR 1.2 archive a replay needs.
type harFile struct {
	Log struct {
		Entries []struct {
			Request struct {
				Method      string `json:"method"`
				URL         string `json:"url"`
				HTTPVersion string `json:"httpVersion"`
				Headers     []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"headers"`
				PostData *struct {
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
					Params   []struct {
						Name  string `json:"name"`
						Value string `json:"value"`
					} `json:"params"`
				} `json:"postData"`
			} `json:"request"`
			Response struct {
				Status int `json:"status"`
			} `json:"response"`
		} `json:"entries"`
	} `json:"log"`
}

// FromHAR returns entry n (0-based) of a HAR archive; n < 0 picks the
// first entry answered 401, 403 or 406.
func FromHAR(r io.Reader, n int) (Request, error) {
	var h harFile
	if err := json.NewDecoder(r).Decode(&h); err != nil {
		return Request{}, fmt.Errorf("parse har: %w", err)
	}
	es := h.Log.Entries
	if n < 0 {
		for i, e := range es {
			if s := e.Response.Status; s == 401 || s == 403 || s == 406 {
				n = i
				break
			}
		}
		if n < 0 {
			return Request{}, fmt.Errorf("har: none of %d entries was refused (401/403/406); pick one with --entry", len(es))
		}
	}
	if n >= len(es) {
		return Request{}, fmt.Errorf("har: entry %d does not exist (%d entries)", n, len(es))
	}
	e := es[n].Request
	out := Request{Method: e.Method, URL: e.URL, Header: http.Header{}}
	for _, hd := range e.Headers {
		if strings.HasPrefix(hd.Name, ":") { // HTTP/2 pseudo-headers
			continue
		}
		out.Header.Add(hd.Name, hd.Value)
	}
	if pd := e.PostData; pd != nil {
		out.Body = []byte(pd.Text)
		if pd.Text == "" && len(pd.Params) > 0 {
			v := url.Values{}
			for _, p := range pd.Params {
				v.Add(p.Name, p.Value)
			}
			out.Body = []byte(v.Encode())
		}
		if out.Header.Get("Content-Type") == "" && pd.MimeType != "" {
			out.Header.Set("Content-Type", pd.MimeType)
		}
	}
	// The HAR's Content-Length may describe a compressed or other body.
	out.Header.Del("Content-Length")
	return out, nil
}
