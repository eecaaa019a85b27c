package exporter

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/policy"
)

// A site entry: a name, where the site is, and either a policy file or
// the fields of a policy inline (identities, profiles, rules), written
// exactly as in a policy file.
var (
	siteFields   = []string{"url", "origin", "resolve"}
	inlineFields = []string{"version", "identities", "profiles", "rules"}
)

// collector gathers configuration problems.
type collector struct{ list []policy.Problem }

func (cl *collector) add(line int, field, format string, a ...any) {
	if len(cl.list) < 50 {
		cl.list = append(cl.list, policy.Problem{Line: line, Field: field, Msg: fmt.Sprintf(format, a...)})
	}
}

func (cl *collector) err() error {
	if len(cl.list) == 0 {
		return nil
	}
	return &policy.LoadError{Problems: cl.list}
}

// siteEntry is one site entry sorted into its parts.
type siteEntry struct {
	name, policyFile string
	site, doc        *yaml.Node // the site: fields, and the inline policy fields
}

// split sorts a site entry's fields.
func (cl *collector) split(n *yaml.Node, path string) siteEntry {
	e := siteEntry{site: &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column},
		doc: &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Value == "name" || k.Value == "policy":
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				cl.add(v.Line, path+"."+k.Value, "want a value")
			} else if k.Value == "name" {
				e.name = v.Value
			} else {
				e.policyFile = v.Value
			}
		case contains(siteFields, k.Value):
			e.site.Content = append(e.site.Content, k, v)
		case contains(inlineFields, k.Value):
			e.doc.Content = append(e.doc.Content, k, v)
		default:
			cl.add(k.Line, path+"."+k.Value, "unknown field (want name, url, origin, resolve, policy, identities, profiles or rules)")
		}
	}
	return e
}

// site reads one entry of sites:.
func (cl *collector) site(n *yaml.Node, path, dir string) *Site {
	if n.Kind != yaml.MappingNode {
		cl.add(n.Line, path, "want a mapping with name: and url:")
		return nil
	}
	e := cl.split(n, path)
	if !siteNameRe.MatchString(e.name) {
		cl.add(n.Line, path+".name", "want a name of letters, digits, '.', '_' or '-' (at most 64): Prometheus probes it as target=NAME")
		return nil
	}
	s := &Site{Name: e.name, Dir: dir}
	path = fmt.Sprintf("%s (%s)", path, s.Name)
	var err error
	if e.policyFile != "" {
		s.Policy, s.Dir, err = fromFile(n, path, e.policyFile, dir, e.site, len(e.doc.Content) > 0)
	} else {
		e.doc.Content = append([]*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "site", Line: n.Line}, e.site}, e.doc.Content...)
		s.Policy, err = policy.LoadNode(e.doc, path, true)
	}
	var le *policy.LoadError
	if errors.As(err, &le) {
		cl.list = append(cl.list, le.Problems...)
		return nil
	} else if err != nil {
		cl.add(n.Line, path, "%v", err)
		return nil
	}
	s.Module, s.Host = ModuleDiagnose, hostOf(s.Policy)
	if len(s.Policy.Rules) > 0 {
		s.Module = ModulePolicy
	}
	return s
}

// fromFile loads a site's policy file; url, origin and resolve given in
// the entry replace the file's.
func fromFile(n *yaml.Node, path, file, dir string, siteNode *yaml.Node, inline bool) (*policy.Policy, string, error) {
	if inline {
		return nil, "", &policy.LoadError{Problems: []policy.Problem{{Line: n.Line, Field: path,
			Msg: "give either policy: FILE or identities/profiles/rules inline, not both"}}}
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	p, err := policy.LoadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("%v", err) // its lines are the policy file's
	}
	if len(siteNode.Content) > 0 {
		over := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "site", Line: n.Line}, withURL(siteNode, p.Site.URL)}}
		o, err := policy.LoadNode(over, path, true)
		if err != nil {
			return nil, "", err
		}
		p.Site = merge(p.Site, o.Site)
	}
	return p, filepath.Dir(file), nil
}

// withURL adds the policy file's url to an override that has none.
func withURL(site *yaml.Node, url string) *yaml.Node {
	for i := 0; i < len(site.Content); i += 2 {
		if site.Content[i].Value == "url" {
			return site
		}
	}
	out := *site
	out.Content = append([]*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "url"},
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: url}}, site.Content...)
	return &out
}

func merge(base, over policy.Site) policy.Site {
	base.URL = over.URL
	if over.Origin != "" {
		base.Origin = over.Origin
	}
	if len(over.Resolve) > 0 {
		base.Resolve = over.Resolve
	}
	return base
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// readFull reads until buf is full or the reader ends.
func readFull(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}
