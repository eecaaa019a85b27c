package diagnose

import (
	"net/url"
	"testing"
	"time"
)

// TestSetRootStaysOnTarget is the reported hole: the REST root from the
// Link header was joined as a string, so a path starting with "@" moved
// every probe (credentials included) to another host.
func TestSetRootStaysOnTarget(t *testing.T) {
	target, _ := url.Parse("https://blog.example/")
	cases := []struct {
		root, wantRoot string
		foreign        bool
	}{
		{"@evil.example/wp-json/", "https://blog.example/@evil.example/wp-json/", false},
		{"//evil.example/wp-json/", "https://blog.example/wp-json/", true},
		{"https://evil.example/x/wp-json/", "https://blog.example/x/wp-json/", true},
		{"https://blog.example:8443/wp-json/", "https://blog.example/wp-json/", true},
		{"https://BLOG.example:443/blog/wp-json/", "https://blog.example/blog/wp-json/", false},
		{"/blog/wp-json/", "https://blog.example/blog/wp-json/", false},
		{"javascript:alert(1)", "https://blog.example/wp-json/", false},
		{"https://blog.example/wp-json/../../@evil.example/", "https://blog.example/@evil.example/", false},
		{"https://blog.example/index.php?rest_route=/", "https://blog.example/wp-json/", false},
	}
	for _, c := range cases {
		s := &session{target: target}
		s.setRoot(c.root, "advertised")
		u, err := url.Parse(s.restRoot)
		if err != nil || u.Host != "blog.example" || s.restRoot != c.wantRoot {
			t.Errorf("root %q: REST root %q (host %v), want %q", c.root, s.restRoot, u, c.wantRoot)
		}
		if h, _ := url.Parse(s.home); h == nil || h.Host != "blog.example" {
			t.Errorf("root %q: home %q left the target host", c.root, s.home)
		}
		if (s.foreignRoot != "") != c.foreign {
			t.Errorf("root %q: foreign root %q, want foreign=%v", c.root, s.foreignRoot, c.foreign)
		}
		// the finding itself is the verdict's site rule foreign-rest-root
		if ev := s.evidence(time.Time{}, nil); ev.ForeignRESTRoot != s.foreignRoot {
			t.Errorf("root %q: the evidence carries foreign root %q, want %q", c.root, ev.ForeignRESTRoot, s.foreignRoot)
		}
	}
}
