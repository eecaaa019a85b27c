package waf

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"
)

// maxParam caps a parameter value read from a multipart body.
const maxParam = 4 << 10

// Param returns the first value of a request parameter as the WAF sees
// it (ARGS_GET, then ARGS_POST of a form or multipart body), and whether
// it came from the body. admin-ajax.php's action is the use: an
// exclusion keyed on it runs in phase 1 for the query, phase 2 for the body.
func (r Request) Param(name string) (value string, inBody, ok bool) {
	_, query, _ := strings.Cut(r.URL, "?")
	query, _, _ = strings.Cut(query, "#")
	if v, err := url.ParseQuery(query); err == nil || len(v) > 0 {
		if vs, found := v[name]; found && len(vs) > 0 {
			return vs[0], false, true
		}
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "application/x-www-form-urlencoded":
		v, _ := url.ParseQuery(string(r.Body))
		if vs, found := v[name]; found && len(vs) > 0 {
			return vs[0], true, true
		}
	case strings.HasPrefix(ct, "multipart/") && params["boundary"] != "":
		return multipartValue(r.Body, params["boundary"], name)
	}
	return "", false, false
}

func multipartValue(body []byte, boundary, name string) (string, bool, bool) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", false, false
		}
		if p.FormName() == name && p.FileName() == "" {
			b, _ := io.ReadAll(io.LimitReader(p, maxParam))
			return string(b), true, true
		}
	}
}
