package policy

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

var ruleFields = []string{"name", "route", "methods", "identities", "expect", "reach", "headers", "body", "content_type", "write"}

func (ps *problems) rules(p *Policy, n *yaml.Node, path string) {
	if n.Kind != yaml.SequenceNode {
		ps.add(n, path, "want a list of rules (lines starting with -), got %s", kindName(n))
		return
	}
	for i, item := range n.Content {
		r := ps.rule(p, item, index(path, i))
		if ps.ok() {
			p.Rules = append(p.Rules, r)
		}
	}
}

func (ps *problems) rule(p *Policy, n *yaml.Node, path string) Rule {
	r := Rule{Line: n.Line, Methods: []string{"GET"}}
	var sawRoute, sawIDs, sawExpect bool
	var reachNode *yaml.Node
	for _, f := range ps.mapping(n, path, ruleFields) {
		switch f.key {
		case "name":
			r.Name, _ = ps.str(f.v, f.field)
		case "route":
			r.Route, sawRoute = ps.route(f.v, f.field), true
		case "methods":
			r.Methods = ps.methods(f.v, f.field)
		case "identities":
			r.Identities, sawIDs = ps.identityRefs(p, f.v, f.field), true
		case "expect":
			r.Expect, sawExpect = ps.expect(f.v, f.field), true
		case "reach":
			v, _ := ps.str(f.v, f.field)
			r.Reach, reachNode = Reach(v), f.v
			if r.Reach != ReachWordPress {
				ps.add(f.v, f.field, "want wordpress (allowed = WordPress answered without 401/403), got %s", quoteShort(v))
			}
		case "headers":
			r.Header = ps.ruleHeaders(f.v, f.field)
		case "body":
			r.Body, _ = ps.str(f.v, f.field)
		case "content_type":
			r.ContentType, _ = ps.str(f.v, f.field)
		case "write":
			r.Write = ps.boolean(f.v, f.field)
		}
	}
	if n.Kind != yaml.MappingNode {
		return r
	}
	for _, m := range []struct {
		saw  bool
		name string
	}{{r.Name != "", "name"}, {sawRoute, "route"}, {sawIDs, "identities"}, {sawExpect, "expect"}} {
		if !m.saw {
			ps.add(n, join(path, m.name), "missing")
		}
	}
	if reachNode != nil && r.Expect == record.ExpectDeny {
		ps.add(reachNode, join(path, "reach"), "only allow rules have a reach")
	}
	return r
}

func (ps *problems) route(n *yaml.Node, path string) string {
	v, ok := ps.str(n, path)
	if !ok {
		return ""
	}
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
		ps.add(n, path, "want a REST route such as /wp/v2/posts (a path, not a URL), got %s", quoteShort(v))
		return v
	}
	if _, err := diagnose.ParseRequest("GET " + v); err != nil || strings.ContainsAny(v, " \t\r\n#") {
		ps.add(n, path, "not a usable route: %s", quoteShort(v))
	}
	return v
}

func (ps *problems) methods(n *yaml.Node, path string) []string {
	vals, nodes := ps.strings(n, path)
	for i, v := range vals {
		up := strings.ToUpper(v)
		if up == "" || len(up) > 16 || strings.Trim(up, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			ps.add(nodes[i], index(path, i), "%s is not an HTTP method", quoteShort(v))
		}
		vals[i] = up
	}
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		ps.add(n, path, "empty; leave it out for GET")
	}
	return vals
}

func (ps *problems) identityRefs(p *Policy, n *yaml.Node, path string) []string {
	vals, nodes := ps.strings(n, path)
	for i, v := range vals {
		if _, ok := p.Identity(v); !ok {
			ps.add(nodes[i], index(path, i), "no identity %s (define it under identities:, or use anonymous)", quoteShort(v))
		}
	}
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		ps.add(n, path, "empty; name at least one identity")
	}
	return vals
}

func (ps *problems) expect(n *yaml.Node, path string) record.Expectation {
	v, _ := ps.str(n, path)
	switch e := record.Expectation(v); e {
	case record.ExpectAllow, record.ExpectDeny:
		return e
	}
	ps.add(n, path, "want allow or deny, got %s", quoteShort(v))
	return ""
}

// profiles expands "profile-name: [identities]" into the profile's rules.
func (ps *problems) profiles(p *Policy, n *yaml.Node, path string) {
	for _, f := range ps.mapping(n, path, ProfileNames()) {
		ids := ps.identityRefs(p, f.v, f.field)
		if !ps.ok() {
			continue
		}
		for _, r := range Profile(f.key) {
			r.Identities, r.Line = ids, f.k.Line
			p.Rules = append(p.Rules, r)
		}
	}
}

// uniqueNames reports two rules with one name: checks are named by it.
func (ps *problems) uniqueNames(p *Policy) {
	seen := map[string]int{}
	for _, r := range p.Rules {
		if line, dup := seen[r.Name]; dup && r.Name != "" {
			ps.add(&yaml.Node{Line: r.Line}, "rules", "two rules are named %s (lines %d and %d)", quoteShort(r.Name), line, r.Line)
			continue
		}
		seen[r.Name] = r.Line
	}
}
