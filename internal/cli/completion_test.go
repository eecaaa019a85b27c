package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBashCompletion runs the generated bash completion as bash would.
func TestBashCompletion(t *testing.T) {
	code, script, errs := runIn(t, "", "completion", "bash")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	file := filepath.Join(t.TempDir(), "wp403.bash")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"wp403 diag":                {"diagnose"},
		"wp403 diagnose --us":       {"--user", "--user-agent"},
		"wp403 diagnose --format ":  {"text", "json", "markdown", "html", "junit"},
		"wp403 diagnose -f j":       {"json", "junit"},
		"wp403 classify --format ":  {"text", "json"},
		"wp403 waf re":              {"replay"},
		"wp403 waf replay --body-p": {"--body-processor"},
		"wp403 demo waf-po":         {"waf-post-content"},
		"wp403 policy i":            {"init"},
		"wp403 completion ":         {"bash", "zsh", "fish"},
		"wp403 -":                   {"--help", "--quiet", "--version", "-h", "-q"},
	}
	for line, want := range cases {
		words := strings.Split(line, " ")
		sh := "source " + file + "\nCOMP_WORDS=(" + strings.Join(quoteAll(words), " ") + ")\nCOMP_CWORD=" +
			itoaExit(len(words)-1) + "\n_wp403\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := exec.Command("bash", "-c", sh).CombinedOutput()
		got := strings.Fields(string(out))
		if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q: got %q, want %q (%v)", line, got, want, err)
		}
	}
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = shq(w)
	}
	return out
}

// TestCompletionAndManCoverEveryFlag: the zsh and fish scripts and the
// man page name every command and flag of the tree; the man page has no
// roff warnings.
func TestCompletionAndManCoverEveryFlag(t *testing.T) {
	cmds, err := specs()
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, args := range [][]string{{"completion", "zsh"}, {"completion", "fish"}, {"man"}} {
		code, out, errs := runIn(t, "", args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		outputs[strings.Join(args, " ")] = out
	}
	unroff := strings.NewReplacer(`\-`, "-", `\fB`, "", `\fR`, "", `\fI`, "").Replace(outputs["man"])
	for _, c := range cmds {
		if c.path != "" && !strings.Contains(unroff, "wp403 "+c.path) && len(c.flags) > 0 {
			t.Errorf("man page lacks command %q", c.path)
		}
		for _, f := range c.flags {
			if !strings.Contains(unroff, "--"+f.long) {
				t.Errorf("man page lacks %s --%s", c.path, f.long)
			}
			if !strings.Contains(outputs["completion fish"], " -l "+f.long+" ") {
				t.Errorf("fish completion lacks %s --%s", c.path, f.long)
			}
			if !strings.Contains(outputs["completion zsh"], "--"+f.long) {
				t.Errorf("zsh completion lacks %s --%s", c.path, f.long)
			}
		}
	}
	if _, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
		cmd.Stdin = strings.NewReader(outputs["man"])
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff: %v %s", err, out)
		}
	}
	cmd := exec.Command("bash", "-n")
	cmd.Stdin = strings.NewReader(outputs["completion zsh"])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("zsh completion (bash syntax after bashcompinit): %v %s", err, out)
	}
}
