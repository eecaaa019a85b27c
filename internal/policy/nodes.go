package policy

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// field is one key of a mapping and its value.
type field struct {
	key   string
	k, v  *yaml.Node
	field string // path of the value, for problems
}

// mapping returns the fields of a mapping node, reporting a wrong kind,
// duplicate keys and keys not in allowed (nil allows any key).
func (ps *problems) mapping(n *yaml.Node, path string, allowed []string) []field {
	if n.Kind != yaml.MappingNode {
		ps.add(n, path, "want a mapping (key: value lines), got %s", kindName(n))
		return nil
	}
	seen := map[string]bool{}
	var out []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			ps.add(k, path, "keys must be plain names")
			continue
		}
		fp := join(path, k.Value)
		switch {
		case seen[k.Value]:
			ps.add(k, fp, "given twice")
			continue
		case allowed != nil && !contains(allowed, k.Value):
			ps.add(k, fp, "unknown field (want one of %s)", strings.Join(allowed, ", "))
			continue
		}
		seen[k.Value] = true
		out = append(out, field{key: k.Value, k: k, v: v, field: fp})
	}
	return out
}

// str returns a scalar's text; null and non-scalars are problems.
func (ps *problems) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		ps.add(n, path, "want a value, got %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

// list returns a sequence of scalars; a single scalar is a list of one.
func (ps *problems) strings(n *yaml.Node, path string) ([]string, []*yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}, []*yaml.Node{n}
	}
	if n.Kind != yaml.SequenceNode {
		ps.add(n, path, "want a list, got %s", kindName(n))
		return nil, nil
	}
	var vals []string
	var nodes []*yaml.Node
	for i, item := range n.Content {
		if s, ok := ps.str(item, index(path, i)); ok {
			vals, nodes = append(vals, s), append(nodes, item)
		}
	}
	return vals, nodes
}

// boolean reads true/false.
func (ps *problems) boolean(n *yaml.Node, path string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return strings.EqualFold(n.Value, "true") || strings.EqualFold(n.Value, "yes") || strings.EqualFold(n.Value, "on")
	}
	ps.add(n, path, "want true or false, got %s", kindName(n))
	return false
}

// noAliases reports every alias: a policy is read as written.
func (ps *problems) noAliases(n *yaml.Node, depth int) {
	if depth > 64 {
		ps.add(n, "", "nested too deeply")
		return
	}
	if n.Kind == yaml.AliasNode {
		ps.add(n, "", "YAML aliases (*%s) are not supported in a policy; write the value out", n.Value)
		return
	}
	for _, c := range n.Content {
		ps.noAliases(c, depth+1)
	}
}

func kindName(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case n.Tag == "!!null":
		return "nothing"
	}
	return "the value " + quoteShort(n.Value)
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
