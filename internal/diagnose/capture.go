package diagnose

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// CaptureSchema versions capture files.
const CaptureSchema = "wp403.capture/v1"

// Capture is a recorded run: every response the site gave, keyed by what
// was asked, with secrets redacted. Replaying it through diagnose gives
// the same observations without a network.
type Capture struct {
	Schema string   `json:"schema"`
	Name   string   `json:"name"`
	Args   []string `json:"args"` // the diagnose command line, secrets replaced
	// Secrets lists the kinds of secret the run had ("app-password",
	// "password"); a replay supplies placeholders for them.
	Secrets   []string   `json:"secrets,omitempty"`
	Exchanges []Exchange `json:"exchanges"`
}

// Exchange is one recorded request/response pair.
type Exchange struct {
	Vantage record.Vantage      `json:"vantage"`
	Key     string              `json:"key"`
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Status  int                 `json:"status"`
	Header  map[string][]string `json:"header"`
	Body    string              `json:"body,omitempty"`
	Base64  bool                `json:"base64,omitempty"`
	Error   string              `json:"error,omitempty"`
}

// exchangeKey identifies a request without its secrets or request id:
// method, URL, which credential headers were present, user agent,
// method override and a hash of the body.
func exchangeKey(r *http.Request, body []byte) string {
	var creds []string
	for _, h := range []string{"Authorization", "Cookie", "X-Wp-Nonce"} {
		if r.Header.Get(h) != "" {
			creds = append(creds, strings.ToLower(h))
		}
	}
	// Hash the body with secret form fields masked, so a replay with
	// placeholder passwords finds the recorded login.
	norm := runIDInBody.ReplaceAllString(redact.Query(string(body)), "wp403 check RUN")
	sum := sha256.Sum256([]byte(runTagInBody.ReplaceAllString(norm, "")))
	return strings.Join([]string{r.Method, redact.URL(r.URL.String()), strings.Join(creds, "+"),
		r.Header.Get("User-Agent"), r.Header.Get("X-Http-Method-Override"), hex.EncodeToString(sum[:6])}, " | ")
}

// Recorder wraps transports and records every exchange.
type Recorder struct {
	mu    sync.Mutex
	Scrub *redact.Scrubber
	ex    []Exchange
}

// Wrap is a Config.Wrap that records.
func (rec *Recorder) Wrap(v record.Vantage, rt http.RoundTripper) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		body, err := readBody(r)
		if err != nil {
			return nil, err
		}
		resp, err := rt.RoundTrip(r)
		ex := Exchange{Vantage: v, Key: exchangeKey(r, body), Method: r.Method, URL: redact.URL(r.URL.String())}
		if err != nil {
			ex.Error = err.Error()
			rec.add(ex)
			return nil, err
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, probe.DefaultReadLimit))
		resp.Body.Close()
		ex.Status, ex.Header = resp.StatusCode, redact.Header(resp.Header)
		rec.setBody(&ex, data)
		rec.add(ex)
		resp.Body = io.NopCloser(bytes.NewReader(data))
		return resp, rerr
	})
}

// runIDInBody matches the run id wp403 puts in names it creates.
var runIDInBody = regexp.MustCompile(`wp403 check [0-9a-f]{8}`)

// runTagInBody matches the tag --write adds to what it creates (see
// write.go); it is left out of the key so every run matches a capture.
var runTagInBody = regexp.MustCompile(`,"slug":"wp403-check-[0-9a-f]{8}"`)

var bareNonce = regexp.MustCompile(`^\s*[0-9a-f]{10}\s*$`)

// fakeNonce stands in for a recorded nonce so a replay can use it.
const fakeNonce = "0a1b2c3d4e"

func (rec *Recorder) setBody(ex *Exchange, data []byte) {
	if bareNonce.Match(data) {
		data = []byte(fakeNonce)
	}
	if utf8.Valid(data) {
		ex.Body = string(data)
		return
	}
	ex.Body, ex.Base64 = base64.StdEncoding.EncodeToString(data), true
}

// scrub masks every secret the run knows in a recorded exchange: URL,
// response headers, body (a base64 body is decoded, scrubbed and encoded
// again) and error. Capture runs it at the end, when the run has learnt
// every cookie, nonce and fresh password, so that an exchange recorded
// before a secret was learnt is masked too.
func (rec *Recorder) scrub(ex *Exchange) {
	sc := rec.Scrub
	ex.URL, ex.Error = sc.String(redact.URL(ex.URL)), sc.String(ex.Error)
	for k, vs := range ex.Header {
		for i, v := range vs {
			vs[i] = sc.String(redact.HeaderValue(k, v))
		}
	}
	if !ex.Base64 {
		ex.Body = sc.String(ex.Body)
		return
	}
	if raw, err := base64.StdEncoding.DecodeString(ex.Body); err == nil {
		ex.Body = base64.StdEncoding.EncodeToString(sc.Bytes(raw))
	}
}

func (rec *Recorder) add(ex Exchange) {
	rec.mu.Lock()
	rec.ex = append(rec.ex, ex)
	rec.mu.Unlock()
}

// Capture returns the recording, sorted for stable files.
func (rec *Recorder) Capture(name string, args, secrets []string) *Capture {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	ex := append([]Exchange(nil), rec.ex...)
	for i := range ex {
		rec.scrub(&ex[i])
	}
	for i := range args {
		args[i] = rec.Scrub.String(args[i])
		if strings.Contains(args[i], "://") {
			args[i] = redact.URL(args[i])
		}
	}
	sort.SliceStable(ex, func(i, j int) bool {
		if ex[i].Vantage != ex[j].Vantage {
			return ex[i].Vantage < ex[j].Vantage
		}
		return ex[i].Key < ex[j].Key
	})
	return &Capture{Schema: CaptureSchema, Name: name, Args: args, Secrets: secrets, Exchanges: ex}
}

// Replayer serves a capture instead of the network.
type captureReplay struct {
	byKey map[string][]Exchange
	mu    sync.Mutex
	used  map[string]int
}

// ReplayWrap returns a Config.Wrap that answers from the capture.
func ReplayWrap(c *Capture) (func(record.Vantage, http.RoundTripper) http.RoundTripper, error) {
	if c.Schema != CaptureSchema {
		return nil, fmt.Errorf("capture schema %q, want %q", c.Schema, CaptureSchema)
	}
	cr := &captureReplay{byKey: map[string][]Exchange{}, used: map[string]int{}}
	for _, ex := range c.Exchanges {
		k := string(ex.Vantage) + " " + ex.Key
		cr.byKey[k] = append(cr.byKey[k], ex)
	}
	return func(v record.Vantage, _ http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) { return cr.serve(v, r) })
	}, nil
}

func (cr *captureReplay) serve(v record.Vantage, r *http.Request) (*http.Response, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	k := string(v) + " " + exchangeKey(r, body)
	cr.mu.Lock()
	list := cr.byKey[k]
	n := cr.used[k]
	cr.used[k] = n + 1
	cr.mu.Unlock()
	if len(list) == 0 {
		return nil, fmt.Errorf("replay: no recorded response for %s %s", r.Method, redact.URL(r.URL.String()))
	}
	ex := list[min(n, len(list)-1)]
	if ex.Error != "" {
		return nil, fmt.Errorf("replay: %s", ex.Error)
	}
	data := []byte(ex.Body)
	if ex.Base64 {
		data, _ = base64.StdEncoding.DecodeString(ex.Body)
	}
	h := http.Header{}
	for k, vs := range ex.Header {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	h.Del("Content-Encoding")
	return &http.Response{StatusCode: ex.Status, Status: fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Body: io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)), Request: r}, nil
}

// LoadCapture decodes a capture file.
func LoadCapture(r io.Reader) (*Capture, error) {
	var c Capture
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("decode capture: %w", err)
	}
	if c.Schema != CaptureSchema {
		return nil, fmt.Errorf("capture schema %q, want %q", c.Schema, CaptureSchema)
	}
	return &c, nil
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return data, nil
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
