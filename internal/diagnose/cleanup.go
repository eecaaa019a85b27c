package diagnose

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// cleanupTimeout bounds cleanup, which runs even after Ctrl-C (a second
// Ctrl-C exits at once).
const cleanupTimeout = 20 * time.Second

// lostSettle is how long the site gets to finish a create whose answer was
// lost before wp403 searches for it a second time.
const lostSettle = 2 * time.Second

// cleanup finds what creates with lost answers made (by the run's tag),
// then deletes everything created, on a fresh, bounded context so that
// Ctrl-C cannot skip it, and says what was created and deleted.
func (s *session) cleanup(created *createdItems) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	s.findLost(ctx, created)
	created.mu.Lock()
	items := append([]createdItem(nil), created.items...)
	created.items = nil
	created.mu.Unlock()
	if len(items) == 0 {
		return
	}
	auth, extra := s.cleanupAuth()
	var specs []spec
	for _, it := range items {
		a := auth
		if it.auth != "" {
			a = it.auth
		}
		specs = append(specs, spec{key: record.ProbeCleanup, purpose: "delete what --write created", method: "DELETE",
			route: strings.TrimSuffix(it.route, "/") + "/" + it.id, query: "force=true", auth: a, expect: record.Expect2xx, header: extra.Clone()})
	}
	for i, o := range s.wave(ctx, "cleanup", specs, []record.Vantage{record.VantageEdge}) {
		what := "--write created " + specs[i].route + " (tagged " + s.tag() + ")"
		if o.Status() != http.StatusOK {
			s.notes = append(s.notes, what+" and could not delete it ("+statusOrFailure(o)+"): delete it by hand")
			continue
		}
		s.notes = append(s.notes, what+" and deleted it")
		items[i].done()
	}
}

func statusOrFailure(o record.Observation) string {
	if o.Response == nil {
		return string(o.Failure)
	}
	return "status " + strconv.Itoa(o.Status())
}

// findLost searches, by the run's tag, for what creates whose answer was
// lost may have made, and adds it to the items to delete. The site may
// still be finishing such a create: when nothing is found, it searches
// once more after lostSettle.
func (s *session) findLost(ctx context.Context, created *createdItems) {
	created.mu.Lock()
	lost := created.lost
	created.lost = nil
	created.mu.Unlock()
	seen := map[string]bool{}
	for _, l := range lost {
		if !l.tagged {
			s.notes = append(s.notes, "the answer to your POST "+l.route+" was lost ("+l.why+"): it may have created something wp403 cannot recognise; check the site by hand")
			continue
		}
		if seen[l.route] {
			l.done()
			continue
		}
		seen[l.route] = true
		n := s.searchTagged(ctx, l, created)
		if n == 0 && sleepCtx(ctx, lostSettle) {
			n = s.searchTagged(ctx, l, created)
		}
		s.notes = append(s.notes, "the answer to POST "+l.route+" was lost ("+l.why+"): searched for the run's tag "+s.tag()+" and found "+strconv.Itoa(n)+" item(s) to delete")
		l.done()
	}
}

// searchTagged lists the items of a collection that carry the run's tag
// and adds them to created; it returns how many it found.
func (s *session) searchTagged(ctx context.Context, l lostCreate, created *createdItems) int {
	found := 0
	sink := func(resp *http.Response, body []byte) {
		if resp.StatusCode != http.StatusOK {
			return
		}
		for _, id := range s.taggedIDs(l.route, body) {
			created.add(createdItem{route: l.route, id: id, auth: l.auth})
			found++
		}
	}
	sp := spec{key: record.ProbeAuxPrefix + "cleanup-search", purpose: "find what a create whose answer was lost made, by the run's tag",
		method: "GET", route: l.route, query: s.tagQuery(l.route), auth: l.auth, expect: record.Expect2xx, sink: sink}
	s.wave(ctx, "cleanup", []spec{sp}, []record.Vantage{record.VantageEdge})
	return found
}

// tagQuery asks a collection for the run's items: drafts by slug (with
// status=any), uploads by title (the file name), application passwords
// all (matched by name).
func (s *session) tagQuery(route string) string {
	switch route {
	case freshAppRoute:
		return ""
	case "/wp/v2/media": // uploads get unique slugs (-2, -3): search their titles
		return "search=" + url.QueryEscape(s.tag()) + "&context=edit&per_page=100"
	}
	return "slug=" + url.QueryEscape(s.tag()) + "&status=any&context=edit&per_page=100"
}

// taggedIDs reads the ids of the run's items from a collection listing.
func (s *session) taggedIDs(route string, body []byte) []string {
	var list []struct {
		ID   json.Number `json:"id"`
		UUID string      `json:"uuid"`
		Name string      `json:"name"`
		Slug string      `json:"slug"`
	}
	if json.Unmarshal(body, &list) != nil {
		return nil
	}
	var out []string
	for _, it := range list {
		switch {
		case route == freshAppRoute && strings.Contains(it.Name, "wp403 check "+s.runID) && it.UUID != "":
			out = append(out, it.UUID)
		case route != freshAppRoute && strings.HasPrefix(it.Slug, s.tag()) && validID(it.ID.String()):
			out = append(out, it.ID.String())
		}
	}
	return out
}

func validID(id string) bool {
	n, err := strconv.Atoi(id)
	return err == nil && n > 0
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// cleanupAuth picks credentials that can delete what was created.
func (s *session) cleanupAuth() (record.AuthKind, http.Header) {
	if kinds := s.authKinds(); len(kinds) > 0 {
		return kinds[0], nil
	}
	kinds, extra := s.userAuthKinds()
	if len(kinds) == 0 {
		return record.AuthNone, extra
	}
	return kinds[0], extra
}
