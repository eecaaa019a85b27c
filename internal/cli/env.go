package cli

import (
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Env is the process environment a command may read. Tests pass a map.
type Env struct {
	Vars map[string]string
	// IsTerminal reports whether stderr is a terminal (for progress).
	StderrTTY bool
	// Dir is the working directory used to resolve relative paths ("" = cwd).
	Dir string
	// Now is the clock (nil: the real one); tests fix it.
	Now func() time.Time
}

// Get returns an environment variable.
func (e Env) Get(k string) string { return e.Vars[k] }

// OSEnv reads the real process environment.
func OSEnv() Env {
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return Env{Vars: vars, StderrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// IO bundles the streams a command uses.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	Env Env
}
