package waf

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
)

// rootFS resolves the embedded CRS names (@coraza.conf-recommended,
// @crs-setup.conf.example, @owasp_crs/…) from the embedded module and
// absolute paths — the user's rule files and the data files they name —
// from the disk. Coraza needs Open, ReadFile and Glob.
type rootFS struct{}

func onDisk(name string) bool { return strings.HasPrefix(name, "/") }

func (rootFS) Open(name string) (fs.File, error) {
	if onDisk(name) {
		return os.Open(name)
	}
	return coreruleset.FS.Open(name)
}

func (rootFS) ReadFile(name string) ([]byte, error) {
	if onDisk(name) {
		return readRuleFile(name)
	}
	return fs.ReadFile(coreruleset.FS, name)
}

func (rootFS) Glob(pattern string) ([]string, error) {
	if onDisk(pattern) {
		return filepath.Glob(pattern)
	}
	return fs.Glob(coreruleset.FS, pattern)
}

// maxRuleFile bounds a rule file read from disk (CRS files are tens of KB).
const maxRuleFile = 16 << 20

func readRuleFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRuleFile+1))
	if err == nil && len(b) > maxRuleFile {
		err = fmt.Errorf("%s is larger than %d MiB", name, maxRuleFile>>20)
	}
	return b, err
}
