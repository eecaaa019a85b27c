package policy

import (
	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/diagnose"
)

// LoadNode validates one policy given as an already parsed YAML mapping
// with the fields of a policy file (version, site, identities, profiles,
// rules): a site of an exporter or fleet configuration. Problems keep the
// node's lines; their fields are prefixed with path. With rulesOptional a
// policy without rules is valid (the caller then runs the default plan
// with its identities). The error is a *LoadError.
func LoadNode(n *yaml.Node, path string, rulesOptional bool) (*Policy, error) {
	ps := &problems{rulesOptional: rulesOptional}
	ps.noAliases(n, 0)
	var p *Policy
	if ps.ok() {
		p = ps.policy(n)
	}
	if ps.ok() {
		return p, nil
	}
	for i := range ps.list {
		ps.list[i].Field = join(path, ps.list[i].Field)
	}
	return nil, &LoadError{Problems: ps.list}
}

// IdentityConfig is the diagnose configuration one identity's requests
// are sent with: the base settings, the policy's site and the identity's
// credentials (read through Secret). Fleet runs use it for the default
// plan, outside Check.
func (r *Runner) IdentityConfig(p *Policy, id Identity) (diagnose.Config, error) {
	return r.config(p, id)
}
