package cli

import (
	"fmt"

	"github.com/wp403/wp403/internal/agent"
	"github.com/wp403/wp403/internal/diagnose"
)

// agentJournalCmd fetches the agent's refusal journal (signed) and renders
// it grouped, like `wp403 logs`.
type agentJournalCmd struct {
	URL string `arg:"" name:"URL" help:"The site."`
	networkFlags
	AgentKeyFile string `name:"agent-key-file" placeholder:"FILE" help:"File holding the agent key (or set WP403_AGENT_KEY)."`
	Format       string `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json" help:"Output format: text or json (default: from the -o extension, else text)."`
	Output       string `short:"o" name:"output" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
	Top          int    `name:"top" default:"40" help:"Text format: show the N largest groups (0: all)."`
}

// journalOutput is the JSON form of `wp403 agent journal`.
type journalOutput struct {
	Schema string `json:"schema"`
	*agent.Journal
	Groups []agent.JournalGroup `json:"groups"`
}

func (c *agentJournalCmd) Run(rc *runContext) error {
	format, err := pickFormat(c.Format, c.Output, dataFormats)
	if err != nil {
		return err
	}
	cfg, err := baseConfig(rc, c.URL, c.networkFlags, credentialFlags{})
	if err != nil {
		return err
	}
	if cfg.AgentKey, err = agentKey(rc.io.Env, c.AgentKeyFile); err != nil {
		return err
	}
	body, o, err := diagnose.AgentAction(rc.ctx, cfg, "journal")
	if err != nil {
		return mapDiagnoseErr(err)
	}
	j, err := agent.ParseJournal(body, cfg.AgentKey, o.RequestID)
	if err != nil {
		return fmt.Errorf("%w at %s (%s): %v", errNoAgent, o.Request.URL, statusWords(o), err)
	}
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	if format == "json" {
		err = writeJSON(out.w, journalOutput{Schema: "wp403.agent-journal/v1", Journal: j, Groups: j.Groups()})
	} else {
		err = j.WriteText(out.text(), c.Top)
	}
	if err := out.finish(err); err != nil {
		return err
	}
	if len(j.Entries) > 0 {
		return errRefusal
	}
	return nil
}
