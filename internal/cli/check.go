package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/exporter"
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

type checkCmd struct {
	Policy string `arg:"" optional:"" name:"POLICY" help:"REST access policy file (YAML, see docs/policy.md); 'wp403 policy init' writes one."`
	networkFlags
	Write    bool   `name:"write" help:"Also run rules marked 'write: true' (they create a draft, which is deleted afterwards)."`
	NoReplay bool   `name:"no-waf-replay" help:"Do not replay refused requests through the embedded OWASP CRS."`
	Targets  string `name:"targets" placeholder:"FILE" help:"Check every site of a fleet file (the exporter's configuration) instead of one policy: one JSON line per site."`
	Parallel int    `name:"parallel" default:"4" help:"With --targets: sites checked at once, at most."`
	PerHost  int    `name:"per-host" default:"1" help:"With --targets: sites checked at once against one host, at most."`
	outputFlags
}

func (c *checkCmd) Run(rc *runContext) error {
	if c.Targets != "" || c.Policy == "" {
		return c.fleet(rc)
	}
	path := resolvePath(rc.io.Env, c.Policy)
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		why := "is a directory"
		if err != nil {
			why = strings.TrimPrefix(err.Error(), "stat "+path+": ")
		}
		return usagef("%s: %s; want a REST access policy file (YAML; 'wp403 policy init URL -o policy.yaml' writes one)", c.Policy, why)
	}
	pol, err := policy.LoadFile(path)
	if err != nil {
		var le *policy.LoadError
		if errors.As(err, &le) {
			return usagef("%v", err)
		}
		return err
	}
	runner, err := policyRunner(rc, pol.Site.URL, c.networkFlags, filepath.Dir(path), !c.NoReplay)
	if err != nil {
		return err
	}
	runner.Write = c.Write
	rep, err := runner.Check(rc.ctx, pol)
	if m, ok := runner.Base.Progress.(*meter); ok {
		m.finish()
	}
	if err != nil {
		return mapDiagnoseErr(err)
	}
	rep.Notes = append(rep.Notes, checkNotes(rep)...)
	return renderChecks(rc, rep, c.outputFlags, runner.Base.Scrubber)
}

// policyRunner builds a policy runner from the network flags: the site's
// URL is the policy's, and secrets come from the environment or from
// files named relative to the policy file.
func policyRunner(rc *runContext, url string, n networkFlags, dir string, replay bool) (*policy.Runner, error) {
	base, err := networkConfig(rc, url, n)
	if err != nil {
		return nil, err
	}
	base.Scrubber = &redact.Scrubber{}
	if replay {
		base.Replayer = newReplayer()
	}
	rc.progress().attach(&base)
	return &policy.Runner{Base: base, Secret: secretReader(rc.io.Env, dir)}, nil
}

// networkConfig is baseConfig without credentials: the identities of a
// policy (or the flags of retest) bring their own.
func networkConfig(rc *runContext, url string, n networkFlags) (diagnose.Config, error) {
	quiet := *rc
	quiet.io.Env.Vars = map[string]string{}
	for k, v := range rc.io.Env.Vars {
		if k != "WP403_APP_PASSWORD" && k != "WP403_PASSWORD" {
			quiet.io.Env.Vars[k] = v
		}
	}
	return baseConfig(&quiet, url, n, credentialFlags{})
}

// secretReader reads an identity's secret from the environment, or from
// the first line of a file (relative paths start at dir).
func secretReader(env Env, dir string) func(policy.Secret) (string, error) {
	return func(s policy.Secret) (string, error) {
		if s.Env != "" {
			return env.Get(s.Env), nil
		}
		p := s.File
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		v, err := secret(env, p, "")
		if err != nil {
			return "", usageError{err} // the policy names a file that cannot hold the secret
		}
		return v, nil
	}
}

// checkNotes says in words what every check that is not a plain pass
// found: which layer broke an allow rule, or still enforces a deny rule.
func checkNotes(rep *record.Report) []string {
	var out []string
	for _, c := range rep.Checks {
		if c.Verdict == record.VerdictHolds {
			continue
		}
		word := "FAIL"
		if c.Pass {
			word = "ok"
		}
		line := word + " " + string(c.Expect) + " " + c.Request.Method + " " + c.Request.Route + " as " + c.Identity + ": " + c.Detail
		if c.Finding != "" {
			line += " (see " + c.Finding + ")"
		}
		out = append(out, line)
	}
	return out
}

// renderChecks renders a report with checks; drift (a failing check) is
// exit 3, whatever the findings say.
func renderChecks(rc *runContext, rep *record.Report, o outputFlags, scrub *redact.Scrubber) error {
	return renderChecksWith(rc, rep, o, report.Options{Scrub: scrub})
}

// renderChecksWith is renderChecks with the renderer's options given (a
// retest passes the earlier report as Before).
func renderChecksWith(rc *runContext, rep *record.Report, o outputFlags, opts report.Options) error {
	if err := writeReportWith(rc, rep, o, opts); err != nil {
		return err
	}
	for _, c := range rep.Checks {
		if !c.Pass {
			return errRefusal
		}
	}
	return nil
}

// fleet runs wp403 check --targets: every site once, one JSON line each,
// exit 3 when a site fails its policy, 1 when a site could not be checked.
func (c *checkCmd) fleet(rc *runContext) error {
	switch {
	case c.Targets == "":
		return usagef("check: give a POLICY file, or --targets FILE for a fleet")
	case c.Policy != "":
		return usagef("check: give a POLICY file or --targets, not both")
	case len(c.Resolve) > 0 || c.Origin != "" || c.Write:
		return usagef("check --targets: --resolve, --origin and --write belong to each site in the targets file")
	case c.Parallel < 1 || c.Parallel > 256:
		return usagef("--parallel must be between 1 and 256")
	}
	n := c.networkFlags
	runner, err := fleetRunner(rc, fleetFlags{Insecure: n.Insecure, CACert: n.CACert, Timeout: n.Timeout,
		Concurrency: n.Concurrency, UserAgent: n.UserAgent, PerHost: c.PerHost, NoReplay: c.NoReplay})
	if err != nil {
		return err
	}
	cfg, err := exporter.LoadConfig(resolvePath(rc.io.Env, c.Targets))
	if err != nil {
		return configErr(err)
	}
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	sum, err := runner.Fleet(rc.ctx, cfg, c.Parallel, out.w)
	if err := out.finish(err); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	fmt.Fprintf(rc.io.Err, "wp403: %d sites: %d pass, %d fail, %d could not be checked\n", sum.Sites, sum.Passed, sum.Failed, sum.Errors)
	switch {
	case sum.Errors > 0:
		return fmt.Errorf("%d sites could not be checked", sum.Errors)
	case sum.Failed > 0:
		return errRefusal
	}
	return nil
}
