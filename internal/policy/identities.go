package policy

import (
	"net/http"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/redact"
)

var identityFields = []string{"role", "user", "app_password", "password", "headers"}

func (ps *problems) identities(p *Policy, n *yaml.Node, path string) {
	for _, f := range ps.mapping(n, path, nil) {
		if !nameRe.MatchString(f.key) {
			ps.add(f.k, f.field, "an identity name is letters, digits, '.', '_' or '-' (at most 64)")
			continue
		}
		if f.key == Anonymous {
			if f.v.Kind == yaml.MappingNode && len(f.v.Content) > 0 || f.v.Kind != yaml.MappingNode && f.v.Tag != "!!null" {
				ps.add(f.v, f.field, "anonymous has no credentials; leave it empty ({}) or leave it out")
			}
			continue
		}
		p.Identities = append(p.Identities, ps.identity(f.key, f.v, f.field))
	}
}

func (ps *problems) identity(name string, n *yaml.Node, path string) Identity {
	id := Identity{Name: name}
	var modes []string
	for _, f := range ps.mapping(n, path, identityFields) {
		switch f.key {
		case "role":
			id.Role, _ = ps.str(f.v, f.field)
		case "user":
			id.User, _ = ps.str(f.v, f.field)
		case "app_password":
			id.Mode, id.Secret = ModeAppPassword, ps.secret(f.v, f.field)
			modes = append(modes, f.key)
		case "password":
			id.Mode, id.Secret = ModeLogin, ps.secret(f.v, f.field)
			modes = append(modes, f.key)
		case "headers":
			id.Mode, id.Headers = ModeIntegration, ps.headerSecrets(f.v, f.field)
			modes = append(modes, f.key)
		}
	}
	if n.Kind != yaml.MappingNode {
		return id
	}
	switch {
	case len(modes) == 0:
		ps.add(n, path, "say how %s authenticates: app_password, password (cookie login) or headers (integration)", name)
	case len(modes) > 1:
		ps.add(n, path, "give one of app_password, password or headers, not %d; make one identity per way of logging in", len(modes))
	case id.Mode != ModeIntegration && id.User == "":
		ps.add(n, join(path, "user"), "missing (the WordPress login name that %s belongs to)", modes[0])
	}
	return id
}

// secret reads {env: NAME} or {file: PATH}; a literal value is refused.
func (ps *problems) secret(n *yaml.Node, path string) Secret {
	var s Secret
	if n.Kind == yaml.ScalarNode {
		ps.add(n, path, "secrets are never stored in a policy: write {env: NAME} or {file: PATH}")
		return s
	}
	fields := ps.mapping(n, path, []string{"env", "file"})
	for _, f := range fields {
		v, _ := ps.str(f.v, f.field)
		if f.key == "env" {
			s.Env = v
			if !envRe.MatchString(v) {
				ps.add(f.v, f.field, "%s is not an environment variable name", quoteShort(v))
			}
		} else {
			s.File = v
		}
	}
	if n.Kind == yaml.MappingNode && len(fields) != 1 && ps.ok() {
		ps.add(n, path, "give exactly one of env or file")
	}
	return s
}

func (ps *problems) headerSecrets(n *yaml.Node, path string) []HeaderSecret {
	var out []HeaderSecret
	for _, f := range ps.mapping(n, path, nil) {
		if !headerRe.MatchString(f.key) {
			ps.add(f.k, f.field, "not a header name")
			continue
		}
		out = append(out, HeaderSecret{Name: http.CanonicalHeaderKey(f.key), Value: ps.secret(f.v, f.field)})
	}
	if n.Kind == yaml.MappingNode && len(out) == 0 && ps.ok() {
		ps.add(n, path, "an integration needs at least one header")
	}
	return out
}

// ruleHeaders reads literal, non-secret headers of a rule.
func (ps *problems) ruleHeaders(n *yaml.Node, path string) http.Header {
	h := http.Header{}
	for _, f := range ps.mapping(n, path, nil) {
		v, ok := ps.str(f.v, f.field)
		switch {
		case !headerRe.MatchString(f.key):
			ps.add(f.k, f.field, "not a header name")
		case redact.IsSensitiveHeader(f.key):
			ps.add(f.k, f.field, "credentials belong to identities, not rules")
		case ok:
			h.Add(f.key, v)
		}
	}
	return h
}
