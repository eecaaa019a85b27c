package diagnose

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

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

// createdItems remembers what --write probes created, for cleanup.
type createdItems struct {
	mu    sync.Mutex
	items []createdItem
}

type createdItem struct {
	route string // REST collection route: "/wp/v2/posts"
	id    string // numeric id, or uuid for application passwords
	auth  record.AuthKind
}

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
	c.mu.Lock()
	c.items = append(c.items, it)
	c.mu.Unlock()
}

// cleanup deletes everything created, even when ctx was cancelled (Ctrl-C):
// it runs on a fresh, bounded context.
func (s *session) cleanup(created *createdItems) {
	created.mu.Lock()
	items := append([]createdItem(nil), created.items...)
	created.items = nil
	created.mu.Unlock()
	if len(items) == 0 {
		return
	}
	auth, extra := s.cleanupAuth()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var specs []spec
	for _, it := range items {
		a := auth
		if it.auth != "" {
			a = it.auth
		}
		specs = append(specs, spec{key: record.ProbeCleanup, purpose: "delete what --write created", method: "DELETE",
			route: strings.TrimSuffix(it.route, "/") + "/" + it.id, query: "force=true", auth: a, expect: record.Expect2xx, header: extra.Clone()})
	}
	for _, o := range s.wave(ctx, "cleanup", specs, []record.Vantage{record.VantageEdge}) {
		if o.Status() != http.StatusOK {
			s.notes = append(s.notes, "cleanup: could not delete "+o.Request.URL+" (status "+strconv.Itoa(o.Status())+"); delete it by hand")
		}
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
