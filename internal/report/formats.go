package report

import (
	"path/filepath"
	"strings"
)

// format is one output format: its name, the other names --format takes
// for it, and the file extensions that imply it.
type format struct {
	name    string
	aliases []string
	exts    []string
}

// formats is the registry of output formats, default first. cli reads it
// for its flags, shell completion and -o extensions.
var formats = []format{
	{name: "text", exts: []string{".txt"}},
	{name: "json", exts: []string{".json"}},
	{name: "markdown", aliases: []string{"md"}, exts: []string{".md", ".markdown"}},
	{name: "html", exts: []string{".html", ".htm"}},
	{name: "junit", aliases: []string{"junit-xml"}, exts: []string{".xml"}},
}

// Formats lists the format names For and New accept, default first.
var Formats = func() []string {
	var out []string
	for _, f := range formats {
		out = append(out, f.name)
	}
	return out
}()

// Canonical returns the format a --format value names (a name or an
// alias, any case), and whether it names one.
func Canonical(name string) (string, bool) {
	n := strings.ToLower(name)
	for _, f := range formats {
		if n == f.name {
			return f.name, true
		}
		for _, a := range f.aliases {
			if n == a {
				return f.name, true
			}
		}
	}
	return "", false
}

// FromExt is the format an output file name implies: text unless its
// extension names another.
func FromExt(file string) string {
	ext := strings.ToLower(filepath.Ext(file))
	for _, f := range formats {
		for _, e := range f.exts {
			if ext == e {
				return f.name
			}
		}
	}
	return "text"
}
