package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/wp403/wp403/internal/diagnose"
)

//go:embed testdata/captures
var captures embed.FS

// Default is the scenario 'wp403 demo' shows without an argument: the
// most common real cause, a WAF rule refusing a block-editor save.
const Default = "waf-post-content"

// Names lists the embedded scenarios.
func Names() []string {
	entries, _ := fs.ReadDir(captures, "testdata/captures")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, strings.TrimSuffix(e.Name(), ".json"))
		}
	}
	sort.Strings(out)
	return out
}

// Load returns the capture of one scenario.
func Load(name string) (*diagnose.Capture, error) {
	data, err := captures.ReadFile(path.Join("testdata/captures", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("no embedded capture %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return diagnose.LoadCapture(bytes.NewReader(data))
}
