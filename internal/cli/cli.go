package cli

import (
	"context"
	"fmt"
	"github.com/wp403/wp403/internal/report"
	"io"
	"strings"

	"github.com/alecthomas/kong"
)

// root is the command tree. Each subcommand is a struct with a
// Run(*runContext) error method, in its own file.
type root struct {
	VersionFlag kong.VersionFlag `name:"version" help:"Print the version, VCS revision and Go version, and exit."`
	Quiet       bool             `short:"q" name:"quiet" help:"Print nothing on standard error but errors and warnings: no progress, no notes."`
	Version     versionCmd       `cmd:"" help:"Print the version, VCS revision and Go version."`
	Diagnose    diagnoseCmd      `cmd:"" help:"Find which layer refused a WordPress REST request, from the edge and the origin."`
	Demo        demoCmd          `cmd:"" help:"Replay a captured lab scenario in-process and print a real report (no site needed)."`
	Report      reportCmd        `cmd:"" help:"Re-render a saved JSON report as text, json, markdown, html or junit."`
	WAF         wafCmd           `cmd:"" name:"waf" help:"Replay requests through an in-process WAF (Coraza + OWASP CRS)."`
	Classify    classifyCmd      `cmd:"" help:"Say which layer wrote one saved response (curl -i, curl -v or HAR) and whether it is a refusal (exit 3)."`
	Signatures  signaturesCmd    `cmd:"" help:"List the signature database."`
	HAR         harCmd           `cmd:"" name:"har" help:"Read a browser HAR export: what the editor was doing, which REST request failed first and which layer refused it (exit 3)."`
	Logs        logsCmd          `cmd:"" help:"Read server, WAF and CDN logs and list refused REST requests by route, rule and client (exit 3)."`
	Policy      policyCmd        `cmd:"" help:"Write a REST access policy from what holds now on a site (policy init)."`
	Check       checkCmd         `cmd:"" help:"Run a REST access policy: exit 0 when the site matches, 3 on drift, each violation diagnosed to its layer."`
	Retest      retestCmd        `cmd:"" help:"Send the failing requests of an earlier JSON report again: fixed, still failing at the same layer, or failing elsewhere (exit 3)."`
	Diff        diffCmd          `cmd:"" help:"Compare two JSON reports: findings that appeared, disappeared or moved layer, statuses that flipped (exit 3 when B is worse)."`
	Completion  completionCmd    `cmd:"" help:"Print a shell completion script for bash, zsh or fish."`
	Man         manCmd           `cmd:"" help:"Print the manual page (roff): wp403 man > wp403.1 && man ./wp403.1"`
	Exporter    exporterCmd      `cmd:"" help:"Serve a Prometheus exporter (multi-target): /probe?target=NAME runs one configured site's policy or the default plan."`
	Agent       agentCmd         `cmd:"" help:"The wp403 agent, a mu-plugin that names the WordPress callback that refused (install, print, uninstall, status)."`
}

// description is the program's one-line description (help, man page).
const description = "Find which layer refused a WordPress REST API request, why, and the narrowest fix."

// runContext is what every subcommand's Run receives.
type runContext struct {
	ctx   context.Context
	io    IO
	args  []string
	quiet bool
}

// note prints an informational line on standard error, unless --quiet.
func (rc *runContext) note(format string, a ...any) {
	if !rc.quiet {
		io.WriteString(rc.io.Err, report.EscapeControl(fmt.Sprintf("wp403: "+format, a...))+"\n")
	}
}

// warn prints a warning on standard error, even with --quiet.
func (rc *runContext) warn(format string, a ...any) {
	io.WriteString(rc.io.Err, report.EscapeControl(fmt.Sprintf("wp403: warning: "+format, a...))+"\n")
}

// Run is the whole program: it parses args, runs one subcommand and
// returns the exit code. main only wires the real process into it.
func Run(ctx context.Context, env Env, stdin io.Reader, stdout, stderr io.Writer, args []string) int {
	streams := IO{In: stdin, Out: stdout, Err: stderr, Env: env}
	var cli root
	exited := -1
	parser, err := kong.New(&cli, append(parserOptions(),
		kong.Name("wp403"),
		kong.Description(description),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { exited = c }),
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"version": strings.TrimSuffix(versionText(), "\n")},
	)...)
	if err != nil {
		fmt.Fprintf(stderr, "wp403: %v\n", err)
		return ExitError
	}
	kctx, err := parser.Parse(args)
	if exited >= 0 {
		return exited // --help was printed
	}
	if err != nil {
		fmt.Fprintf(stderr, "wp403: %s\n", report.EscapeControl(err.Error())) // kong quotes the arguments
		return ExitUsage
	}
	err = kctx.Run(&runContext{ctx: ctx, io: streams, args: args, quiet: cli.Quiet})
	code := exitCode(err)
	if err != nil && code != ExitRefusal {
		fmt.Fprintf(stderr, "wp403: %s\n", report.EscapeControl(err.Error())) // errors quote files and servers
	}
	return code
}
