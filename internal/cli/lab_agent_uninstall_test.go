package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/agent"
	"github.com/wp403/wp403/internal/labkit/labtest"
)

// TestLabAgentUninstallPurges: after signed requests (each leaves a
// wp403_agent_rid_* option), `agent uninstall URL --agent-key-file`
// purges them, removes the plugin and says that the wp-config define
// remains; without a URL it says what it could not purge.
func TestLabAgentUninstallPurges(t *testing.T) {
	lab := labtest.Acquire(t)
	ctx := context.Background()
	t.Cleanup(func() { _ = lab.Switch(ctx, "healthy") }) // puts the agent back
	if err := lab.Switch(ctx, "healthy"); err != nil {
		t.Fatal(err)
	}
	site := []string{"https://" + lab.Host + "/", "--resolve", lab.Host + ":443:" + lab.Edge, "--cacert", lab.CA}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(ctx, Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, args)
		return code, out.String(), errb.String()
	}
	for i := 0; i < 3; i++ {
		if code, _, errs := run(append([]string{"agent", "status", "--agent-key-file", lab.AgentKeyPath()}, site...)...); code != ExitOK {
			t.Fatalf("agent status: exit %d: %s", code, errs)
		}
	}
	if n, err := lab.Options(ctx, "wp403_agent_rid_"); err != nil || n < 3 {
		t.Fatalf("after 3 signed requests: %d request-id options (%v), want at least 3", n, err)
	}
	mu := "/var/lib/wordpress/wp-content/mu-plugins"
	code, out, errs := run(append([]string{"agent", "uninstall", "--wp-path", "/usr/share/wordpress", "--agent-key-file", lab.AgentKeyPath()}, site...)...)
	if code != ExitOK {
		t.Fatalf("agent uninstall: exit %d: %s", code, errs)
	}
	if n, err := lab.Options(ctx, "wp403_agent_"); err != nil || n > 1 {
		t.Errorf("after uninstall: %d wp403_agent_ options left (%v), want at most the purge's own id:\n%s", n, err, out)
	}
	if _, err := os.Stat(filepath.Join(mu, agent.FileName)); err == nil {
		t.Errorf("the plugin file is still there")
	}
	for _, w := range []string{"purged ", "removed " + filepath.Join(mu, agent.FileName), "remains: the WP403_AGENT_KEY line in wp-config.php"} {
		if !strings.Contains(out, w) {
			t.Errorf("uninstall output lacks %q:\n%s", w, out)
		}
	}
	// Without the URL nothing can be purged: it says so and how.
	if _, err := agent.Install(mu); err != nil {
		t.Fatal(err)
	}
	if code, out, errs = run("agent", "uninstall", "--wp-path", "/usr/share/wordpress"); code != ExitOK || !strings.Contains(out, "not purged") ||
		!strings.Contains(out, "DELETE FROM `wp_options` WHERE option_name LIKE 'wp403\\_agent\\_%';") {
		t.Errorf("uninstall without URL: exit %d %s:\n%s", code, errs, out)
	}
}
