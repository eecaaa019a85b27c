package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wp403/wp403/internal/report"
)

// The format sets commands write.
var (
	reportFormats = report.Formats
	dataFormats   = []string{"text", "json"}
	diffFormats   = []string{"text", "json", "html"}
)

// pickFormat is the one output rule of every command: --format wins, else
// the extension of -o FILE, else text. A format the command cannot write
// is a usage error that says which it can.
func pickFormat(flag, output string, allowed []string) (string, error) {
	if flag != "" {
		want, ok := report.Canonical(flag)
		if !ok || !slices.Contains(allowed, want) {
			return "", usagef("--format %q: want one of %s", flag, strings.Join(allowed, ", "))
		}
		return want, nil
	}
	implied := formatFromExt(output)
	if !slices.Contains(allowed, implied) {
		return "", usagef("-o %s implies %s output; this command writes %s (name the file .txt or .json, or give --format)",
			output, implied, strings.Join(allowed, " or "))
	}
	return implied, nil
}

// formatFromExt picks the format an output file name implies (report's registry).
func formatFromExt(name string) string { return report.FromExt(name) }

// outputFile is where a command writes: standard output, or -o FILE
// written atomically — into a temporary file in the same folder, renamed
// over FILE only when everything was written, so a failed render never
// leaves a truncated or empty file (or destroys the previous one).
type outputFile struct {
	w    io.Writer
	tmp  *os.File
	dev  *os.File // -o names a device or pipe (/dev/null, /dev/stdout): written in place
	path string
}

func openOutput(rc *runContext, name string) (*outputFile, error) {
	if name == "" || name == "-" {
		return &outputFile{w: rc.io.Out}, nil
	}
	path := resolvePath(rc.io.Env, name)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, usagef("-o %s: is a directory; want a file name", name)
	} else if err == nil && !fi.Mode().IsRegular() {
		// A device or pipe cannot be replaced by renaming a file over it
		// (that would turn /dev/null into a regular file): write to it.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, usagef("-o %s: %v", name, err)
		}
		return &outputFile{w: f, dev: f, path: path}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, usagef("-o %s: %v", name, err)
	}
	return &outputFile{w: tmp, tmp: tmp, path: path}, nil
}

// text is the writer for a command's text output: control characters
// from servers and files (routes, codes, headers) are escaped on the way,
// so nothing it prints can drive the terminal (report.NewSafeWriter).
func (o *outputFile) text() io.Writer { return report.NewSafeWriter(o.w) }

// finish commits the file when err is nil, and discards it otherwise;
// it returns err or the error of committing.
func (o *outputFile) finish(err error) error {
	if o.dev != nil {
		if cerr := o.dev.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", o.path, cerr)
		}
		return err
	}
	if o.tmp == nil {
		return err
	}
	name := o.tmp.Name()
	if err != nil {
		o.tmp.Close()
		os.Remove(name)
		return err
	}
	if err := o.tmp.Chmod(0o644); err != nil {
		o.tmp.Close()
		os.Remove(name)
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := o.tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := os.Rename(name, o.path); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

// writeJSON writes v as indented JSON, HTML characters unescaped.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// count is "1 request", "2 requests", "3 entries".
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprint(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return fmt.Sprint(n) + " " + word + "s"
}

// Validate is kong's hook: a bad --format, or an -o name that implies a
// format the command cannot write, is refused before anything is sent.
func (o outputFlags) Validate() error {
	_, err := pickFormat(o.Format, o.Output, reportFormats)
	return err
}
