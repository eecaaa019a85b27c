package exporter

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/probe"
)

// The modules a probe can run.
const (
	ModulePolicy   = "policy"   // the site's REST access policy (wp403 check)
	ModuleDiagnose = "diagnose" // diagnose's default plan with the site's identities
)

// Bounds of a configuration file.
const (
	MaxConfigSize = 16 << 20
	MaxSites      = 20000
)

var siteNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Site is one configured target.
type Site struct {
	Name   string
	Policy *policy.Policy
	// Dir is where relative secret files are read from: the policy
	// file's folder, or the configuration's.
	Dir string
	// Module is what a probe without module= runs: policy when the site
	// has rules, diagnose otherwise.
	Module string
	// Host is the politeness key: the address the site's requests go to.
	Host string
}

// Config is a parsed configuration file (wp403 exporter --config, wp403
// check --targets).
type Config struct {
	Sites  []*Site
	byName map[string]*Site
}

// Site returns the site named name.
func (c *Config) Site(name string) (*Site, bool) {
	s, ok := c.byName[name]
	return s, ok
}

// LoadConfig reads and validates a configuration file. Problems are
// listed with their line in a *policy.LoadError.
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data := make([]byte, MaxConfigSize+1)
	n, _ := readFull(f, data)
	if n > MaxConfigSize {
		return nil, &policy.LoadError{File: path, Problems: []policy.Problem{{Msg: fmt.Sprintf("larger than %d bytes", MaxConfigSize)}}}
	}
	c, err := ParseConfig(data[:n], filepath.Dir(path))
	if le, ok := err.(*policy.LoadError); ok {
		le.File = path
	}
	return c, err
}

// ParseConfig parses a configuration; relative files are read from dir.
func ParseConfig(data []byte, dir string) (*Config, error) {
	cl := &collector{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		cl.add(0, "", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, cl.err()
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		cl.add(0, "", "want a mapping with sites: (a list of sites)")
		return nil, cl.err()
	}
	c := &Config{byName: map[string]*Site{}}
	root := doc.Content[0]
	sites := cl.sites(root)
	switch {
	case sites == nil:
		cl.add(root.Line, "sites", "missing")
	case sites.Kind != yaml.SequenceNode || len(sites.Content) == 0:
		cl.add(sites.Line, "sites", "want a list of sites (lines starting with -)")
	case len(sites.Content) > MaxSites:
		cl.add(sites.Line, "sites", "more than %d sites; split them across exporters", MaxSites)
	default:
		for i, n := range sites.Content {
			if s := cl.site(n, fmt.Sprintf("sites[%d]", i), dir); s != nil {
				c.add(cl, s, n.Line)
			}
		}
	}
	if err := cl.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// sites returns the value of the root's sites: field.
func (cl *collector) sites(root *yaml.Node) *yaml.Node {
	var sites *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Value != "sites" {
			cl.add(k.Line, k.Value, "unknown field (want sites)")
			continue
		}
		sites = root.Content[i+1]
	}
	return sites
}

func (c *Config) add(cl *collector, s *Site, line int) {
	if _, dup := c.byName[s.Name]; dup {
		cl.add(line, "name", "two sites are named %q", s.Name)
		return
	}
	c.byName[s.Name] = s
	c.Sites = append(c.Sites, s)
}

// hostOf is the address a site's edge requests go to: the --resolve
// address for its host and port, or its host name.
func hostOf(p *policy.Policy) string {
	u, err := url.Parse(p.Site.URL)
	if err != nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if m, err := probe.ParseResolve(p.Site.Resolve); err == nil {
		if to, ok := m[net.JoinHostPort(u.Hostname(), port)]; ok {
			if h, _, err := net.SplitHostPort(to); err == nil {
				return h
			}
			return to
		}
	}
	return strings.ToLower(u.Hostname())
}
