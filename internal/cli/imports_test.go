package cli

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCLIDoesNotReason: cli parses flags, injects dependencies and
// renders; findings and remedies come from diagnose.Analyze, so cli
// imports neither the verdict engine nor the remedy generator.
func TestCLIDoesNotReason(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasSuffix(p, "/internal/verdict") || strings.HasSuffix(p, "/internal/remedy") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
