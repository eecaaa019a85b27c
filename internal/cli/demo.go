package cli

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/wp403/wp403/internal/demo"
)

type demoCmd struct {
	Scenario string `arg:"" optional:"" name:"SCENARIO" help:"A captured lab scenario (default: the WAF refusing an editor save); 'list' lists them."`
	outputFlags
}

// Run replays a capture through the full diagnosis: the same code path as
// a live run, with the network answered from recorded real responses.
func (c *demoCmd) Run(rc *runContext) error {
	name := c.Scenario
	if name == "" {
		name = demo.Default
	}
	if name == "list" {
		_, err := fmt.Fprintln(rc.io.Out, strings.Join(demo.Names(), "\n"))
		return err
	}
	capt, err := demo.Load(name)
	if err != nil {
		return usagef("%v", err)
	}
	var cmd diagnoseCmd
	parser, err := kong.New(&cmd, kong.Exit(func(int) {}))
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
		fmt.Fprintf(rc.io.Err, "wp403: demo: replaying the lab scenario %q (recorded real responses, no network)\n", name)
	}
	return cmd.Run(&sub)
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
