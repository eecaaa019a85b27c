package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

const schemaDoc = "../../docs/schema.md"

// docRow reports whether doc has a table row whose first cell is `value`.
func docRow(doc, value string) bool {
	return strings.Contains(doc, "\n| `"+value+"` |")
}

// TestSchemaDocVocabulary: every string constant of a named type in
// internal/record (layers, mechanisms, severities, confidences, auth
// kinds, vantages, failures, …) has a row in docs/schema.md. The
// constants are read from the source, so adding one without documenting
// it fails here.
func TestSchemaDocVocabulary(t *testing.T) {
	doc := readDoc(t)
	consts := recordConsts(t)
	if len(consts) < 60 {
		t.Fatalf("found only %d vocabulary constants in internal/record; is the parser broken?", len(consts))
	}
	for name, value := range consts {
		if value != "" && !docRow(doc, value) {
			t.Errorf("%s = %q is not documented in docs/schema.md (add a table row starting | `%s` |)", name, value, value)
		}
	}
}

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(schemaDoc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recordConsts returns name → value of every typed string constant.
func recordConsts(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../record/*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				collectConsts(g, out)
			}
		}
	}
	return out
}

func collectConsts(g *ast.GenDecl, out map[string]string) {
	for _, spec := range g.Specs {
		vs := spec.(*ast.ValueSpec)
		if vs.Type == nil {
			continue // untyped: SchemaVersion and friends are not vocabulary
		}
		for i, n := range vs.Names {
			if i >= len(vs.Values) {
				continue
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				out[n.Name] = v
			}
		}
	}
}

// TestSchemaDocFields: every JSON field of every type reachable from
// record.Report has a row in that type's section of docs/schema.md.
func TestSchemaDocFields(t *testing.T) {
	doc := readDoc(t)
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeFor[record.Report]().PkgPath() || seen[typ] {
			return
		}
		seen[typ] = true
		section := docSection(doc, typ.Name())
		if section == "" {
			t.Errorf("docs/schema.md has no section \"### %s\" (or \"## %s\")", typ.Name(), typ.Name())
		}
		for i := range typ.NumField() {
			fld := typ.Field(i)
			name, _, _ := strings.Cut(fld.Tag.Get("json"), ",")
			if name != "" && name != "-" && section != "" && !docRow(section, name) {
				t.Errorf("%s.%s (json %q) is not documented in the %s section of docs/schema.md", typ.Name(), fld.Name, name, typ.Name())
			}
			walk(fld.Type)
		}
	}
	walk(reflect.TypeFor[record.Report]())
	if len(seen) < 10 {
		t.Errorf("walked only %d record types", len(seen))
	}
}

// docSection returns the text from the heading naming typ to the next heading.
func docSection(doc, typ string) string {
	for _, h := range []string{"\n## " + typ + "\n", "\n### " + typ + "\n"} {
		if i := strings.Index(doc, h); i >= 0 {
			rest := doc[i+len(h):]
			if j := strings.Index(rest, "\n#"); j >= 0 {
				rest = rest[:j]
			}
			return "\n" + rest
		}
	}
	return ""
}
