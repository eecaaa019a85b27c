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
	results, how := s.deleteAll(ctx, specs)
	for i, o := range results {
		what := "--write created " + specs[i].route + " (tagged " + s.tag() + ")"
		if o.Status() != http.StatusOK {
			s.notes = append(s.notes, what+" and could not delete it ("+how[i]+"): delete it by hand")
			continue
		}
		if how[i] != "" {
			what += " and deleted it with " + how[i]
		} else {
			what += " and deleted it"
		}
		s.notes = append(s.notes, what)
		items[i].done()
	}
}

// deleteFallbacks are what WordPress honours for clients behind a filter
// that refuses DELETE (CRS's default allowed methods exclude it): POST
// with X-HTTP-Method-Override, then POST with ?_method= (both read by
// WP_REST_Server::serve_request).
var deleteFallbacks = []struct {
	name  string
	apply func(*spec)
}{
	{"POST and X-HTTP-Method-Override: DELETE", func(v *spec) { v.header.Set("X-HTTP-Method-Override", "DELETE") }},
	{"POST and ?_method=DELETE", func(v *spec) { v.query = strings.TrimPrefix(v.query+"&_method=DELETE", "&") }},
}

// deleteAll sends the deletes at the edge; those refused in a way a
// method filter explains (403, 405, 501) are sent again with each
// fallback in turn. It returns each item's last answer and, per item, how
// it was deleted after DELETE was refused, or every refusal when it was
// not deleted.
func (s *session) deleteAll(ctx context.Context, specs []spec) ([]record.Observation, []string) {
	edge := []record.Vantage{record.VantageEdge}
	results := s.wave(ctx, "cleanup", specs, edge)
	how := make([]string, len(specs))
	for i, o := range results {
		if o.Status() != http.StatusOK {
			how[i] = "DELETE: " + statusOrFailure(o)
		}
	}
	for _, fb := range deleteFallbacks {
		var retry []int
		var again []spec
		for i, o := range results {
			if refusedMethod(o) {
				v := specs[i]
				v.method, v.variant, v.purpose, v.header = "POST", record.VarOverride, "delete what --write created (DELETE was refused)", v.header.Clone()
				if v.header == nil {
					v.header = http.Header{}
				}
				fb.apply(&v)
				retry, again = append(retry, i), append(again, v)
			}
		}
		if len(retry) == 0 {
			break
		}
		for j, o := range s.wave(ctx, "cleanup", again, edge) {
			i := retry[j]
			results[i] = o
			if o.Status() == http.StatusOK {
				how[i] = fb.name + " (" + how[i] + ")"
				continue
			}
			how[i] += "; " + fb.name + ": " + statusOrFailure(o)
		}
	}
	return results, how
}

// refusedMethod reports an answer a filter on the method explains.
func refusedMethod(o record.Observation) bool {
	switch o.Status() {
	case http.StatusForbidden, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
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
		n, failed := s.searchTagged(ctx, l, created)
		if n == 0 && failed == "" && sleepCtx(ctx, lostSettle) {
			n, failed = s.searchTagged(ctx, l, created)
		}
		lostNote := "the answer to POST " + l.route + " was lost (" + l.why + "): "
		if failed != "" {
			s.notes = append(s.notes, lostNote+"the search for the run's tag "+s.tag()+" failed ("+failed+"), so what it created may be left: "+
				"look for items under "+l.route+" tagged "+s.tag()+" and delete them by hand")
		} else {
			s.notes = append(s.notes, lostNote+"searched for the run's tag "+s.tag()+" and found "+strconv.Itoa(n)+" item(s) to delete")
		}
		l.done()
	}
}

// searchTagged lists the items of a collection that carry the run's tag
// and adds them to created; it returns how many it found, or why the
// search failed (its status or failure).
func (s *session) searchTagged(ctx context.Context, l lostCreate, created *createdItems) (int, string) {
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
	sp := spec{key: record.AuxKey("cleanup-search"), purpose: "find what a create whose answer was lost made, by the run's tag",
		method: "GET", route: l.route, query: s.tagQuery(l.route), auth: l.auth, expect: record.Expect2xx, sink: sink}
	obs := s.wave(ctx, "cleanup", []spec{sp}, []record.Vantage{record.VantageEdge})
	if len(obs) == 0 || obs[0].Status() != http.StatusOK {
		if len(obs) == 0 {
			return 0, "not sent"
		}
		return 0, statusOrFailure(obs[0])
	}
	return found, ""
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
