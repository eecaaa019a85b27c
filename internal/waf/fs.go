package waf

import (
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
		return os.ReadFile(name)
	}
	return fs.ReadFile(coreruleset.FS, name)
}

func (rootFS) Glob(pattern string) ([]string, error) {
	if onDisk(pattern) {
		return filepath.Glob(pattern)
	}
	return fs.Glob(coreruleset.FS, pattern)
}
