package waf

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/corazawaf/coraza/v3"
)

// Engine is one compiled WAF. It is safe for concurrent Replay calls.
type Engine struct {
	waf       coraza.WAF
	opts      Options
	files     []ruleFile
	BuildTime time.Duration // how long the rule set took to compile
}

// New compiles a WAF for the options. Compiling the full CRS takes about
// 0.1–0.2 s; use Shared to compile each configuration once per process.
func New(o Options) (*Engine, error) {
	o, err := o.normalize()
	if err != nil {
		return nil, err
	}
	files, err := resolve(o.Rules)
	if err != nil {
		return nil, err
	}
	return build(o, files)
}

func build(o Options, files []ruleFile) (*Engine, error) {
	start := time.Now()
	w, err := coraza.NewWAF(coraza.NewWAFConfig().
		WithRootFS(rootFS{}).
		WithDirectives(directives(o, files)))
	if err != nil {
		return nil, fmt.Errorf("compile waf rules: %w", err)
	}
	return &Engine{waf: w, opts: o, files: files, BuildTime: time.Since(start)}, nil
}

type cached struct {
	once sync.Once
	eng  *Engine
	err  error
}

var cache sync.Map // cache key -> *cached

// Shared returns the engine for the options, compiling it on first use.
// A rule file that changed on disk (size or modification time) gives a
// new build.
func Shared(o Options) (*Engine, error) {
	o, err := o.normalize()
	if err != nil {
		return nil, err
	}
	files, err := resolve(o.Rules)
	if err != nil {
		return nil, err
	}
	v, _ := cache.LoadOrStore(cacheKey(o, files), &cached{})
	c := v.(*cached)
	c.once.Do(func() { c.eng, c.err = build(o, files) })
	return c.eng, c.err
}

// Options returns the normalized options the engine was built with.
func (e *Engine) Options() Options { return e.opts }

// Engine names the replay engine, e.g. "Coraza v3.8.1".
func (e *Engine) Engine() string {
	return "Coraza " + moduleVersion(corazaModule, corazaVersion)
}

// RuleSet names the rules loaded, e.g. "OWASP CRS 4.25.0 (embedded) + 2 user files".
func (e *Engine) RuleSet() string {
	var parts []string
	if !e.opts.NoCRS {
		v := strings.TrimPrefix(moduleVersion(crsModule, crsVersion), "v")
		parts = append(parts, "OWASP CRS "+v+" (embedded)")
	}
	switch n := len(e.files); {
	case n == 1:
		parts = append(parts, "user file "+e.files[0].path)
	case n > 1:
		parts = append(parts, fmt.Sprintf("%d user files", n))
	}
	return strings.Join(parts, " + ")
}

// The versions go.mod requires; the linked versions, when the binary
// records them, take precedence (test binaries do not).
const (
	corazaModule  = "github.com/corazawaf/coraza/v3"
	corazaVersion = "v3.8.1"
	crsModule     = "github.com/corazawaf/coraza-coreruleset/v4"
	crsVersion    = "v4.25.0"
)

var buildInfo = sync.OnceValue(func() *debug.BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return bi
})

// moduleVersion is the linked version of a module, or def when unknown.
func moduleVersion(path, def string) string {
	bi := buildInfo()
	if bi == nil {
		return def
	}
	for _, m := range bi.Deps {
		if m.Path == path {
			if m.Replace != nil {
				m = m.Replace
			}
			return m.Version
		}
	}
	return def
}
