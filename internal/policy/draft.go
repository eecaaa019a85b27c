package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// coreNamespaces are registered by WordPress itself.
var coreNamespaces = []string{"oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1", "wp-abilities/v1", "wp-abilities/v1-run"}

// Draft probes the built-in profiles (read-only unless the Runner allows
// writes) for the given identities and returns a policy of what holds
// now: rules that hold are active, the others are written commented out
// with the reason, and hardening that does not hold is a suggestion.
func (r *Runner) Draft(ctx context.Context, site Site, ids []Identity) (*Doc, *record.Report, error) {
	pol := &Policy{Site: site, Identities: append([]Identity{{Name: Anonymous, Mode: ModeAnonymous}}, ids...)}
	pol.Rules = candidates(pol.Identities, r.Write)
	rep, err := r.Check(ctx, pol)
	if err != nil {
		return nil, nil, err
	}
	rep.Command = "policy init"
	var ix *RouteIndex
	if rep.Target.RESTRoot != "" {
		base := r.Base
		if base.URL == "" {
			base.URL = site.URL
		}
		if base.Resolve == nil {
			base.Resolve = site.Resolve
		}
		if ix, err = FetchIndex(ctx, base, rep.Target.RESTRoot); err != nil {
			rep.Notes = append(rep.Notes, err.Error()+"; the draft does not use it")
			ix = nil
		}
	}
	nameByRole(pol, rep)
	return draftDoc(pol, rep, ix), rep, nil
}

// candidates applies the profiles: public and hardening to anonymous,
// integration to application passwords, block-editor to logins (or to
// the application password when no login was given).
func candidates(ids []Identity, write bool) []Rule {
	var out []Rule
	add := func(rules []Rule, id string) {
		for _, r := range rules {
			r.Identities = []string{id}
			out = append(out, r)
		}
	}
	add(Profile("public"), Anonymous)
	add(Hardening(), Anonymous)
	editor := ""
	for _, id := range ids {
		switch id.Mode {
		case ModeAppPassword:
			add(Profile("integration"), id.Name)
			editor = firstNonEmpty(editor, id.Name)
		case ModeLogin:
			editor = id.Name
		}
	}
	if editor != "" {
		add(Profile("block-editor"), editor)
		if write {
			w := allow("create a draft with block-editor content (deleted afterwards)", "POST", "/wp/v2/posts")
			w.Body, w.ContentType, w.Write, w.Identities = EditorSaveBody, "application/json", true, []string{editor}
			out = append(out, w)
		}
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// nameByRole reads each identity's role from its users/me answer and
// renames it after the role (editor, editor-browser).
func nameByRole(pol *Policy, rep *record.Report) {
	for i := range pol.Identities {
		id := &pol.Identities[i]
		for _, c := range rep.Checks {
			if c.Identity != id.Name || c.Request.Route != "/wp/v2/users/me" || len(c.Observations) == 0 {
				continue
			}
			if o := rep.Observation(c.Observations[0]); o != nil && o.Response != nil && o.Status() == 200 {
				var me struct{ Roles []string }
				if json.Unmarshal([]byte(o.Response.Body), &me) == nil && len(me.Roles) > 0 {
					id.Role = me.Roles[0]
				}
			}
		}
	}
	for i := range pol.Identities {
		id := &pol.Identities[i]
		if id.Role == "" || id.Mode == ModeAnonymous {
			continue
		}
		name := id.Role
		if id.Mode == ModeLogin {
			name += "-browser"
		}
		if _, taken := pol.Identity(name); !taken {
			renameIdentity(pol, rep, id.Name, name)
		}
	}
}

func renameIdentity(pol *Policy, rep *record.Report, from, to string) {
	for i := range pol.Identities {
		if pol.Identities[i].Name == from {
			pol.Identities[i].Name = to
		}
	}
	for i := range pol.Rules {
		for j, n := range pol.Rules[i].Identities {
			if n == from {
				pol.Rules[i].Identities[j] = to
			}
		}
	}
	for i := range rep.Checks {
		if rep.Checks[i].Identity == from {
			rep.Checks[i].Identity = to
		}
	}
}

// draftDoc sorts the candidates into active rules and commented ones.
func draftDoc(pol *Policy, rep *record.Report, ix *RouteIndex) *Doc {
	d := &Doc{Comment: draftHeader(pol.Site.URL), Policy: Policy{Site: pol.Site, Identities: pol.Identities}}
	for _, rule := range pol.Rules {
		c := checkOf(rep, rule)
		switch {
		case c == nil:
			continue // a write rule without --write
		case ix != nil && !ix.Has(rule.Route):
			rule.Note = "not in this site's route index; left out"
			d.Disabled = append(d.Disabled, rule)
		case c.Pass:
			d.Policy.Rules = append(d.Policy.Rules, rule)
		case rule.Expect == record.ExpectDeny:
			rule.Note = fmt.Sprintf("hardening suggestion: allowed now (status %d at the edge).\nBlock it (plugin, server or edge rule), then uncomment to keep it blocked.", c.Status.Edge)
			d.Disabled = append(d.Disabled, rule)
		default:
			rule.Note = fmt.Sprintf("does not hold now: %s.\nRun wp403 diagnose on it; uncomment once fixed.", c.Detail)
			d.Disabled = append(d.Disabled, rule)
		}
	}
	d.Tail = namespaceTail(ix)
	return d
}

func checkOf(rep *record.Report, rule Rule) *record.Check {
	for i := range rep.Checks {
		if c := &rep.Checks[i]; c.Name == rule.Name && c.Identity == rule.Identities[0] {
			return c
		}
	}
	return nil
}

func draftHeader(site string) []string {
	return []string{
		"wp403 REST access policy for " + site,
		"Written by 'wp403 policy init' from what holds now; 'wp403 check' runs it (exit 3 on drift).",
		"Edit freely: docs/policy.md explains every field. Commented-out rules did not hold when this",
		"was written, or are hardening suggestions; each says why.",
	}
}

// namespaceTail lists plugin namespaces the index has and no rule covers.
func namespaceTail(ix *RouteIndex) []string {
	if ix == nil {
		return nil
	}
	var out []string
	for _, ns := range ix.Namespaces {
		if contains(coreNamespaces, ns) {
			continue
		}
		out = append(out, fmt.Sprintf("  /%s (%d routes)", ns, ix.Count(ns)))
	}
	if len(out) == 0 {
		return nil
	}
	head := "Plugin namespaces in the route index that no rule covers; add rules for the ones your integrations use:"
	return append([]string{strings.TrimSpace(head)}, out...)
}
