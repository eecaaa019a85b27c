package cli

import (
	"fmt"
	"path/filepath"

	"github.com/wp403/wp403/internal/policy"
)

type policyCmd struct {
	Init policyInitCmd `cmd:"" help:"Write a REST access policy describing what holds now on the site, with hardening suggestions."`
}

type policyInitCmd struct {
	URL string `arg:"" name:"URL" help:"Any page of the site; the REST root is discovered."`
	networkFlags
	credentialFlags
	Write  bool   `name:"write" help:"Also check that a draft can be created (and delete it); read-only probes otherwise."`
	Output string `short:"o" name:"output" placeholder:"FILE" help:"Write the policy to FILE instead of standard output."`
	Report string `name:"report" placeholder:"FILE" help:"Also write the JSON report of the probes behind the policy."`
}

func (c *policyInitCmd) Run(rc *runContext) error {
	if c.Cookie != "" || len(c.Header) > 0 {
		return usagef("policy init: --cookie and -H cannot be written to a policy (secrets are never stored); add an integration identity by hand (docs/policy.example.yaml)")
	}
	ids, err := c.identities(rc)
	if err != nil {
		return err
	}
	runner, err := policyRunner(rc, c.URL, c.networkFlags, "", true)
	if err != nil {
		return err
	}
	runner.Write = c.Write
	site := policy.Site{URL: c.URL, Origin: c.Origin, Resolve: c.Resolve}
	doc, rep, err := runner.Draft(rc.ctx, site, ids)
	if m, ok := runner.Base.Progress.(*meter); ok {
		m.finish()
	}
	if err != nil {
		return mapDiagnoseErr(err)
	}
	if c.Report != "" {
		err := renderReport(rc, rep, outputFlags{Format: "json", Output: c.Report}, runner.Base.Scrubber)
		if err != nil && err != errRefusal {
			return err
		}
	}
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	_, err = out.w.Write(runner.Base.Scrubber.Bytes(policy.Format(doc)))
	if err := out.finish(err); err != nil {
		return fmt.Errorf("write policy: %w", err)
	}
	if out.tmp == nil {
		return nil
	}
	rc.note("wrote %s: %d rules hold now, %d commented out", c.Output, len(doc.Policy.Rules), len(doc.Disabled))
	return nil
}

// identities turns the credential flags into policy identities that
// refer to where the secrets came from: the same file, or the same
// environment variable.
func (c *policyInitCmd) identities(rc *runContext) ([]policy.Identity, error) {
	var ids []policy.Identity
	add := func(mode policy.AuthMode, name, file, envVar string) error {
		s := policy.Secret{Env: envVar}
		if file != "" {
			if _, err := secret(rc.io.Env, file, ""); err != nil {
				return usagef("%s: %v", map[policy.AuthMode]string{policy.ModeAppPassword: "--app-password-file", policy.ModeLogin: "--password-file"}[mode], err)
			}
			abs, err := filepath.Abs(resolvePath(rc.io.Env, file))
			if err != nil {
				return fmt.Errorf("secret file: %w", err)
			}
			s = policy.Secret{File: abs}
		} else if rc.io.Env.Get(envVar) == "" {
			return nil
		}
		if c.User == "" {
			return usagef("a password needs --user NAME")
		}
		ids = append(ids, policy.Identity{Name: name, User: c.User, Mode: mode, Secret: s})
		return nil
	}
	if err := add(policy.ModeAppPassword, "app-password", c.AppPasswordFile, "WP403_APP_PASSWORD"); err != nil {
		return nil, err
	}
	if err := add(policy.ModeLogin, "login", c.PasswordFile, "WP403_PASSWORD"); err != nil {
		return nil, err
	}
	if len(ids) == 0 && c.User != "" {
		return nil, usagef("--user needs --app-password-file or --password-file (or WP403_APP_PASSWORD / WP403_PASSWORD)")
	}
	return ids, nil
}
