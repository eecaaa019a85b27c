package cli

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// docFiles are the documents whose shell blocks a newcomer pastes.
var docFiles = []string{"README.md", "CONTRIBUTING.md", "lab/README.md", "docs/*.md"}

// shellBlock is one fenced ```sh block of a document.
type shellBlock struct {
	file string
	line int
	text string
}

func docBlocks(t *testing.T) []shellBlock {
	t.Helper()
	var out []shellBlock
	for _, pattern := range docFiles {
		files, err := filepath.Glob(filepath.Join("..", "..", pattern))
		if err != nil || len(files) == 0 {
			t.Fatalf("no document matches %s", pattern)
		}
		for _, f := range files {
			out = append(out, blocksOf(t, f)...)
		}
	}
	return out
}

func blocksOf(t *testing.T, file string) []shellBlock {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []shellBlock
	var cur *shellBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && regexp.MustCompile("^```(sh|bash|shell|console)\\s*$").MatchString(line):
			cur = &shellBlock{file: strings.TrimPrefix(file, "../../"), line: n + 1}
		case cur != nil && strings.HasPrefix(line, "```"):
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return out
}

// TestDocShellBlocks: every shell block of the README and docs runs as
// pasted. It parses (bash -n); no line continues into a comment (`\   #
// comment` ends the command there); every wp403 command line in it parses
// with wp403's own flag definitions; every make target exists.
func TestDocShellBlocks(t *testing.T) {
	blocks := docBlocks(t)
	if len(blocks) < 3 {
		t.Fatalf("found %d shell blocks", len(blocks))
	}
	commands := 0
	for _, b := range blocks {
		where := b.file + ":" + strconv.Itoa(b.line)
		cmd := exec.Command("bash", "-n")
		cmd.Stdin = strings.NewReader(b.text)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: bash -n: %v %s", where, err, out)
		}
		if regexp.MustCompile(`(?m)\\[ \t]+(#.*)?$`).MatchString(b.text) {
			t.Errorf("%s: a line ends with '\\ ' or '\\  # comment': the shell ends the command there", where)
		}
		for _, c := range shellCommands(b.text) {
			if strings.HasPrefix(c[0], "-") {
				t.Errorf("%s: a command starts with the flag %s: the line before does not continue", where, c[0])
			}
			if args, ok := wp403Args(c); ok {
				commands++
				if err := parseOnly(args); err != nil {
					t.Errorf("%s: wp403 %s: %v", where, strings.Join(args, " "), err)
				}
			}
			if c[0] == "make" && len(c) > 1 && !makeTarget(t, c[1]) {
				t.Errorf("%s: make %s: no such target in the Makefile", where, c[1])
			}
		}
	}
	if commands < 3 {
		t.Errorf("only %d wp403 commands found in the documents' shell blocks", commands)
	}
}

// parseOnly parses args with the real command tree without running them.
func parseOnly(args []string) error {
	var cli root
	p, err := kong.New(&cli, append(parserOptions(), kong.Writers(io.Discard, io.Discard), kong.Exit(func(int) {}),
		kong.Vars{"version": "test"})...)
	if err != nil {
		return err
	}
	_, err = p.Parse(args)
	return err
}

// wp403Args returns the arguments of a wp403 command line: `wp403 …`,
// `bin/wp403 …` or `go run ./cmd/wp403 …`.
func wp403Args(words []string) ([]string, bool) {
	switch {
	case len(words) >= 1 && (words[0] == "wp403" || strings.HasSuffix(words[0], "/wp403")):
		return words[1:], true
	case len(words) >= 3 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/wp403":
		return words[3:], true
	}
	return nil, false
}

func makeTarget(t *testing.T, name string) bool {
	data, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:`).Match(data)
}

// shellCommands splits a block into simple commands (continuations joined,
// comments dropped, split at | && || ;), each as its words, without
// redirections and leading VAR=value assignments.
func shellCommands(text string) [][]string {
	joined := regexp.MustCompile(`\\\n`).ReplaceAllString(text, " ")
	var out [][]string
	for _, line := range strings.Split(joined, "\n") {
		var cur []string
		flush := func() {
			for len(cur) > 0 && regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`).MatchString(cur[0]) {
				cur = cur[1:]
			}
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
		}
		words := shellWords(line)
		for i := 0; i < len(words); i++ {
			w := words[i]
			switch {
			case w == "|" || w == "&&" || w == "||" || w == ";":
				flush()
			case regexp.MustCompile(`^[0-9]*[<>]+&?$`).MatchString(w):
				i++ // the redirection's target
			case regexp.MustCompile(`^[0-9]*[<>]`).MatchString(w):
			default:
				cur = append(cur, w)
			}
		}
		flush()
	}
	return out
}

// shellWords splits one line into words: quotes removed, a # that starts
// a word ends the line, operators are their own words.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	end := func() {
		if inWord {
			words = append(words, w.String())
		}
		w.Reset()
		inWord = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\' && i+1 < len(rs):
			i++
			w.WriteRune(rs[i])
			inWord = true
		case r == ' ' || r == '\t':
			end()
		case r == '#' && !inWord:
			end()
			return words
		case r == '|' || r == '&' || r == ';':
			end()
			op := string(r)
			if i+1 < len(rs) && (rs[i+1] == '|' || rs[i+1] == '&') {
				op += string(rs[i+1])
				i++
			}
			words = append(words, op)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	end()
	return words
}

// TestDocShellBlocksCatchBrokenContinuation: the checks above fail on the
// README's old diagnose example.
func TestDocShellBlocksCatchBrokenContinuation(t *testing.T) {
	old := "wp403 diagnose https://blog.example.com/ \\\n  --user editor --app-password-file ~/.wp-app-pw \\      # app password\n  --password-file ~/.wp-pw\n"
	cmds := shellCommands(old)
	if len(cmds) != 2 || cmds[1][0] != "--password-file" {
		t.Errorf("commands %q: want the second to start with --password-file", cmds)
	}
	if err := parseOnly([]string{"diagnose", "https://x/", "--no-such-flag"}); err == nil {
		t.Error("an unknown flag parsed")
	}
}
