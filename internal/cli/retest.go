package cli

import (
	"os"
	"strings"

	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

type retestCmd struct {
	Report string `arg:"" optional:"" name:"REPORT" help:"JSON report of an earlier run (wp403 diagnose or check -f json); not with --browser."`
	browserFlags
	networkFlags
	credentialFlags
	NoReplay bool `name:"no-waf-replay" help:"Do not replay refused requests through the embedded OWASP CRS."`
	// ReportRouting is the explicit confirmation to route by the file.
	ReportRouting bool `name:"report-routing" help:"Also use the report's --origin and --resolve (they decide which address receives your credentials: check them first). Without it, routing comes from this command line only."`
	outputFlags
}

func (c *retestCmd) Run(rc *runContext) error {
	switch {
	case c.Browser != "" && c.Report != "":
		return usagef("give either REPORT or --browser URL, not both")
	case c.Browser != "":
		return c.runBrowser(rc)
	case len(c.Log) > 0 || c.LogFormat != "" || c.LogTZ != "":
		return usagef("--log, --log-format and --log-tz are used only with --browser")
	case c.Report == "":
		return usagef("retest needs REPORT (a JSON report of an earlier run) or --browser URL")
	}
	old, err := readReport(rc, c.Report)
	if err != nil {
		return err
	}
	items := policy.FailingRequests(old)
	if len(items) == 0 {
		rc.note("%s has no failing request to send again", c.Report)
		return nil
	}
	routing, unused := c.routing(old)
	base, err := baseConfig(rc, old.Target.URL, routing, c.credentialFlags)
	if err != nil {
		return err
	}
	base.Scrubber = &redact.Scrubber{}
	if !c.NoReplay {
		base.Replayer = newReplayer()
	}
	m := rc.progress()
	m.attach(&base)
	rt := policy.Retester{Base: base}
	if missing := rt.MissingCredentials(items); len(missing) > 0 {
		return usagef("%s: the failing requests were sent with credentials this run lacks: %s", c.Report, strings.Join(missing, "; "))
	}
	if unused != "" {
		rc.note("%s was made with %s; not used: routing comes from this command line (give them again, or --report-routing "+
			"after checking them: they decide where your credentials go)", c.Report, unused)
	}
	rep, err := rt.Retest(rc.ctx, items)
	m.finish()
	if err != nil {
		return mapDiagnoseErr(err)
	}
	rep.Notes = append(rep.Notes, retestNotes(rep)...)
	// HTML draws each request before (old) and after (rep), side by side.
	return renderChecksWith(rc, rep, c.outputFlags, report.Options{Scrub: base.Scrubber, Before: old})
}

// routing is where the requests go: the command line's --origin and
// --resolve only. A report file is not trusted to route: a crafted one
// would send the credentials given here to an address of its choice, and
// that server would choose the verdict. The report's values are used only
// with --report-routing; otherwise unused names them for a note.
func (c *retestCmd) routing(old *record.Report) (networkFlags, string) {
	n := c.networkFlags
	var unused []string
	if n.Origin == "" && old.Target.Origin != "" {
		if c.ReportRouting {
			n.Origin = old.Target.Origin
		} else {
			unused = append(unused, "--origin "+old.Target.Origin)
		}
	}
	if len(n.Resolve) == 0 && len(old.Target.Resolve) > 0 {
		if c.ReportRouting {
			n.Resolve = old.Target.Resolve
		} else {
			unused = append(unused, "--resolve "+strings.Join(old.Target.Resolve, " --resolve "))
		}
	}
	return n, strings.Join(unused, " ")
}

// readReport decodes a saved JSON report.
func readReport(rc *runContext, name string) (*record.Report, error) {
	path := resolvePath(rc.io.Env, name)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, usagef("%s is a directory; want a JSON report saved with --format json", name)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("%v; want a JSON report saved with --format json", err)
	}
	defer f.Close()
	rep, err := report.Decode(f)
	if err != nil {
		return nil, usagef("%s: not a wp403 report (%v); want a report saved with --format json", name, err)
	}
	return rep, nil
}

// retestNotes is one line per request: fixed, still failing, elsewhere.
func retestNotes(rep *record.Report) []string {
	out := make([]string, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		line := c.Request.String() + ": " + c.Detail
		if c.Finding != "" {
			line += " (see " + c.Finding + ")"
		}
		out = append(out, line)
	}
	return out
}
