package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/wp403/wp403/internal/demo"
)

// TestNewcomerWalk follows the README as a newcomer would, with the real
// binary: build it, run the demo and 'demo list', ask every command the
// README and docs name for --help, parse every documented example, and
// check every flag the README mentions exists.
func TestNewcomerWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "wp403")
	build := exec.Command("go", "build", "-o", bin, "./cmd/wp403")
	build.Dir = filepath.Join("..", "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/wp403: %v\n%s", err, out)
	}
	readme := readDoc(t, "README.md")

	out := runBin(t, bin, 0, "demo")
	if !strings.Contains(out, "BLOCK") || !strings.Contains(out, "941180") {
		t.Errorf("wp403 demo does not show the WAF diagnosis:\n%s", out)
	}
	list := strings.Split(strings.TrimSpace(runBin(t, bin, 0, "demo", "list")), "\n")
	if len(list) != len(demo.Names()) || !strings.Contains(readme, "the "+strconv.Itoa(len(list))+" recorded lab scenarios") {
		t.Errorf("demo list has %d lines; the README must say 'the %d recorded lab scenarios'", len(list), len(list))
	}
	runBin(t, bin, 0, "--version")
	runBin(t, bin, 0, "version")

	paths := commandPaths(t)
	for _, span := range docSpans(t) {
		args := strings.Fields(span)[1:]
		path := longestPath(paths, args)
		if path == "" {
			continue // `wp403 0.1.0` in the schema: a version, not a command
		}
		runBin(t, bin, 0, append(strings.Fields(path), "--help")...)
		if !regexp.MustCompile(`[A-Z]{2,}|\||…|\[`).MatchString(span) {
			// A fragment (`wp403 diagnose --format json`) may leave out the
			// positional arguments; its flags must still exist and parse.
			if err := parseOnly(args); err != nil && !strings.HasPrefix(err.Error(), `expected "<`) {
				t.Errorf("documented example `%s`: %v", span, err)
			}
		}
	}
	for _, f := range regexp.MustCompile("`(--[a-z][a-z0-9-]*)").FindAllStringSubmatch(readme, -1) {
		if !flagExists(t, f[1]) {
			t.Errorf("the README mentions %s, which no command has", f[1])
		}
	}
}

func runBin(t *testing.T, bin string, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Errorf("wp403 %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, errb.String())
	}
	return out.String()
}

func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// docSpans are the inline `wp403 …` code spans of the README and docs.
func docSpans(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	var out []string
	for _, f := range append(files, filepath.Join("..", "..", "README.md")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile("`(wp403 [^`]+)`").FindAllStringSubmatch(string(b), -1) {
			out = append(out, strings.ReplaceAll(m[1], `\|`, "|"))
		}
	}
	if len(out) < 10 {
		t.Fatalf("found %d wp403 code spans", len(out))
	}
	return out
}

func model(t *testing.T) *kong.Kong {
	var cli root
	k, err := kong.New(&cli, append(parserOptions(), kong.Exit(func(int) {}), kong.Writers(io.Discard, io.Discard))...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// commandPaths lists every command path: "diagnose", "waf replay", …
func commandPaths(t *testing.T) map[string]bool {
	out := map[string]bool{}
	_ = kong.Visit(model(t).Model, func(n kong.Visitable, next kong.Next) error {
		if node, ok := n.(*kong.Node); ok && node.Type == kong.CommandNode {
			out[node.Path()] = true
		}
		return next(nil)
	})
	return out
}

func longestPath(paths map[string]bool, args []string) string {
	best := ""
	for i := 1; i <= len(args); i++ {
		if p := strings.Join(args[:i], " "); paths[p] {
			best = p
		}
	}
	return best
}

func flagExists(t *testing.T, name string) bool {
	found := false
	_ = kong.Visit(model(t).Model, func(n kong.Visitable, next kong.Next) error {
		if f, ok := n.(*kong.Flag); ok && "--"+f.Name == name {
			found = true
		}
		return next(nil)
	})
	return found
}
