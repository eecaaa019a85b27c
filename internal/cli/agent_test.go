package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/agent"
)

func runAgentCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, args)
	return code, out.String(), errb.String()
}

// TestAgentInstallPrintUninstall: install writes the embedded plugin where
// wp-config.php puts mu-plugins and prints one wp-config line with a new
// key; print writes the plugin; uninstall removes it.
func TestAgentInstallPrintUninstall(t *testing.T) {
	root := t.TempDir()
	wp, content := filepath.Join(root, "wp"), filepath.Join(root, "content")
	if err := os.MkdirAll(wp, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(wp, "wp-settings.php"), nil, 0o644)
	os.WriteFile(filepath.Join(wp, "wp-config.php"), []byte("<?php define( 'WP_CONTENT_DIR', '"+content+"' );\n"), 0o644)
	keyFile := filepath.Join(root, "agent.key")
	code, out, errText := runAgentCLI("agent", "install", "--wp-path", wp, "--key-file", keyFile, "--etc-dir", root)
	if code != ExitOK {
		t.Fatalf("install: exit %d: %s", code, errText)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "define('WP403_AGENT_KEY', '") {
		t.Fatalf("install printed %q", out)
	}
	key, err := agent.ParseKey([]byte(lines[0]))
	if err != nil || len(key) < agent.MinKeyLen {
		t.Fatalf("printed key: %v", err)
	}
	if saved, _ := os.ReadFile(keyFile); strings.TrimSpace(string(saved)) != string(key) {
		t.Fatal("--key-file does not hold the printed key")
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi.Mode(), err)
	}
	installed, err := os.ReadFile(filepath.Join(content, "mu-plugins", agent.FileName))
	if err != nil || !bytes.Equal(installed, agent.Plugin) {
		t.Fatalf("plugin not installed under WP_CONTENT_DIR: %v", err)
	}
	if code, out, _ := runAgentCLI("agent", "print"); code != ExitOK || out != string(agent.Plugin) {
		t.Fatal("print does not write the plugin")
	}
	if code, _, errText := runAgentCLI("agent", "uninstall", "--wp-path", wp, "--etc-dir", root); code != ExitOK {
		t.Fatalf("uninstall: %s", errText)
	}
	if _, err := os.Stat(filepath.Join(content, "mu-plugins", agent.FileName)); !os.IsNotExist(err) {
		t.Fatal("uninstall left the plugin")
	}
	if code, _, _ := runAgentCLI("agent", "install", "--wp-path", root); code != ExitUsage {
		t.Fatalf("install into a folder without WordPress: exit %d, want %d", code, ExitUsage)
	}
}

// TestAgentKeyBad: a short key is a usage error.
func TestAgentKeyBad(t *testing.T) {
	var out, errb bytes.Buffer
	env := Env{Vars: map[string]string{"WP403_AGENT_KEY": "short"}}
	code := Run(context.Background(), env, strings.NewReader(""), &out, &errb, []string{"agent", "status", "https://example.invalid/"})
	if code != ExitUsage || !strings.Contains(errb.String(), "agent key") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
