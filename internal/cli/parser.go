package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/report"
)

// parserOptions are the kong options every parser of wp403 shares (the
// root command and the demo's re-parse of a capture's arguments).
func parserOptions() []kong.Option {
	return []kong.Option{kong.PostBuild(wholeValues), formatVars}
}

// formatVars are report's output formats for the flags' help and
// completion (${report_formats}, ${report_formats_text}).
var formatVars = kong.Vars{
	"report_formats":      strings.Join(report.Formats, ","),
	"report_formats_text": strings.Join(report.Formats[:len(report.Formats)-1], ", ") + " or " + report.Formats[len(report.Formats)-1],
}

// wholeValues turns off kong's comma splitting for every repeatable flag
// and argument: curl takes -H 'Accept: a, b' and --resolve h:p:a1,a2
// whole, and so must wp403. Each occurrence of a flag is one value.
func wholeValues(k *kong.Kong) error {
	return kong.Visit(k.Model, func(n kong.Visitable, next kong.Next) error {
		switch v := n.(type) {
		case *kong.Flag:
			noSep(v.Value)
		case *kong.Value:
			noSep(v)
		}
		return next(nil)
	})
}

func noSep(v *kong.Value) {
	if v != nil && v.Tag != nil {
		v.Tag.Sep = -1
		v.Tag.MapSep = -1
	}
}

// version is the release name; -ldflags "-X …/internal/cli.version=1.2.3"
// overrides it.
var version = "0.1.0-dev"

// revision is the VCS revision given at link time (make build), for
// builds where Go could not record it (git worktrees, exported trees).
var revision = ""

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// versionText is what `wp403 version` and `wp403 --version` print: the
// release, the module version, the VCS revision the binary was built
// from and the Go toolchain, as recorded in the binary.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wp403 %s (report schema %s)\n", version, record.SchemaVersion)
	mod, rev, modified, goVer := "unknown", "unknown (built without VCS information)", false, runtime.Version()
	when := ""
	if revision != "" {
		rev = revision
	}
	if bi, ok := readBuildInfo(); ok {
		mod = bi.Main.Path + " " + bi.Main.Version
		if bi.GoVersion != "" {
			goVer = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if modified {
		rev += " (with uncommitted changes)"
	}
	if when != "" {
		rev += " " + when
	}
	fmt.Fprintf(&b, "  module    %s\n  revision  %s\n  go        %s %s/%s\n", strings.TrimSpace(mod), rev, goVer, runtime.GOOS, runtime.GOARCH)
	return b.String()
}

type versionCmd struct{}

func (versionCmd) Run(rc *runContext) error {
	_, err := io.WriteString(rc.io.Out, versionText())
	return err
}

// Help is the detail 'wp403 --help' prints under the description.
func (root) Help() string {
	return "Start with 'wp403 demo' (a real diagnosis replayed from the lab, no site needed). " +
		"Exit codes: 0 no refusal found, 3 refusal diagnosed (or policy drift), 2 usage error, " +
		"1 the site could not be diagnosed or another error, 130 interrupted."
}

// interpolate fills formatVars into a tag kong does not interpolate itself
// (complete:).
func interpolate(s string) string {
	for k, v := range formatVars {
		s = strings.ReplaceAll(s, "${"+k+"}", v)
	}
	return s
}
