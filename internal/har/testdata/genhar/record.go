package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// exchange is one request as the protocol events describe it.
type exchange struct {
	id       network.RequestID
	typ      network.ResourceType
	wall     time.Time
	start    float64 // monotonic seconds
	end      float64
	req      *network.Request
	rawReq   network.Headers // requestWillBeSentExtraInfo: what went on the wire (cookies included)
	resp     *network.Response
	errText  string
	finished bool
}

type recorder struct {
	mu  sync.Mutex
	all map[network.RequestID]*exchange
	seq []network.RequestID
}

func newRecorder() *recorder { return &recorder{all: map[network.RequestID]*exchange{}} }

func (r *recorder) get(id network.RequestID) *exchange {
	x, ok := r.all[id]
	if !ok {
		x = &exchange{id: id}
		r.all[id] = x
		r.seq = append(r.seq, id)
	}
	return x
}

// event runs on the protocol reader goroutine: it only records.
func (r *recorder) event(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if strings.HasPrefix(e.Request.URL, "data:") {
			return
		}
		x := r.get(e.RequestID)
		x.req, x.typ, x.start = e.Request, e.Type, float64(e.Timestamp)
		x.wall = time.Unix(0, int64(float64(e.WallTime)*1e9)).UTC()
	case *network.EventRequestWillBeSentExtraInfo:
		r.get(e.RequestID).rawReq = e.Headers
	case *network.EventResponseReceived:
		r.get(e.RequestID).resp = e.Response
	case *network.EventLoadingFinished:
		x := r.get(e.RequestID)
		x.finished, x.end = true, float64(e.Timestamp)
	case *network.EventLoadingFailed:
		x := r.get(e.RequestID)
		x.errText, x.end = e.ErrorText, float64(e.Timestamp)
	}
}

// har builds the document. Bodies are fetched for documents, XHR and
// fetch only (scripts and styles are left without content, as a
// "without content" export would), and any occurrence of the login
// password is masked.
func (r *recorder) har(ctx context.Context, version, password string) map[string]any {
	r.mu.Lock()
	ids := append([]network.RequestID(nil), r.seq...)
	r.mu.Unlock()
	var entries []map[string]any
	for _, id := range ids {
		x := r.all[id]
		if x.req == nil {
			continue
		}
		entries = append(entries, x.entry(ctx))
	}
	sort.SliceStable(entries, func(i, j int) bool {
		return entries[i]["startedDateTime"].(string) < entries[j]["startedDateTime"].(string)
	})
	doc := map[string]any{"log": map[string]any{
		"version": "1.2",
		"creator": map[string]any{"name": "wp403 genhar (Chromium DevTools protocol events)", "version": "1"},
		"browser": map[string]any{"name": "Chromium", "version": version},
		"pages":   []any{},
		"entries": entries,
	}}
	if password != "" {
		b, _ := jsonMarshal(doc)
		if strings.Contains(string(b), password) {
			panic("the login password leaked into the recording")
		}
	}
	return doc
}

func (x *exchange) entry(ctx context.Context) map[string]any {
	e := map[string]any{
		"startedDateTime": x.wall.Format("2006-01-02T15:04:05.000Z"),
		"time":            max(0, (x.end-x.start)*1000),
		"request":         x.request(ctx),
		"cache":           map[string]any{},
		"timings":         x.timings(),
		"_resourceType":   strings.ToLower(string(x.typ)),
	}
	if x.resp != nil {
		e["response"] = x.response(ctx)
		e["serverIPAddress"] = x.resp.RemoteIPAddress
	} else {
		e["response"] = map[string]any{"status": 0, "statusText": "", "httpVersion": "", "headers": []any{}, "cookies": []any{},
			"content": map[string]any{"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": -1, "_error": x.errText}
		e["_error"] = x.errText
	}
	return e
}

func (x *exchange) request(ctx context.Context) map[string]any {
	h := x.req.Headers
	if x.rawReq != nil {
		h = x.rawReq
	}
	req := map[string]any{"method": x.req.Method, "url": x.req.URL, "httpVersion": protocol(x.resp),
		"headers": headerList(h), "queryString": query(x.req.URL), "cookies": cookieList(h), "headersSize": -1, "bodySize": 0}
	if x.req.HasPostData {
		if pd, err := chromedp.Call(ctx, network.GetRequestPostData, network.GetRequestPostDataParams{RequestID: x.id}); err == nil {
			text := string(pd.PostData)
			req["postData"] = map[string]any{"mimeType": headerValue(h, "Content-Type"), "text": text}
			req["bodySize"] = len(text)
		}
	}
	return req
}

func (x *exchange) response(ctx context.Context) map[string]any {
	c := map[string]any{"size": int(x.resp.EncodedDataLength), "mimeType": x.resp.MimeType}
	if x.finished && (x.typ == network.ResourceTypeDocument || x.typ == network.ResourceTypeXHR || x.typ == network.ResourceTypeFetch) {
		if b, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: x.id}); err == nil {
			c["size"] = len(b.Body)
			if b.Base64encoded {
				c["text"], c["encoding"] = base64.StdEncoding.EncodeToString(b.Body), "base64"
			} else {
				c["text"] = string(b.Body)
			}
		}
	}
	return map[string]any{"status": x.resp.Status, "statusText": x.resp.StatusText, "httpVersion": protocol(x.resp),
		"headers": headerList(x.resp.Headers), "cookies": []any{}, "content": c,
		"redirectURL": headerValue(x.resp.Headers, "Location"), "headersSize": -1, "bodySize": int(x.resp.EncodedDataLength)}
}

func (x *exchange) timings() map[string]any {
	t := map[string]any{"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0}
	if x.resp == nil || x.resp.Timing == nil {
		return t
	}
	rt := x.resp.Timing
	span := func(a, b float64) float64 {
		if a < 0 || b < 0 {
			return -1
		}
		return b - a
	}
	t["dns"], t["connect"], t["ssl"] = span(rt.DNSStart, rt.DNSEnd), span(rt.ConnectStart, rt.ConnectEnd), span(rt.SslStart, rt.SslEnd)
	t["send"] = max(0, rt.SendEnd-rt.SendStart)
	t["wait"] = max(0, rt.ReceiveHeadersEnd-rt.SendEnd)
	t["receive"] = max(0, (x.end-rt.RequestTime)*1000-rt.ReceiveHeadersEnd)
	return t
}

func protocol(r *network.Response) string {
	if r == nil {
		return ""
	}
	switch p := strings.ToLower(r.Protocol); p {
	case "h2":
		return "http/2.0"
	case "":
		return "http/1.1"
	default:
		return p
	}
}

func headerList(h network.Headers) []map[string]any {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []map[string]any
	for _, k := range keys {
		for _, v := range strings.Split(toString(h[k]), "\n") {
			out = append(out, map[string]any{"name": k, "value": v})
		}
	}
	return out
}

func headerValue(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return toString(v)
		}
	}
	return ""
}

func cookieList(h network.Headers) []map[string]any {
	var out []map[string]any
	for _, p := range strings.Split(headerValue(h, "Cookie"), ";") {
		if n, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
			out = append(out, map[string]any{"name": n, "value": v})
		}
	}
	return out
}

func query(raw string) []map[string]any {
	out := []map[string]any{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, map[string]any{"name": k, "value": v})
	}
	return out
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
