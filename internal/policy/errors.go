package policy

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a policy file, at a line and a field.
type Problem struct {
	Line  int    // 1-based; 0 when the file could not be parsed at all
	Field string // e.g. "rules[2].expect", "identities.editor.app_password"
	Msg   string
}

func (p Problem) String() string {
	s := ""
	if p.Line > 0 {
		s = fmt.Sprintf("line %d: ", p.Line)
	}
	if p.Field != "" {
		s += p.Field + ": "
	}
	return s + p.Msg
}

// LoadError lists every problem found in a policy file.
type LoadError struct {
	File     string
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		s := p.String()
		if e.File != "" {
			s = e.File + ": " + s
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

// maxProblems bounds how many problems one load reports.
const maxProblems = 20

// problems collects problems while a file is walked.
type problems struct {
	list          []Problem
	rulesOptional bool // LoadNode: a policy without rules is valid
}

func (ps *problems) add(n *yaml.Node, field, format string, args ...any) {
	if len(ps.list) >= maxProblems {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	ps.list = append(ps.list, Problem{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) ok() bool { return len(ps.list) == 0 }

func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

func index(parent string, i int) string { return fmt.Sprintf("%s[%d]", parent, i) }
