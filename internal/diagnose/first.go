package diagnose

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// firstStep is the first step in flight: the page (to read the REST root
// it advertises), the REST index at the usual root, and the login with
// its nonce. None depends on another.
type firstStep struct {
	discovery                   record.Observation
	index                       []record.Observation
	discovered, indexed, authed chan struct{}
}

// wait returns when the whole first step has answered.
func (w *firstStep) wait() {
	<-w.discovered
	<-w.indexed
	<-w.authed
}

// startFirst sends the first step. Ids are reserved in a fixed order (the
// page, then the index, then the login and nonce), however they race.
func (s *session) startFirst(ctx context.Context) *firstStep {
	s.setRoot(s.target.Scheme+"://"+s.target.Host+"/wp-json/", "")
	w := &firstStep{discovered: make(chan struct{}), indexed: make(chan struct{}), authed: make(chan struct{})}
	s.discovered = w.discovered
	discoverJobs := s.prepare("discover", []spec{s.discoverSpec()}, []record.Vantage{record.VantageEdge})
	indexJobs := s.prepare("index", indexSpecs(), s.vantages())
	go func() { defer close(w.discovered); w.discovery = s.run(ctx, discoverJobs)[0] }()
	go func() { defer close(w.indexed); w.index = s.run(ctx, indexJobs) }()
	// The nonce needs only the login cookie: when wp403 logs in itself (no
	// credentials given as they were sent), fetch it as soon as the login
	// answered, beside the discovery.
	go func() {
		defer close(w.authed)
		s.maybeLogin(ctx)
		if _, _, given := s.asGiven(); !given && s.cfg.Password != "" {
			s.fetchAuth(ctx)
		}
	}()
	return w
}

// settleRoot decides the REST root the plan uses and returns the index
// observations at it (nil when the site did not answer at all). When the
// index at the usual root already names the target as the site's home,
// the plan need not wait for the page (often the slowest answer): it
// reports true and the page is read later (noteAdvertised). Otherwise the
// root advertised by the page wins, and a different one is indexed again.
func (s *session) settleRoot(ctx context.Context, rep *record.Report, w *firstStep) ([]record.Observation, bool) {
	guess := s.restRoot
	<-w.indexed
	<-w.authed
	if s.guessConfirmed(w.index) {
		return w.index, true
	}
	<-w.discovered
	note := s.rootFromDiscovery(w.discovery)
	rep.Notes = append(rep.Notes, "REST root "+s.restRoot+": "+note)
	if w.discovery.Response == nil && !s.client.HasOrigin() && !anyResponse(w.index) {
		rep.Notes = append(rep.Notes, "the site did not answer; nothing more was sent")
		return nil, false
	}
	index := w.index
	if s.restRoot != guess {
		index = s.wave(ctx, "index (advertised root)", indexSpecs(), s.vantages())
		if !s.hasLoginCookie() {
			s.maybeLogin(ctx)
		}
	}
	return index, false
}

// guessConfirmed reports whether the edge's REST index at the usual root
// is WordPress describing the target itself: the target is the site's
// home page (no path) and the index's home is the same host, also without
// a path. The page can then only advertise that same root.
func (s *session) guessConfirmed(index []record.Observation) bool {
	if p := strings.Trim(s.target.Path, "/"); p != "" {
		return false
	}
	for _, o := range index {
		if o.Probe != record.ProbeIndex || o.Variant != record.VarAsSent || o.Vantage != record.VantageEdge || o.Status() != http.StatusOK {
			continue
		}
		var idx struct{ Home string }
		if json.Unmarshal([]byte(o.Response.Body), &idx) != nil {
			return false
		}
		home, err := url.Parse(idx.Home)
		return err == nil && home.Host != "" && sameHost(home, s.target) && strings.Trim(home.Path, "/") == ""
	}
	return false
}

// noteAdvertised reads the page once the plan has started at a confirmed
// root: it notes the root the page advertises, and a root on another
// host is remembered for its finding, as rootFromDiscovery does.
func (s *session) noteAdvertised(rep *record.Report, discovery record.Observation) {
	adv := restRootFrom(discovery)
	if adv == "" {
		rep.Notes = append(rep.Notes, "REST root "+s.restRoot+": the REST index there names this site as its home (the page did not advertise a root)")
		return
	}
	root, _, foreign, note := s.resolveRoot(adv, "advertised by the site")
	if foreign != "" {
		s.foreignRoot = foreign
	}
	if root != s.restRoot {
		note += "; the plan had already been sent to " + s.restRoot + ", whose REST index names this site as its home"
	}
	rep.Notes = append(rep.Notes, "REST root "+s.restRoot+": "+note)
}

func anyResponse(obs []record.Observation) bool {
	for _, o := range obs {
		if o.Response != nil {
			return true
		}
	}
	return false
}
