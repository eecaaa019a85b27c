package labkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScenariosParse(t *testing.T) {
	all, err := Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 15 {
		t.Fatalf("only %d scenarios, want at least 15", len(all))
	}
	layers := map[string]int{}
	for _, s := range all {
		layers[s.Layer]++
		if s.Layer != "" && len(s.Controls) == 0 {
			t.Errorf("%s: no control request", s.Name)
		}
		if s.Layer == "" && s.Mechanism != "" {
			t.Errorf("%s: healthy scenario with mechanism %q", s.Name, s.Mechanism)
		}
		for _, r := range append(append([]TruthRequest{}, s.Failing...), s.Controls...) {
			checkBody(t, s.Name, r)
			if r.Edge == 0 && r.Origin == 0 {
				t.Errorf("%s: %s checks nothing", s.Name, r)
			}
		}
		env, err := os.ReadFile(filepath.Join(Dir(), "scenarios", s.Name, "scenario.env"))
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		// lab/gen.sh reads scenario.env, labkit reads truth.json: they must name the same servers.
		if got := envValue(string(env), "ORIGIN", "nginx"); got != s.Origin {
			t.Errorf("%s: scenario.env ORIGIN=%s, truth origin %s", s.Name, got, s.Origin)
		}
		if got := envValue(string(env), "EDGE", "haproxy"); got != s.Edge() {
			t.Errorf("%s: scenario.env EDGE=%s, truth edge_server %s", s.Name, got, s.Edge())
		}
	}
	for _, l := range Layers {
		if layers[l] == 0 {
			t.Errorf("no scenario for layer %q", l)
		}
	}
}

// envValue reads KEY=value from a scenario.env (the last one wins, as in lab/lib.sh's scen_env).
func envValue(env, key, def string) string {
	v := ""
	for _, line := range strings.Split(env, "\n") {
		if k, val, ok := strings.Cut(strings.TrimSpace(line), "="); ok && k == key {
			v = val
		}
	}
	if v == "" {
		return def
	}
	return v
}

func checkBody(t *testing.T, name string, r TruthRequest) {
	t.Helper()
	if r.Body == "" {
		return
	}
	if _, err := os.Stat(filepath.Join(Dir(), "bodies", r.Body)); err != nil {
		t.Errorf("%s: body: %v", name, err)
	}
}

func TestValidateRejects(t *testing.T) {
	bad := []Scenario{
		{Name: "x", Origin: "iis"},
		{Name: "x", Origin: "nginx", EdgeServer: "varnish"},
		{Name: "x", Origin: "nginx", Layer: "cdn"},
		{Name: "x", Origin: "nginx", Layer: "edge", Mechanism: "magic"},
		{Name: "x", Origin: "nginx", Layer: "edge", Mechanism: "access-rule"},
		{Name: "x", Origin: "nginx", Failing: []TruthRequest{{Method: "GET", Route: "/", Auth: "app-password"}}},
		{Name: "x", Origin: "nginx", Failing: []TruthRequest{{Method: "GET", Route: "wp/v2", Auth: "public"}}},
	}
	for i, s := range bad {
		if err := s.validate("x"); err == nil {
			t.Errorf("case %d: accepted %+v", i, s)
		}
	}
}

func TestURL(t *testing.T) {
	l := &Lab{Host: Host}
	cases := []struct {
		r    TruthRequest
		want string
	}{
		{TruthRequest{Route: "/wp/v2/posts"}, "https://blog.wp403.test/wp-json/wp/v2/posts"},
		{TruthRequest{Route: "/wp/v2/users?context=edit", Style: "rest_route"},
			"https://blog.wp403.test/?rest_route=/wp/v2/users&context=edit"},
		{TruthRequest{Route: "/wp/v2/posts", Scheme: "http"}, "http://blog.wp403.test/wp-json/wp/v2/posts"},
	}
	for _, c := range cases {
		if got := l.URL(c.r, c.r.Route); got != c.want {
			t.Errorf("URL(%s) = %s, want %s", c.r, got, c.want)
		}
	}
}

func TestRequestString(t *testing.T) {
	r := TruthRequest{Method: "POST", Route: "/wp/v2/posts", Auth: "app-password", User: "editor", Body: "benign.json"}
	if s := r.String(); !strings.Contains(s, "app-password/editor") || !strings.Contains(s, "benign.json") {
		t.Errorf("String() = %q", s)
	}
}
