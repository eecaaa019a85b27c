package logscan

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestCoreServes: a refusal logged on a route core serves to anyone is
// flagged (core would answer 200 there); core's own refusals are not.
func TestCoreServes(t *testing.T) {
	var s Summary
	for _, e := range []record.LogEntry{
		{Method: "GET", Route: "/wp/v2/posts", Status: 401, Client: "192.0.2.1"},
		{Method: "GET", Route: "/wp/v2/posts?context=edit", Status: 401, Client: "192.0.2.2"},
		{Method: "POST", Route: "/wp/v2/posts", Status: 401, Client: "192.0.2.3"},
		{Method: "GET", Route: "/wp/v2/settings", Status: 401, Client: "192.0.2.4"},
	} {
		s.Add(e)
	}
	s.Finish()
	want := map[string]bool{"192.0.2.1": true}
	for _, g := range s.Groups {
		if g.CoreServes != want[g.Client] {
			t.Errorf("%s %s (%s): core_serves %v", g.Method, g.Route, g.Client, g.CoreServes)
		}
	}
	var b strings.Builder
	if err := s.WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "core would answer 200 here"); n != 1 {
		t.Errorf("text says 'core would answer 200 here' %d times, want 1:\n%s", n, b.String())
	}
}
