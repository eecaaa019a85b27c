package diagnose

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
)

// tinyJPEG is a valid 1×1 JPEG.
var tinyJPEG = []byte{
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08,
	0x07, 0x07, 0x07, 0x09, 0x09, 0x08, 0x0a, 0x0c, 0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12,
	0x13, 0x0f, 0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20, 0x24, 0x2e, 0x27, 0x20,
	0x22, 0x2c, 0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29, 0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27,
	0x39, 0x3d, 0x38, 0x32, 0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01,
	0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0xff, 0xc4, 0x00, 0x14,
	0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x2a, 0x9f, 0xff, 0xd9,
}

// Writes that always clean up. Every item --write creates carries the
// run's tag (the slug "wp403-check-RUNID" of a draft or an upload, the name
// of a temporary application password), so cleanup can find it even when
// the create's answer was lost (a timeout, Ctrl-C while it was in flight).
// A create whose outcome is unknown is never sent again nor varied.

// createdItems remembers what --write probes created, and the creates
// whose answer never came, for cleanup.
type createdItems struct {
	mu    sync.Mutex
	items []createdItem
	lost  []lostCreate
	notes []string
}

type createdItem struct {
	route string // REST collection route: "/wp/v2/posts"
	id    string // numeric id, or uuid for application passwords
	auth  record.AuthKind
	done  func() // clears it from what may be left behind
}

// lostCreate is a create sent without a complete answer: it may exist.
type lostCreate struct {
	route  string
	auth   record.AuthKind
	why    string
	tagged bool   // wp403's own create, findable by its tag
	done   func() // clears it from what may be left behind
}

// tag is what every item this run creates carries.
func (s *session) tag() string { return "wp403-check-" + s.runID }

// keep returns a sink that records the id of an object created on the
// collection route.
func (c *createdItems) keep(route string) func(*http.Response, []byte) {
	return func(resp *http.Response, body []byte) {
		if resp.StatusCode != http.StatusCreated {
			return
		}
		var obj struct {
			ID int `json:"id"`
		}
		if json.Unmarshal(body, &obj) != nil || obj.ID <= 0 {
			return
		}
		c.add(createdItem{route: route, id: strconv.Itoa(obj.ID)})
	}
}

func (c *createdItems) add(it createdItem) {
	it.done = pending.add(it.route + "/" + it.id)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, old := range c.items {
		if old.route == it.route && old.id == it.id {
			it.done()
			return
		}
	}
	c.items = append(c.items, it)
}

// outcome notes a create whose answer was lost: no response, or a success
// whose body did not arrive whole (its id may be unknown).
func (c *createdItems) outcome(sp spec, o record.Observation, answered bool, done func()) {
	if answered && (o.Failure == "" || o.Status() >= 300) {
		done()
		return
	}
	why := "no answer (" + string(o.Failure) + ")"
	if answered {
		why = "status " + strconv.Itoa(o.Status()) + " but the answer was cut (" + string(o.Failure) + ")"
	}
	c.mu.Lock()
	c.lost = append(c.lost, lostCreate{route: sp.route, auth: sp.auth, why: why, tagged: sp.tagged, done: done})
	c.mu.Unlock()
}

// unknown reports whether a create to this route had no complete answer.
func (c *createdItems) unknown(route string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lost {
		if l.route == route {
			return true
		}
	}
	return false
}

// isCreate reports a spec that creates something when it succeeds.
func isCreate(sp spec) bool { return sp.method == "POST" && sp.route != "" && isWrite(sp) }

// sendCreate sends a create, noting it as in flight until it is answered,
// and notes its outcome when the answer is lost.
func (s *session) sendCreate(ctx context.Context, req probe.Request, sp spec) record.Observation {
	what := req.Method + " " + sp.route + " (tagged " + s.tag() + ")"
	done := pending.add(what)
	answered := false
	orig := req.Sink
	req.Sink = func(resp *http.Response, body []byte) {
		answered = true
		if orig != nil {
			orig(resp, body)
		}
	}
	o := s.client.Do(ctx, req)
	s.created.outcome(sp, o, answered, done)
	return o
}
