package cli

import (
	"strings"

	"github.com/alecthomas/kong"
)

// cmdSpec is one command of the tree as completion and the man page see
// it: generated from the kong model, so they never drift from the flags.
type cmdSpec struct {
	path   string // "waf replay"; "" for wp403 itself
	help   string
	detail string
	flags  []flagSpec
	args   []argSpec
	subs   []string // child command names
}

type flagSpec struct {
	long, placeholder, help string
	short                   rune
	value                   bool     // takes a value
	file                    bool     // the value is a file name
	values                  []string // the value is one of these
}

type argSpec struct {
	name, help string
	file       bool
	values     []string // the argument is one of these
}

// commandSpecs walks the model: every visible command, its own flags
// (the root's flags are global) and its positional arguments.
func commandSpecs(app *kong.Application) []cmdSpec {
	var out []cmdSpec
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		if n.Hidden {
			return
		}
		c := cmdSpec{path: strings.TrimSpace(strings.TrimPrefix(n.Path(), app.Name)), help: n.Help, detail: n.Detail}
		if n.Type == kong.ApplicationNode {
			c.path = ""
		}
		for _, f := range n.Flags {
			if !f.Hidden {
				c.flags = append(c.flags, specOf(f))
			}
		}
		for _, p := range n.Positional {
			a := argSpec{name: p.Name, help: p.Help, file: isFileName(p.Name)}
			if p.Enum != "" {
				a.values = p.EnumSlice()
			}
			c.args = append(c.args, a)
		}
		for _, ch := range n.Children {
			if ch.Type == kong.CommandNode && !ch.Hidden {
				c.subs = append(c.subs, ch.Name)
			}
		}
		out = append(out, c)
		for _, ch := range n.Children {
			if ch.Type == kong.CommandNode {
				walk(ch)
			}
		}
	}
	walk(app.Node)
	return out
}

func specOf(f *kong.Flag) flagSpec {
	s := flagSpec{long: f.Name, short: f.Short, help: f.Help, placeholder: f.PlaceHolder, value: !f.IsBool()}
	switch {
	case f.Tag != nil && f.Tag.Get("complete") != "":
		s.values = strings.Split(interpolate(f.Tag.Get("complete")), ",")
	case f.Enum != "":
		for _, v := range f.EnumSlice() {
			if v != "" {
				s.values = append(s.values, v)
			}
		}
	}
	s.file = len(s.values) == 0 && s.value && isFileName(f.PlaceHolder)
	return s
}

// isFileName: placeholders and argument names that stand for files.
func isFileName(s string) bool {
	for _, w := range []string{"FILE", "JAR", "POLICY", "REPORT", "PATH"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return s == "A" || s == "B"
}

// specs builds the command tree and returns its specs.
func specs() ([]cmdSpec, error) {
	var cli root
	k, err := kong.New(&cli, append(parserOptions(), kong.Name("wp403"), kong.Description(description), kong.Exit(func(int) {}))...)
	if err != nil {
		return nil, err
	}
	return commandSpecs(k.Model), nil
}
