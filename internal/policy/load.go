package policy

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/redact"
)

// MaxSize bounds a policy file.
const MaxSize = 1 << 20

var (
	nameRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	envRe    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
	headerRe = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
)

// LoadFile reads and validates a policy file.
func LoadFile(path string) (*Policy, error) {
	data, err := readAtMost(path, MaxSize+1) // one byte more tells a file that is too large
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	p, err := Load(data)
	if le, ok := err.(*LoadError); ok {
		le.File = path
	}
	return p, err
}

// Load parses and validates a policy. Every problem carries the line and
// the field it is about; the error is a *LoadError.
func Load(data []byte) (*Policy, error) {
	ps := &problems{}
	if len(data) > MaxSize {
		ps.add(nil, "", "the policy is larger than %d bytes", MaxSize)
		return nil, &LoadError{Problems: ps.list}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		ps.list = append(ps.list, yamlProblem(err))
		return nil, &LoadError{Problems: ps.list}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		ps.add(nil, "", "the policy is empty (want site, identities and rules)")
		return nil, &LoadError{Problems: ps.list}
	}
	ps.noAliases(&doc, 0)
	if !ps.ok() {
		return nil, &LoadError{Problems: ps.list}
	}
	p := ps.policy(doc.Content[0])
	if !ps.ok() {
		return nil, &LoadError{Problems: ps.list}
	}
	return p, nil
}

// yamlProblem turns a parser error ("yaml: line 3: did not find …") into
// a problem, keeping its line.
func yamlProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d: ", &line); n == 1 {
		_, rest, _ := strings.Cut(msg, ": ")
		return Problem{Line: line, Msg: "not valid YAML: " + rest}
	}
	return Problem{Msg: "not valid YAML: " + msg}
}

var topFields = []string{"version", "site", "identities", "profiles", "rules"}

func (ps *problems) policy(root *yaml.Node) *Policy {
	p := &Policy{Identities: []Identity{{Name: Anonymous, Mode: ModeAnonymous}}}
	fields := ps.mapping(root, "", topFields)
	var profiles, rules *field
	sawSite := false
	for i := range fields {
		f := &fields[i]
		switch f.key {
		case "version":
			if v, ok := ps.str(f.v, f.field); ok && v != "1" {
				ps.add(f.v, f.field, "unknown version %s (this wp403 reads version 1)", quoteShort(v))
			}
		case "site":
			p.Site, sawSite = ps.site(f.v, f.field), true
		case "identities":
			ps.identities(p, f.v, f.field)
		case "profiles":
			profiles = f
		case "rules":
			rules = f
		}
	}
	if root.Kind == yaml.MappingNode && !sawSite {
		ps.add(root, "site", "missing (want site: {url: https://…})")
	}
	// Rules and profiles refer to identities, which may come later in the file.
	for _, f := range fields {
		switch {
		case profiles != nil && f.k == profiles.k:
			ps.profiles(p, f.v, f.field)
		case rules != nil && f.k == rules.k:
			ps.rules(p, f.v, f.field)
		}
	}
	if root.Kind == yaml.MappingNode && len(p.Rules) == 0 && ps.ok() && !ps.rulesOptional {
		ps.add(root, "rules", "the policy has no rules (add rules: or profiles:)")
	}
	ps.uniqueNames(p)
	return p
}

func (ps *problems) site(n *yaml.Node, path string) Site {
	var s Site
	for _, f := range ps.mapping(n, path, []string{"url", "origin", "resolve"}) {
		switch f.key {
		case "url":
			s.URL, _ = ps.str(f.v, f.field)
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
				ps.add(f.v, f.field, "want an http:// or https:// URL of the site without credentials, got %s", quoteShort(redact.URL(s.URL)))
			}
		case "origin":
			s.Origin, _ = ps.str(f.v, f.field)
		case "resolve":
			vals, nodes := ps.strings(f.v, f.field)
			for i, v := range vals {
				if _, err := probe.ParseResolve([]string{v}); err != nil {
					ps.add(nodes[i], index(f.field, i), "%v", err)
				}
			}
			s.Resolve = vals
		}
	}
	if n.Kind == yaml.MappingNode && s.URL == "" {
		ps.add(n, join(path, "url"), "missing")
	}
	return s
}

// readAtMost reads the first n bytes of a file (all of a smaller one):
// /dev/zero or a huge file is never read whole.
func readAtMost(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}
