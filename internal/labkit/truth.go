package labkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Layers and mechanisms allowed in truth files.
var (
	Layers     = []string{"", "edge", "waf", "server", "php", "wordpress", "plugin", "client"}
	Mechanisms = []string{"", "waf-rule", "access-rule", "user-agent-rule", "method-rule", "http-auth",
		"header-stripped", "rewrite", "redirect", "handler", "permission", "app-passwords-unavailable",
		"credentials", "nonce", "rest-disabled", "block-page", "challenge", "rate-limit", "origin-locked"}
	AuthKinds = []string{"public", "cookie+nonce", "cookie", "cookie+stale-nonce", "cookie+page-nonce", "app-password"}
	// Origins and EdgeServers are the lab's web servers (lab/README.md): a
	// scenario runs on one origin behind one edge.
	Origins     = []string{"nginx", "apache", "lighttpd"}
	EdgeServers = []string{"haproxy", "trafficserver", "caddy"}
)

// TruthRequest is one request of a truth file with the statuses really seen.
type TruthRequest struct {
	Method      string            `json:"method"`
	Route       string            `json:"route"`                  // REST route, may hold ?query and {placeholders}
	Style       string            `json:"style,omitempty"`        // "pretty" (default) or "rest_route"
	Scheme      string            `json:"scheme,omitempty"`       // "https" (default) or "http"
	Auth        string            `json:"auth"`                   // one of AuthKinds
	User        string            `json:"user,omitempty"`         // role key, for authenticated kinds
	WrongSecret bool              `json:"wrong_secret,omitempty"` // send a well-formed but wrong app password / login password
	Body        string            `json:"body,omitempty"`         // file in lab/bodies
	ContentType string            `json:"content_type,omitempty"` // default from the body's extension
	Headers     map[string]string `json:"headers,omitempty"`
	UserAgent   string            `json:"user_agent,omitempty"`
	Repeat      int               `json:"repeat,omitempty"` // send N times; expectations apply to the last
	Step        string            `json:"step,omitempty"`   // "login" or "rest-nonce" when the status comes from that auth step
	Edge        int               `json:"edge"`             // expected status via the edge; 0 = not checked
	Origin      int               `json:"origin"`           // expected status at the origin; 0 = not checked
	EdgeCode    string            `json:"edge_code,omitempty"`
	OriginCode  string            `json:"origin_code,omitempty"`
	Note        string            `json:"note,omitempty"`
	// Finish, when set (by tests, never by truth files), sees the finished
	// request and its body last, after authentication, before it is sent:
	// the wp403 agent's tests sign it there.
	Finish func(req *http.Request, body []byte) `json:"-"`
}

// String is a short human label such as "POST /wp/v2/posts app-password/editor".
func (r TruthRequest) String() string {
	s := r.Method + " " + r.Route
	if r.Style == "rest_route" {
		s += " (rest_route)"
	}
	s += " " + r.Auth
	if r.User != "" {
		s += "/" + r.User
	}
	if r.WrongSecret {
		s += "(wrong secret)"
	}
	if r.Body != "" {
		s += " body=" + r.Body
	}
	if r.UserAgent != "" {
		s += " ua=" + strings.Fields(r.UserAgent)[0]
	}
	for k, v := range r.Headers {
		s += " " + k + ":" + v
	}
	return s
}

// Scenario is one lab/scenarios/NAME/truth.json.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Origin      string `json:"origin"`
	// EdgeServer is the edge in front of the origin: "haproxy" (default,
	// 127.0.80.1), "trafficserver" (127.0.84.1) or "caddy" (127.0.85.1).
	EdgeServer string         `json:"edge_server,omitempty"`
	Layer      string         `json:"layer"`
	Mechanism  string         `json:"mechanism"`
	Vendor     string         `json:"vendor"`
	Failing    []TruthRequest `json:"failing"`
	Controls   []TruthRequest `json:"controls"`
	Rules      []int          `json:"rules,omitempty"`
	// Problem is the report's problem kind ("not-wordpress") when the
	// scenario is one wp403 cannot diagnose: exit 1, no refusal.
	Problem string `json:"problem,omitempty"`
	// Pending names what wp403 still lacks to give this scenario's verdict
	// (a refusal class not built yet). The truth file is checked as usual
	// (lab/verify); the verdict checks of the lab and replay tests skip
	// with this reason, and fail once the verdict is right, so the field is
	// removed by whoever lands the class.
	Pending string `json:"pending,omitempty"`
}

// Edge returns the scenario's edge server name ("haproxy" when unset).
func (s Scenario) Edge() string {
	if s.EdgeServer == "" {
		return "haproxy"
	}
	return s.EdgeServer
}

// Scenarios parses every truth file under the lab folder, sorted by name.
func Scenarios() ([]Scenario, error) { return ScenariosIn(Dir()) }

// ScenariosIn parses every truth file under labDir/scenarios.
func ScenariosIn(labDir string) ([]Scenario, error) {
	dirs, err := filepath.Glob(filepath.Join(labDir, "scenarios", "*", "truth.json"))
	if err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	var out []Scenario
	for _, d := range dirs {
		s, err := LoadScenario(labDir, filepath.Base(filepath.Dir(d)))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// LoadScenario parses and validates one scenario's truth file.
func LoadScenario(labDir, name string) (Scenario, error) {
	path := filepath.Join(labDir, "scenarios", name, "truth.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return Scenario{}, fmt.Errorf("read truth: %w", err)
	}
	var s Scenario
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := s.validate(name); err != nil {
		return Scenario{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func (s Scenario) validate(dir string) error {
	switch {
	case s.Name != dir:
		return fmt.Errorf("name %q differs from folder %q", s.Name, dir)
	case !contains(Origins, s.Origin):
		return fmt.Errorf("origin %q is not one of %v", s.Origin, Origins)
	case !contains(EdgeServers, s.Edge()):
		return fmt.Errorf("edge_server %q is not one of %v", s.EdgeServer, EdgeServers)
	case !contains(Layers, s.Layer):
		return fmt.Errorf("unknown layer %q", s.Layer)
	case !contains(Mechanisms, s.Mechanism):
		return fmt.Errorf("unknown mechanism %q", s.Mechanism)
	case s.Problem != "" && s.Problem != "not-wordpress" && s.Problem != "no-answer":
		return fmt.Errorf("unknown problem %q", s.Problem)
	case s.Problem != "" && s.Layer != "":
		return fmt.Errorf("problem %q and layer %q", s.Problem, s.Layer)
	case s.Layer != "" && len(s.Failing) == 0:
		return fmt.Errorf("layer %q but no failing request", s.Layer)
	}
	for _, r := range append(append([]TruthRequest{}, s.Failing...), s.Controls...) {
		if !contains(AuthKinds, r.Auth) {
			return fmt.Errorf("%s: unknown auth %q", r, r.Auth)
		}
		if r.Auth != "public" && r.User == "" {
			return fmt.Errorf("%s: auth %q needs a user", r, r.Auth)
		}
		if !strings.HasPrefix(r.Route, "/") {
			return fmt.Errorf("%s: route must start with /", r)
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
