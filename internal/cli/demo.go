package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/alecthomas/kong"

	"github.com/wp403/wp403/internal/demo"
)

// demoCmd exits 0 when the demonstration ran, whatever the replayed site
// did; 'wp403 diagnose' on a real site exits 3 on a refusal.
type demoCmd struct {
	Scenario string `arg:"" optional:"" name:"SCENARIO" help:"A captured lab scenario (default: the WAF refusing an editor save); 'list' lists them."`
	outputFlags
}

// Help is the detail 'wp403 demo --help' prints.
func (demoCmd) Help() string {
	return "'wp403 demo list' lists the recorded lab scenarios with one line each. " +
		"The demo exits 0 when the demonstration ran, even though the replayed site refused requests; " +
		"'wp403 diagnose' on a real site exits 3 when it finds a refusal."
}

// Run replays a capture through the full diagnosis: the same code path as
// a live run, with the network answered from recorded real responses.
func (c *demoCmd) Run(rc *runContext) error {
	name := c.Scenario
	if name == "" {
		name = demo.Default
	}
	if name == "list" {
		return listScenarios(rc)
	}
	capt, err := demo.Load(name)
	if err != nil {
		return usagef("%v", err)
	}
	var cmd diagnoseCmd
	parser, err := kong.New(&cmd, append(parserOptions(), kong.Exit(func(int) {}))...)
	if err != nil {
		return err
	}
	args := capt.Args
	if len(args) > 0 && args[0] == "diagnose" {
		args = args[1:]
	}
	if _, err := parser.Parse(args); err != nil {
		return fmt.Errorf("embedded capture %s has unusable arguments: %w", name, err)
	}
	cmd.replayCap, cmd.outputFlags, cmd.Record = capt, c.outputFlags, ""
	sub := *rc
	sub.io.Env = demoEnv(rc.io.Env, capt.Secrets)
	if sub.io.Env.StderrTTY {
		rc.note("demo: replaying the lab scenario %q (recorded real responses, no network)", name)
	}
	// A demonstration that ran is a success: exit 0 even though the
	// replayed site refused requests (diagnose itself exits 3 then).
	err = cmd.Run(&sub)
	var pe problemError
	if errors.Is(err, errRefusal) || errors.As(err, &pe) {
		return nil
	}
	return err
}

// listScenarios prints one line per embedded scenario: its name and what
// the lab broke in it.
func listScenarios(rc *runContext) error {
	tw := tabwriter.NewWriter(rc.io.Out, 0, 4, 2, ' ', 0)
	for _, n := range demo.Names() {
		fmt.Fprintf(tw, "%s\t%s\n", n, demo.Describe(n))
	}
	return tw.Flush()
}

// demoEnv supplies placeholder secrets for the kinds the capture used.
func demoEnv(env Env, secrets []string) Env {
	vars := map[string]string{}
	for k, v := range env.Vars {
		vars[k] = v
	}
	for _, s := range secrets {
		switch s {
		case "app-password":
			vars["WP403_APP_PASSWORD"] = "demo demo demo demo demo demo"
		case "password":
			vars["WP403_PASSWORD"] = "demo-password"
		}
	}
	env.Vars = vars
	return env
}
