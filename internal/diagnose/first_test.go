package diagnose

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func indexAt(v record.Vantage, status int, body string) record.Observation {
	return record.Observation{Probe: record.ProbeIndex, Vantage: v, Response: &record.HTTPResponse{Status: status, Body: body}}
}

// TestGuessConfirmed: the plan starts before the page answers only when
// the page cannot advertise another root: the target is a home page and
// WordPress's own index at /wp-json/ names that host, without a path, as
// its home.
func TestGuessConfirmed(t *testing.T) {
	home := `{"name":"x","home":"https://blog.example"}`
	cases := []struct {
		target string
		index  record.Observation
		want   bool
	}{
		{"https://blog.example/", indexAt(record.VantageEdge, 200, home), true},
		{"https://blog.example", indexAt(record.VantageEdge, 200, `{"home":"http://BLOG.example:443/"}`), true},
		{"https://blog.example/?p=1", indexAt(record.VantageEdge, 200, home), true},
		{"https://blog.example/blog/", indexAt(record.VantageEdge, 200, home), false}, // a subsite may live there
		{"https://blog.example/", indexAt(record.VantageEdge, 200, `{"home":"https://blog.example/blog"}`), false},
		{"https://blog.example/", indexAt(record.VantageEdge, 200, `{"home":"https://www.blog.example"}`), false},
		{"https://blog.example/", indexAt(record.VantageEdge, 200, `{"home":"http://blog.example"}`), false}, // port 80: another site
		{"https://blog.example/", indexAt(record.VantageEdge, 403, home), false},
		{"https://blog.example/", indexAt(record.VantageOrigin, 200, home), false},
		{"https://blog.example/", indexAt(record.VantageEdge, 200, `<html>`+home), false},
		{"https://blog.example/", indexAt(record.VantageEdge, 200, `{"home":"/"}`), false},
	}
	for _, c := range cases {
		target, _ := url.Parse(c.target)
		s := &session{target: target}
		if got := s.guessConfirmed([]record.Observation{c.index}); got != c.want {
			t.Errorf("target %s, index %d %s at %s: confirmed %v, want %v", c.target, c.index.Status(), c.index.Response.Body, c.index.Vantage, got, c.want)
		}
	}
}

// TestNoteAdvertised: once the plan started at the confirmed root, the
// page's advertised root is still read: the same root is noted as
// advertised, another one says where the plan went, and a root on another
// host still gets its finding.
func TestNoteAdvertised(t *testing.T) {
	page := func(link string) record.Observation {
		return record.Observation{Probe: record.ProbeDiscover, Response: &record.HTTPResponse{Status: 200,
			Header: http.Header{"Link": {link}}}}
	}
	cases := []struct {
		link, want string
		foreign    bool
	}{
		{`<https://blog.example/wp-json/>; rel="https://api.w.org/"`, "wp-json/: advertised by the site", false},
		{`<https://blog.example/api/>; rel="https://api.w.org/"`, "the plan had already been sent to https://blog.example/wp-json/", false},
		{`<https://cdn.example/wp-json/>; rel="https://api.w.org/"`, "advertised on host cdn.example", true},
		{``, "the page did not advertise a root", false},
	}
	for _, c := range cases {
		target, _ := url.Parse("https://blog.example/")
		s := &session{target: target}
		s.setRoot("https://blog.example/wp-json/", "")
		rep := &record.Report{}
		s.noteAdvertised(rep, page(c.link))
		if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], c.want) {
			t.Errorf("link %q: notes %q, want one containing %q", c.link, rep.Notes, c.want)
		}
		if (s.foreignRoot != "") != c.foreign || s.restRoot != "https://blog.example/wp-json/" {
			t.Errorf("link %q: foreign root %q, REST root %q", c.link, s.foreignRoot, s.restRoot)
		}
	}
}
