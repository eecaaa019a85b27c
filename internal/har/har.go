package har

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/ioctx"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Classifier names who produced a response (the signature database).
type Classifier interface {
	Classify(req *record.HTTPRequest, resp *record.HTTPResponse) *record.Class
}

// Options control reading.
type Options struct {
	Prefix     string     // the REST prefix, when known ("/wp-json/" otherwise, or discovered)
	Classifier Classifier // classifies each response when set
	// Context, when set, stops the reading when it is done (Ctrl-C);
	// Read then returns what it read and the context's error.
	Context context.Context
}

// Result is what a HAR file says about the site's REST requests.
type Result struct {
	Source       string               `json:"source"`
	Browser      string               `json:"browser,omitempty"`
	Entries      int                  `json:"entries"` // entries read, REST or not
	Prefix       string               `json:"rest_prefix"`
	Observations []record.Observation `json:"observations"`
	FirstFailure string               `json:"first_failure,omitempty"` // observation ID
	// FirstFailedWrite is the first failed save, autosave, upload, delete
	// or other write: what the user saw as "Updating failed".
	FirstFailedWrite string `json:"first_failed_write,omitempty"`
	// Recovered lists failures the editor recovered from by itself (a
	// stale nonce, refreshed and retried).
	Recovered []string `json:"recovered,omitempty"`

	// NoncePage is the observation ID of the page whose REST nonce a
	// refused request sent (kept with the REST requests, probe
	// aux:nonce-page).
	NoncePage string `json:"nonce_page,omitempty"`

	// Skipped counts entries that could not be used (a number out of
	// range, a field of the wrong type); SkipNotes says why, for the first.
	Skipped   int      `json:"skipped,omitempty"`
	SkipNotes []string `json:"skip_notes,omitempty"`

	// Omitted counts REST requests counted in the route summaries but not
	// kept in detail (see MaxObservations).
	Omitted int `json:"omitted,omitempty"`

	replay     map[string]Replayable
	kept       int
	bodies     int             // response body bytes kept
	pending    map[string]int  // failed on a stale nonce, waiting for the retry
	nonceFail  map[string]bool // observation id → failed on a stale nonce
	routes     []RouteSummary  // every REST request, kept or not
	routeIndex map[string]int
	bySubject  map[string][]int               // subjectKey → observation indexes
	pages      map[string]*record.Observation // REST nonce → the HTML page that carried it
	fromPage   map[string]string              // observation id → the page nonce it sent
}

// skip counts an entry that could not be used.
func (res *Result) skip(i int, why string) {
	res.Skipped++
	if len(res.SkipNotes) < 5 {
		res.SkipNotes = append(res.SkipNotes, fmt.Sprintf("entry %d: %s", i, why))
	}
}

// ReadFile reads a HAR file. See Read.
func ReadFile(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open har: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read streams a HAR export and keeps its REST requests. On a truncated
// or invalid file it returns what it read before the problem together
// with a *FormatError.
func Read(r io.Reader, source string, opt Options) (*Result, error) {
	if opt.Context != nil {
		r = ioctx.Reader(opt.Context, r)
	}
	res := &Result{Source: source, Prefix: opt.Prefix, nonceFail: map[string]bool{}}
	if res.Prefix == "" {
		res.Prefix = "/wp-json/"
	}
	r, err := gunzip(r)
	if err != nil {
		if opt.Context != nil && opt.Context.Err() != nil {
			return res, opt.Context.Err()
		}
		return res, &FormatError{Offset: 0, Entry: -1, Err: fmt.Errorf("gzip header: %w", unexpected(err))}
	}
	set := newSecretSet()
	sc := set.sc
	meta, n, err := walk(r, func(i int, e *entry, why string) error {
		if why != "" {
			res.skip(i, why)
			return nil
		}
		set.add(secrets(e))
		res.discover(e)
		if !selected(e, res.Prefix) {
			res.notePage(i, e, set)
		} else {
			if q := quick(e, res.Prefix); !res.wants(&q) {
				return nil
			}
			o := observation(i, e, res.Prefix, sc, opt.Classifier)
			res.admit(&o)
			res.keep(&o, e)
			res.noteNonce(&o, e)
			res.Observations = append(res.Observations, o)
		}
		return nil
	})
	res.Entries = n
	res.Browser = browser(meta)
	res.finish(sc)
	if opt.Context != nil && opt.Context.Err() != nil {
		return res, opt.Context.Err()
	}
	return res, err
}

// gunzip unwraps a gzip-compressed export (.har.gz).
func gunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		return zr, nil
	}
	return br, nil
}

// ParseEntry converts one HAR entry object (not a whole file), whether
// or not it is a REST request.
func ParseEntry(data []byte) (record.Observation, error) { return ParseEntryWith(data, nil) }

// ParseEntryWith is ParseEntry that also classifies the response with
// cl, before nonces in its body are masked (a rest-nonce answer must
// still look like a nonce to the classifier).
func ParseEntryWith(data []byte, cl Classifier) (record.Observation, error) {
	sc := newScanner(bytes.NewReader(data))
	v, err := sc.value(0, &budget{bytes: maxEntryBytes, members: 16 * maxMembers})
	if err != nil {
		return record.Observation{}, fmt.Errorf("parse har entry: %w", err)
	}
	if c, err := sc.peek(); err == nil {
		return record.Observation{}, fmt.Errorf("parse har entry: %w: %q after the entry", errSyntax, c)
	}
	e, why := entryOf(&v)
	if why != "" {
		return record.Observation{}, fmt.Errorf("parse har entry: %s", why)
	}
	if e.Request.URL == "" || e.Request.Method == "" {
		return record.Observation{}, fmt.Errorf("parse har entry: no request method and url")
	}
	scrub := &redact.Scrubber{}
	scrub.Add(secrets(&e)...)
	o := observation(0, &e, "", scrub, cl)
	o.ID, o.Probe = "har-entry", "har-entry"
	return o, nil
}

var reAPILink = regexp.MustCompile(`<([^>]+)>;\s*rel="https://api\.w\.org/"`)

// discover learns a custom REST prefix from the Link header WordPress
// sends on every page: <https://site/api/>; rel="https://api.w.org/".
func (res *Result) discover(e *entry) {
	for _, h := range e.Response.Headers {
		if !strings.EqualFold(h.Name, "Link") {
			continue
		}
		if m := reAPILink.FindStringSubmatch(h.Value); m != nil {
			if u, err := url.Parse(m[1]); err == nil && u.Path != "" && u.RawQuery == "" {
				res.Prefix = strings.TrimSuffix(u.Path, "/") + "/"
			}
		}
	}
}

// selected reports whether an entry is a REST request: by URL, or by the
// X-WP-Nonce header only REST calls carry.
func selected(e *entry, prefix string) bool {
	if _, _, ok := record.ParseRoute(e.Request.URL, prefix); ok {
		return true
	}
	if _, _, ok := record.ParseRoute(e.Request.URL, ""); ok {
		return true
	}
	return header(e.Request.Headers, "X-WP-Nonce") != ""
}

func browser(m harLog) string {
	name := m.Browser.Name
	switch c := m.Creator.Name; {
	case name != "":
	case c == "WebInspector":
		name = "Chrome (or another Chromium browser)"
	case strings.Contains(c, "WebKit"):
		name = "Safari"
	default:
		name = c
	}
	if v := m.Browser.Version; v != "" {
		name += " " + v
	}
	return name
}

// finish masks secrets learned after an observation was made, sets probe
// keys, and finds the first failures in time order.
func (res *Result) finish(sc *redact.Scrubber) {
	nonces := 0
	for i := range res.Observations {
		o := &res.Observations[i]
		rescrub(o, sc)
		o.Probe = "har:" + o.ID
		if o.Purpose == ActNonceRefresh {
			if nonces == 0 {
				o.Probe = record.ProbeRESTNonce // the key the verdict engine treats as the nonce fetch
			}
			nonces++
		}
	}
	order := res.timeOrder()
	for _, o := range order {
		switch {
		case !failed(o):
		case res.recovered(o) != nil:
			res.Recovered = append(res.Recovered, o.ID)
			// one subject with its successful retry: the verdict engine
			// then sees the request's final outcome
			o.Probe = res.recovered(o).Probe
		default:
			if res.FirstFailure == "" {
				res.FirstFailure = o.ID
			}
			if res.FirstFailedWrite == "" && isWrite(o.Purpose) {
				res.FirstFailedWrite = o.ID
			}
		}
	}
	res.tracePageNonce(order)
}

// isWrite reports whether an editor action changes the site.
func isWrite(purpose string) bool {
	switch purpose {
	case ActSave, ActAutosave, ActMediaUpload, ActDelete, ActWrite, ActBatch:
		return true
	}
	return false
}

func rescrub(o *record.Observation, sc *redact.Scrubber) {
	o.Request.URL = sc.String(o.Request.URL)
	for _, h := range []map[string][]string{o.Request.Header, respHeader(o)} {
		for k, vs := range h {
			for i := range vs {
				vs[i] = sc.String(vs[i])
			}
			h[k] = vs
		}
	}
	if o.Response != nil {
		o.Response.Body = sc.String(o.Response.Body)
	}
	// The class was read from the body before it was scrubbed: the
	// WordPress error message can quote the nonce, a token or a password.
	sc.Struct(o.Class)
}

func respHeader(o *record.Observation) map[string][]string {
	if o.Response == nil {
		return nil
	}
	return o.Response.Header
}
