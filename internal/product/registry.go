package product

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/record"
)

//go:embed data/*.yaml
var dataFS embed.FS

// Registry is a loaded, validated registry. It is immutable.
type Registry struct {
	products []Product
	byID     map[string]int
	byName   map[string]int // normalised name and aliases
	byNS     map[string]int
	byCode   map[string]int
	byAsset  map[string]int
}

var (
	once       sync.Once
	defaultReg *Registry
	defaultErr error
)

// Default returns the embedded registry. It panics if the embedded data
// does not load: the tests prove it does.
func Default() *Registry {
	once.Do(func() { defaultReg, defaultErr = loadFS(dataFS, "data") })
	if defaultErr != nil {
		panic("product registry: " + defaultErr.Error())
	}
	return defaultReg
}

// ByID returns the product with this id, or nil.
func ByID(id string) *Product { return Default().ByID(id) }

// Named returns the product whose name or alias is exactly n (case and
// spaces or dashes aside), or nil.
func Named(n string) *Product { return Default().Named(n) }

// ByID returns the product with this id, or nil.
func (r *Registry) ByID(id string) *Product {
	if i, ok := r.byID[id]; ok {
		return &r.products[i]
	}
	return nil
}

// Named returns the product whose name or alias is exactly n, compared
// after normalisation (lower case, trimmed, spaces as dashes); nil if none.
func (r *Registry) Named(n string) *Product { return r.at(r.byName, norm(n)) }

// ByNamespace returns the product registering this REST namespace (the
// part before the first '/'), or nil.
func (r *Registry) ByNamespace(ns string) *Product {
	head, _, _ := strings.Cut(strings.ToLower(ns), "/")
	return r.at(r.byNS, head)
}

// ByCode returns the product that alone returns this WP_Error code, or nil.
func (r *Registry) ByCode(code string) *Product { return r.at(r.byCode, code) }

// ByAsset returns the plugin whose assets load from this directory, or nil.
func (r *Registry) ByAsset(dir string) *Product { return r.at(r.byAsset, strings.ToLower(dir)) }

// All returns the products in load order.
func (r *Registry) All() []Product { return slices.Clone(r.products) }

// Names returns every product's display name, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.products))
	for _, p := range r.products {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

func (r *Registry) at(m map[string]int, k string) *Product {
	if i, ok := m[k]; ok && k != "" {
		return &r.products[i]
	}
	return nil
}

// norm is the comparison form of a name: lower case, trimmed, spaces as dashes.
func norm(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
}

func loadFS(fsys fs.FS, dir string) (*Registry, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Product
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ps, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, ps...)
	}
	return build(all)
}

// Load parses and validates one YAML document with a top-level "products" list.
func Load(data []byte) (*Registry, error) {
	ps, err := parse(data)
	if err != nil {
		return nil, err
	}
	return build(ps)
}

const maxData = 1 << 20

func parse(data []byte) ([]Product, error) {
	if len(data) > maxData {
		return nil, fmt.Errorf("product data is %d bytes, more than %d", len(data), maxData)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f struct {
		Products []Product `yaml:"products"`
	}
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty product document")
		}
		return nil, fmt.Errorf("parse products: %w", err)
	}
	return f.Products, nil
}

func build(ps []Product) (*Registry, error) {
	r := &Registry{products: ps, byID: map[string]int{}, byName: map[string]int{}, byNS: map[string]int{},
		byCode: map[string]int{}, byAsset: map[string]int{}}
	var errs []error
	for i := range ps {
		p := &ps[i]
		if err := validate(p); err != nil {
			errs = append(errs, fmt.Errorf("product %q: %w", p.ID, err))
			continue
		}
		errs = append(errs, r.index(i, p)...)
	}
	if len(ps) == 0 {
		errs = append(errs, errors.New("no products"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// index adds a product's keys; each key names one product only.
func (r *Registry) index(i int, p *Product) []error {
	var errs []error
	add := func(m map[string]int, what, k string) {
		if j, dup := m[k]; dup && j != i {
			errs = append(errs, fmt.Errorf("product %q: %s %q is also %q's", p.ID, what, k, r.products[j].ID))
			return
		}
		m[k] = i
	}
	add(r.byID, "id", p.ID)
	for _, n := range append([]string{p.ID, p.Name}, p.Aliases...) {
		add(r.byName, "name", norm(n))
	}
	for _, ns := range p.Namespaces {
		add(r.byNS, "namespace", ns)
	}
	for _, c := range p.Codes {
		add(r.byCode, "code", c)
	}
	for _, a := range p.Assets {
		add(r.byAsset, "asset directory", a)
	}
	return errs
}

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)
	placeholer = regexp.MustCompile(`\{([a-z_]+)\}`)
	layers     = []record.Layer{record.LayerEdge, record.LayerWAF, record.LayerServer, record.LayerPHP, record.LayerWordPress, record.LayerPlugin}
)

func validate(p *Product) error {
	switch {
	case !idPattern.MatchString(p.ID):
		return errors.New("id must be lower-case letters, digits and dashes")
	case strings.TrimSpace(p.Name) == "":
		return errors.New("no name")
	case !slices.Contains(layers, p.Layer):
		return fmt.Errorf("layer %q is not one of %v", p.Layer, layers)
	case !slices.Contains(Kinds, p.Kind):
		return fmt.Errorf("kind %q is not one of %v", p.Kind, Kinds)
	case p.Syntax != "" && !slices.Contains(Syntaxes, p.Syntax):
		return fmt.Errorf("syntax %q is not one of %v", p.Syntax, Syntaxes)
	case p.Control != nil && (p.Control.Where == "") == (p.Control.None == ""):
		return errors.New("control: set exactly one of where and none")
	case p.NeedsControl() && p.Control == nil:
		return errors.New("a plugin, edge or WAF product states its narrow control (control.where) or that none exists (control.none)")
	}
	return validateFixes(p)
}

func validateFixes(p *Product) error {
	for m, f := range p.Fixes {
		if !slices.Contains(record.Mechanisms, m) {
			return fmt.Errorf("fix for unknown mechanism %q", m)
		}
		if f.Title == "" || f.Scope == "" {
			return fmt.Errorf("fix for %s: title and scope are required", m)
		}
		for _, s := range []string{f.Title, f.Snippet, f.Where, f.Scope, f.Caveat} {
			for _, sub := range placeholer.FindAllStringSubmatch(s, -1) {
				if !slices.Contains(Placeholders, sub[1]) {
					return fmt.Errorf("fix for %s: unknown placeholder {%s}", m, sub[1])
				}
			}
		}
	}
	return nil
}
