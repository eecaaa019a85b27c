package cli

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stageImports says which cli files may import a stage package. The
// pipeline's commands (diagnose, har, retest, check, demo, the exporter)
// pick a source and render: findings and remedies come from the one finish
// (internal/finish), so no file imports the verdict engine or the remedy
// generator, and the other stages are built in engine.go only (the
// classifier, the WAF replayer, the log readers a source and the finish
// are given). A command whose subject is a stage uses it directly: classify
// and signatures (the signature database), logs, waf.
var stageImports = map[string][]string{
	"signature": {"engine.go", "classify.go", "signatures.go"},
	"logscan":   {"engine.go", "logs.go", "waf.go"},
	"waf":       {"engine.go", "waf.go"},
	"verdict":   nil,
	"remedy":    nil,
	"product":   nil,
}

// TestCLIImportsStagesOnlyToBuildThem: cli parses flags, picks a source,
// injects the stages and renders; it does not assemble a report itself.
func TestCLIImportsStagesOnlyToBuildThem(t *testing.T) {
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
			stage, ok := strings.CutPrefix(p, "github.com/wp403/wp403/internal/")
			allowed, isStage := stageImports[stage]
			if ok && isStage && !contains(allowed, f) {
				t.Errorf("%s imports the stage %s; build stages in engine.go and let the finish run them", f, p)
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
