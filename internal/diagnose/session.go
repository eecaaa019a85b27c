package diagnose

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// spec is one planned request before auth and vantage are applied.
type spec struct {
	key, purpose string
	variant      record.Variant
	method       string
	route        string // REST route; "" for non-REST URLs
	query        string
	rawURL       string // non-REST URL (login, admin-ajax, the page)
	style        record.RouteStyle
	auth         record.AuthKind
	header       http.Header
	body         []byte
	bodyKind     string
	ctype        string
	expect       record.Expect
	userAgent    string
	sink         func(*http.Response, []byte)
	tagged       bool // a --write create carrying the run's tag (write.go)
	// edgeFirst sends the request to the edge alone at first; the origin
	// gets it only when the edge's answer missed its expectation (run.go).
	edgeFirst bool
}

// session is the mutable state of one run.
type session struct {
	cfg      Config
	target   *url.URL
	restRoot string // ends in "/"
	home     string // no trailing slash
	// foreignRoot is a REST root the site advertised on another host: it
	// is reported as a finding, never followed.
	foreignRoot string
	client      *probe.Client
	scrub       *redact.Scrubber
	runID       string
	extra       http.Header   // -H headers, for the user's requests
	created     *createdItems // what --write created, for cleanup

	mu  sync.Mutex
	seq int
	// planned and done count the probes of every wave so far (progress).
	planned, done int
	obs           []record.Observation
	jar           map[string]string // cookie name → value (from --cookie or login)
	// bodies keeps request bodies by observation id for WAF replay; they
	// are never written to the report.
	bodies map[string][]byte
	nonce  string
	notes  []string
	// freshNonce is true when the nonce was fetched by wp403 (not given by the user).
	freshNonce bool
	// discovered is closed when the first step's page has answered (nil
	// before the first step starts).
	discovered <-chan struct{}
}

// nextID reserves an observation id and a request id.
func (s *session) nextID() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("o%d", s.seq), fmt.Sprintf("wp403-%s-%d", s.runID, s.seq)
}

// url builds the URL of a spec in its route style.
func (s *session) url(sp spec) string {
	if sp.rawURL != "" {
		return sp.rawURL
	}
	route := "/" + strings.TrimLeft(sp.route, "/")
	if sp.style == record.StyleQuery {
		q := "rest_route=" + url.QueryEscape(route)
		q = strings.ReplaceAll(q, "%2F", "/")
		if sp.query != "" {
			q += "&" + sp.query
		}
		return s.home + "/index.php?" + q
	}
	u := s.restRoot + strings.TrimPrefix(route, "/")
	if sp.query != "" {
		u += "?" + sp.query
	}
	return u
}

// headers applies accept, user agent, content type and credentials.
func (s *session) headers(sp spec) http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json, */*;q=0.1")
	ua := sp.userAgent
	if ua == "" {
		ua = s.cfg.UserAgent
	}
	h.Set("User-Agent", ua)
	if sp.ctype != "" {
		h.Set("Content-Type", sp.ctype)
	}
	for k, vs := range sp.header {
		h[k] = append([]string(nil), vs...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch sp.auth {
	case record.AuthAppPassword:
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(s.cfg.User+":"+s.cfg.AppPassword)))
	case record.AuthCookieNonce:
		h.Set("Cookie", s.cookieHeader())
		if s.nonce != "" && h.Get("X-WP-Nonce") == "" {
			h.Set("X-WP-Nonce", s.nonce)
		}
	case record.AuthCookieOnly:
		h.Set("Cookie", s.cookieHeader())
	}
	return h
}

func (s *session) cookieHeader() string {
	var parts []string
	for _, name := range sortedKeys(s.jar) {
		parts = append(parts, name+"="+s.jar[name])
	}
	return strings.Join(parts, "; ")
}

// send performs one spec at one vantage and records the observation.
func (s *session) send(ctx context.Context, sp spec, v record.Vantage, id, rid string) record.Observation {
	req := probe.Request{
		ID: id, Probe: sp.key, Purpose: sp.purpose, Variant: sp.variant, Vantage: v, RequestID: rid,
		Method: sp.method, URL: s.url(sp), Route: sp.route, Style: sp.style, Auth: sp.auth,
		BodyKind: sp.bodyKind, Header: s.headers(sp), Body: sp.body, Expect: sp.expect, Sink: sp.sink,
	}
	s.signAgent(&req, sp)
	if req.Route == "" {
		req.Style = record.StyleOther
	}
	var o record.Observation
	if isCreate(sp) {
		o = s.sendCreate(ctx, req, sp)
	} else {
		o = s.client.Do(ctx, req)
	}
	s.readAgent(&o, sp)
	if len(sp.body) > 0 {
		s.mu.Lock()
		s.bodies[id] = sp.body
		s.mu.Unlock()
	}
	if s.cfg.Classifier != nil && o.Response != nil {
		o.Class = s.cfg.Classifier.Classify(&o.Request, o.Response)
	}
	return o
}

// job is one spec at one vantage with its reserved ids.
type job struct {
	sp      spec
	v       record.Vantage
	id, rid string
	wave    string
}

// prepare reserves observation and request ids for a wave, in plan
// order, so ids are stable however the requests race.
func (s *session) prepare(name string, specs []spec, vantages []record.Vantage) []job {
	var jobs []job
	for _, sp := range specs {
		for _, v := range vantages {
			id, rid := s.nextID()
			jobs = append(jobs, job{sp: sp, v: v, id: id, rid: rid, wave: name})
		}
	}
	return jobs
}

// run sends prepared jobs concurrently (the probe client bounds per-host
// concurrency) and records their observations.
func (s *session) run(ctx context.Context, jobs []job) []record.Observation {
	if len(jobs) > 0 {
		s.progress("%s: %d %s", jobs[0].wave, len(jobs), plural(len(jobs), "request"))
	}
	s.mu.Lock()
	s.planned += len(jobs)
	s.mu.Unlock()
	out := make([]record.Observation, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = s.send(ctx, j.sp, j.v, j.id, j.rid)
			out[i].Wave = j.wave
			s.probeDone(j.wave)
		}()
	}
	wg.Wait()
	s.mu.Lock()
	s.obs = append(s.obs, out...)
	s.mu.Unlock()
	return out
}

// planJobs prepares a plan wave: every spec at every vantage, except
// edge-first specs, which go to the edge alone (see sendVariants).
func (s *session) planJobs(name string, specs []spec) []job {
	var jobs []job
	for _, sp := range specs {
		vs := s.vantages()
		if sp.edgeFirst {
			vs = vs[:1]
		}
		jobs = append(jobs, s.prepare(name, []spec{sp}, vs)...)
	}
	return jobs
}

// wave prepares and runs one wave.
func (s *session) wave(ctx context.Context, name string, specs []spec, vantages []record.Vantage) []record.Observation {
	return s.run(ctx, s.prepare(name, specs, vantages))
}

// concurrently runs independent waves at the same time.
func concurrently(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}

// sortObservations puts observations in id order (o1, o2, …).
func (s *session) sortObservations() {
	sort.SliceStable(s.obs, func(i, j int) bool { return idNum(s.obs[i].ID) < idNum(s.obs[j].ID) })
}

func idNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "o"))
	return n
}

// probeDone counts one sent probe and tells Config.OnProbe.
func (s *session) probeDone(wave string) {
	s.mu.Lock()
	s.done++
	done, planned := s.done, s.planned
	s.mu.Unlock()
	if s.cfg.OnProbe != nil {
		s.cfg.OnProbe(wave, done, planned)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (s *session) progress(format string, a ...any) {
	if s.cfg.Progress != nil {
		fmt.Fprintf(s.cfg.Progress, "wp403: "+format+"\n", a...)
	}
}

// vantages lists where plan requests go.
func (s *session) vantages() []record.Vantage {
	if s.client.HasOrigin() {
		return []record.Vantage{record.VantageEdge, record.VantageOrigin}
	}
	return []record.Vantage{record.VantageEdge}
}
