package har

import (
	"fmt"
	"math"
	"strconv"
)

// decoder fills an entry from a kept JSON value, remembering the first
// field whose value has the wrong type or is out of range: such an entry
// is skipped and counted, the rest of the file is still read.
type decoder struct {
	bad string
}

func (d *decoder) fail(field, why string) {
	if d.bad == "" {
		d.bad = field + ": " + why
	}
}

func (d *decoder) str(v *jvalue, field string) string {
	switch {
	case v == nil || v.kind == 'z':
		return ""
	case v.kind != 's':
		d.fail(field, "not a string")
		return ""
	}
	return v.s
}

func (d *decoder) text(v *jvalue) cappedText {
	if v == nil || v.kind != 's' {
		return cappedText{} // null or a non-string: nothing kept
	}
	return cappedText{S: v.s, Len: int(v.raw), Truncated: v.cut}
}

func (d *decoder) float(v *jvalue, field string) float64 {
	switch {
	case v == nil || v.kind == 'z':
		return 0
	case v.kind != 'n':
		d.fail(field, "not a number")
		return 0
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.fail(field, fmt.Sprintf("number %.40s out of range", v.s))
		return 0
	}
	return f
}

// integer reads an integer field (a whole number in floating notation is
// accepted); anything beyond ±2^53 is out of range.
func (d *decoder) integer(v *jvalue, field string) int64 {
	if v == nil || v.kind == 'z' {
		return 0
	}
	if n, err := strconv.ParseInt(v.s, 10, 64); err == nil && v.kind == 'n' && n >= -1<<53 && n <= 1<<53 {
		return n
	}
	f := d.float(v, field)
	if f != math.Trunc(f) || f < -(1<<53) || f > 1<<53 {
		d.fail(field, fmt.Sprintf("%.40s is not an integer in range", v.s))
		return 0
	}
	return int64(f)
}

func (d *decoder) pairs(v *jvalue, field string) []nameVal {
	if v == nil || v.kind == 'z' {
		return nil
	}
	if v.kind != 'a' {
		d.fail(field, "not an array")
		return nil
	}
	out := make([]nameVal, 0, len(v.items))
	for i := range v.items {
		it := &v.items[i]
		if it.kind != 'o' {
			d.fail(field, "not an array of objects")
			continue
		}
		out = append(out, nameVal{Name: d.str(it.member("name"), field), Value: d.str(it.member("value"), field)})
	}
	return out
}

// entryOf converts a kept entry object; why is non-empty when the entry
// must be skipped.
func entryOf(v *jvalue) (e entry, why string) {
	if v.kind != 'o' {
		return e, "not an object"
	}
	d := &decoder{}
	e.Started = d.str(v.member("startedDateTime"), "startedDateTime")
	e.Time = d.float(v.member("time"), "time")
	e.ServerIP = d.str(v.member("serverIPAddress"), "serverIPAddress")
	e.Error = d.str(v.member("_error"), "_error")
	e.Request = d.request(v.member("request"))
	e.Response = d.response(v.member("response"))
	if t := v.member("timings"); t != nil && t.kind == 'o' {
		e.Timings = timings{Blocked: d.float(t.member("blocked"), "timings.blocked"), DNS: d.float(t.member("dns"), "timings.dns"),
			Connect: d.float(t.member("connect"), "timings.connect"), Send: d.float(t.member("send"), "timings.send"),
			Wait: d.float(t.member("wait"), "timings.wait"), SSL: d.float(t.member("ssl"), "timings.ssl")}
	}
	return e, d.bad
}

func (d *decoder) request(v *jvalue) request {
	if v == nil || v.kind != 'o' {
		return request{}
	}
	r := request{Method: d.str(v.member("method"), "request.method"), URL: d.str(v.member("url"), "request.url"),
		HTTPVersion: d.str(v.member("httpVersion"), "request.httpVersion"),
		Headers:     d.pairs(v.member("headers"), "request.headers"), Cookies: d.pairs(v.member("cookies"), "request.cookies"),
		QueryString: d.pairs(v.member("queryString"), "request.queryString")}
	r.BodySize = int(d.integer(v.member("bodySize"), "request.bodySize"))
	if pd := v.member("postData"); pd != nil && pd.kind == 'o' {
		r.PostData = &postData{MimeType: d.str(pd.member("mimeType"), "request.postData.mimeType"),
			Text: d.text(pd.member("text")), Params: d.pairs(pd.member("params"), "request.postData.params")}
	}
	return r
}

func (d *decoder) response(v *jvalue) response {
	if v == nil || v.kind != 'o' {
		return response{}
	}
	r := response{StatusText: d.str(v.member("statusText"), "response.statusText"),
		HTTPVersion: d.str(v.member("httpVersion"), "response.httpVersion"),
		Headers:     d.pairs(v.member("headers"), "response.headers"), Cookies: d.pairs(v.member("cookies"), "response.cookies"),
		Error: d.str(v.member("_error"), "response._error")}
	r.Status = int(d.integer(v.member("status"), "response.status"))
	r.BodySize = int(d.integer(v.member("bodySize"), "response.bodySize"))
	if c := v.member("content"); c != nil && c.kind == 'o' {
		r.Content = content{Size: d.integer(c.member("size"), "response.content.size"),
			MimeType: d.str(c.member("mimeType"), "response.content.mimeType"),
			Text:     d.text(c.member("text")), Encoding: d.str(c.member("encoding"), "response.content.encoding")}
	}
	return r
}
