package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wp403/wp403/internal/agent"
	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// agentCmd manages the wp403 agent, the mu-plugin that names the callback
// that refused a request from inside WordPress.
type agentCmd struct {
	Install   agentInstallCmd   `cmd:"" help:"Write the agent mu-plugin into a WordPress and print the wp-config.php line with a new random key."`
	Print     agentPrintCmd     `cmd:"" help:"Write the agent mu-plugin (PHP) to stdout, to upload by hand as wp-content/mu-plugins/0-wp403-agent.php."`
	Uninstall agentUninstallCmd `cmd:"" help:"Purge what the agent stored in the database (with URL), remove the mu-plugin, and say what remains."`
	Status    agentStatusCmd    `cmd:"" help:"Send one signed request: is the agent installed, and does the key match?"`
	Journal   agentJournalCmd   `cmd:"" help:"Fetch the agent's refusal journal (signed) and show it grouped by route, code and callback."`
}

// wpPathFlags locate the mu-plugins folder.
type wpPathFlags struct {
	WPPath       string `name:"wp-path" required:"" placeholder:"DIR" help:"The WordPress folder (where wp-settings.php is)."`
	MuPluginsDir string `name:"mu-plugins-dir" placeholder:"DIR" help:"The mu-plugins folder, when it is not found from wp-config.php."`
	EtcDir       string `name:"etc-dir" hidden:"" default:"/etc/wordpress" help:"Debian's WordPress configuration folder."`
}

func (f wpPathFlags) dir(env Env) (string, error) {
	if f.MuPluginsDir != "" {
		return resolvePath(env, f.MuPluginsDir), nil
	}
	dir, err := agent.MuPluginsDir(resolvePath(env, f.WPPath), f.EtcDir)
	if err != nil {
		return "", usagef("%v", err)
	}
	return dir, nil
}

type agentInstallCmd struct {
	wpPathFlags
	KeyFile string `name:"key-file" placeholder:"FILE" help:"Also write the key to FILE (mode 0600) for diagnose --agent-key-file."`
}

func (c *agentInstallCmd) Run(rc *runContext) error {
	dir, err := c.dir(rc.io.Env)
	if err != nil {
		return err
	}
	key, err := agent.NewKey()
	if err != nil {
		return err
	}
	path, err := agent.Install(dir)
	if err != nil {
		return fmt.Errorf("install the agent: %w", err)
	}
	if c.KeyFile != "" {
		if err := writePrivate(resolvePath(rc.io.Env, c.KeyFile), []byte(key+"\n")); err != nil {
			return fmt.Errorf("--key-file: %w", err)
		}
	}
	fmt.Fprintf(rc.io.Err, "wp403: wrote %s\nwp403: add this line to wp-config.php (Debian: /etc/wordpress/config-HOST.php), above the require of wp-settings.php; the agent stays inert until it is there and a request is signed with the key:\n", path)
	_, err = fmt.Fprintln(rc.io.Out, agent.ConfigLine(key))
	return err
}

type agentPrintCmd struct{}

func (agentPrintCmd) Run(rc *runContext) error {
	_, err := rc.io.Out.Write(agent.Plugin)
	return err
}

type agentUninstallCmd struct {
	wpPathFlags
	URL string `arg:"" optional:"" name:"URL" help:"The site: first ask the agent (signed) to delete what it stored in the database (request ids, journal)."`
	networkFlags
	AgentKeyFile string `name:"agent-key-file" placeholder:"FILE" help:"File holding the agent key (or set WP403_AGENT_KEY), to sign the purge."`
}

func (c *agentUninstallCmd) Run(rc *runContext) error {
	dir, err := c.dir(rc.io.Env)
	if err != nil {
		return err
	}
	purged, err := c.purge(rc)
	if err != nil {
		return err
	}
	removed, err := agent.Uninstall(dir)
	if err != nil {
		return fmt.Errorf("uninstall the agent: %w", err)
	}
	path := filepath.Join(dir, agent.FileName)
	if removed {
		fmt.Fprintf(rc.io.Out, "removed %s\n", path)
	} else {
		fmt.Fprintf(rc.io.Out, "%s was not there\n", path)
	}
	if !purged {
		fmt.Fprintf(rc.io.Out, "not purged: the agent's rows in the database (options named wp403_agent_*: one request id per signed request, for at most 10 minutes, and the journal); "+
			"give the site's URL and --agent-key-file before removing the plugin, or delete them with SQL:\n  %s\n", agent.PurgeSQL(c.tablePrefix(rc)))
	}
	_, err = fmt.Fprintf(rc.io.Out, "remains: the %s line in wp-config.php (Debian: /etc/wordpress/config-HOST.php); delete it by hand\n", agent.KeyConstant)
	return err
}

// purge asks the agent to delete what it stored, when a URL is given; it
// reports whether that happened.
func (c *agentUninstallCmd) purge(rc *runContext) (bool, error) {
	if c.URL == "" {
		return false, nil
	}
	cfg, err := baseConfig(rc, c.URL, c.networkFlags, credentialFlags{})
	if err != nil {
		return false, err
	}
	if cfg.AgentKey, err = agentKey(rc.io.Env, c.AgentKeyFile); err != nil {
		return false, err
	}
	body, o, err := diagnose.AgentAction(rc.ctx, cfg, "purge")
	if err != nil {
		return false, mapDiagnoseErr(err)
	}
	a, err := agent.ParsePurge(body, cfg.AgentKey, o.RequestID)
	if err != nil {
		return false, fmt.Errorf("purge at %s (%s): %w; nothing was removed", o.Request.URL, statusWords(o), err)
	}
	fmt.Fprintf(rc.io.Out, "purged %d row(s) the agent stored in the database (wp403_agent_* options)\n", a.Purged)
	return true, nil
}

// tablePrefix reads $table_prefix from the WordPress config, for the SQL hint.
func (c *agentUninstallCmd) tablePrefix(rc *runContext) string {
	if c.WPPath == "" {
		return "wp_"
	}
	return agent.TablePrefix(resolvePath(rc.io.Env, c.WPPath), c.EtcDir)
}

type agentStatusCmd struct {
	URL string `arg:"" name:"URL" help:"The site."`
	networkFlags
	AgentKeyFile string `name:"agent-key-file" placeholder:"FILE" help:"File holding the agent key (or set WP403_AGENT_KEY)."`
}

// errNoAgent is the status answer when no valid trace came back.
var errNoAgent = errors.New("no agent answered")

func (c *agentStatusCmd) Run(rc *runContext) error {
	cfg, err := baseConfig(rc, c.URL, c.networkFlags, credentialFlags{})
	if err != nil {
		return err
	}
	if cfg.AgentKey, err = agentKey(rc.io.Env, c.AgentKeyFile); err != nil {
		return err
	}
	o, err := diagnose.AgentStatus(rc.ctx, cfg)
	if err != nil {
		return mapDiagnoseErr(err)
	}
	if o.Agent == nil {
		return fmt.Errorf("%w at %s (%s): %s", errNoAgent, o.Request.URL, statusWords(o), o.AgentNote)
	}
	_, err = fmt.Fprintf(rc.io.Out, "agent %s answered at %s: installed, the key matches (WordPress %s, HTTP %d)\n",
		o.Agent.Agent, o.Request.URL, o.Agent.WP, o.Status())
	return err
}

func statusWords(o record.Observation) string {
	if o.Response == nil {
		return "no response: " + o.Error
	}
	return fmt.Sprintf("HTTP %d", o.Status())
}

// agentKey reads the agent key from a file or WP403_AGENT_KEY; none is fine.
func agentKey(env Env, file string) ([]byte, error) {
	raw, err := secret(env, file, "WP403_AGENT_KEY")
	if err != nil {
		return nil, usagef("--agent-key-file: %v", err)
	}
	if raw == "" {
		return nil, nil
	}
	key, err := agent.ParseKey([]byte(raw))
	if err != nil {
		return nil, usagef("--agent-key-file: %v", err)
	}
	return key, nil
}

// writePrivate writes a new file readable by its owner only; it refuses
// to overwrite one.
func writePrivate(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
