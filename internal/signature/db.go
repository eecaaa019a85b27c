package signature

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"sync"

	"github.com/wp403/wp403/internal/record"
)

//go:embed data/*.yaml
var dataFS embed.FS

// Signature is one entry of the database, as loaded from YAML.
type Signature struct {
	ID     string `yaml:"id" json:"id"`
	Vendor string `yaml:"vendor" json:"vendor"`
	// Product is the internal/product registry id; when empty, the entry
	// named exactly by Vendor (the embedded data must resolve, a test checks).
	Product   string               `yaml:"product,omitempty" json:"product,omitempty"`
	Layer     record.Layer         `yaml:"layer" json:"layer"`
	Kind      record.SignatureKind `yaml:"kind" json:"kind"`
	Mechanism record.Mechanism     `yaml:"mechanism,omitempty" json:"mechanism,omitempty"`
	// MechanismByStatus overrides Mechanism for some statuses, e.g.
	// WordPress codes that mean "credentials lost" as 401 and
	// "permission denied" as 403.
	MechanismByStatus map[int]record.Mechanism `yaml:"mechanism_by_status,omitempty" json:"mechanism_by_status,omitempty"`
	Meaning           string                   `yaml:"meaning" json:"meaning"`
	// Page names the page shape this signature recognises (stock-nginx…).
	Page string `yaml:"page,omitempty" json:"page,omitempty"`
	// Status restricts the signature to these response statuses.
	Status []int `yaml:"status,omitempty" json:"status,omitempty"`
	// SuccessStatus says the vendor serves this page with a 2xx status
	// too (challenge pages, F5's block page): its phrases then count on
	// any status. Other refusal signatures' body conditions count only on
	// an error status (or one listed in Status), never in a theme page.
	SuccessStatus bool `yaml:"success_status,omitempty" json:"success_status,omitempty"`
	// All conditions must hold, at least one of Any (when not empty), and
	// none of None.
	All  []Cond `yaml:"all,omitempty" json:"all,omitempty"`
	Any  []Cond `yaml:"any,omitempty" json:"any,omitempty"`
	None []Cond `yaml:"none,omitempty" json:"none,omitempty"`
	// Incident extracts the vendor's incident, ray or reference id.
	Incident *Extract `yaml:"incident,omitempty" json:"incident,omitempty"`
	// Supersedes names less specific signatures this one replaces when
	// both fire (a plugin message on a code core also uses).
	Supersedes []string `yaml:"supersedes,omitempty" json:"supersedes,omitempty"`
	Source     string   `yaml:"source" json:"source"`
}

// Cond is one condition. Exactly one of Header, Cookie, Body, Contains,
// IContains, Markup, Code and Message is set; Value only goes with Header.
type Cond struct {
	Header    string `yaml:"header,omitempty" json:"header,omitempty"`       // header present (name, any case)
	Value     string `yaml:"value,omitempty" json:"value,omitempty"`         // regex on one of the header's values
	Cookie    string `yaml:"cookie,omitempty" json:"cookie,omitempty"`       // Set-Cookie name prefix
	Body      string `yaml:"body,omitempty" json:"body,omitempty"`           // regex on the body
	Contains  string `yaml:"contains,omitempty" json:"contains,omitempty"`   // literal in the body
	IContains string `yaml:"icontains,omitempty" json:"icontains,omitempty"` // literal, any case
	// Markup is a literal of the vendor's own page structure (an element
	// id, an asset path with its attribute) matched in the raw body; it
	// must hold a markup character (<, >, a quote or =). A post or widget
	// that quotes it shows it HTML-escaped, so the theme page guard does
	// not hide it; it counts only on an error status (or a listed one).
	Markup  string `yaml:"markup,omitempty" json:"markup,omitempty"`
	Code    string `yaml:"code,omitempty" json:"code,omitempty"`       // WP_Error code equals
	Message string `yaml:"message,omitempty" json:"message,omitempty"` // regex on the WP_Error message
}

// Extract says where an incident id is: a header's value, or the first
// capture group of a regex on the body (or on the header's value).
type Extract struct {
	Header string `yaml:"header,omitempty" json:"header,omitempty"`
	Regex  string `yaml:"regex,omitempty" json:"regex,omitempty"`
}

// file is the top level of one data file.
type file struct {
	Signatures []Signature `yaml:"signatures"`
}

// DB is a loaded, validated and compiled signature database. It is
// immutable and safe for concurrent use.
type DB struct {
	sigs     []Signature
	compiled []*compiled
	byID     map[string]int
	lits     *litScanner
	// general are the signatures Classify always evaluates; byCode those
	// that need one WP_Error code, evaluated only when the body has it.
	general []*compiled
	byCode  map[string][]*compiled
}

var (
	defaultOnce sync.Once
	defaultDB   *DB
	defaultErr  error
)

// Default returns the embedded database, loading it on first use.
func Default() (*DB, error) {
	defaultOnce.Do(func() {
		defaultDB, defaultErr = loadFS(dataFS, "data")
	})
	return defaultDB, defaultErr
}

// Load parses, validates and compiles one YAML (or JSON) document with a
// top-level "signatures" list.
func Load(data []byte) (*DB, error) {
	sigs, err := parse(data)
	if err != nil {
		return nil, err
	}
	return build(sigs)
}

func loadFS(fsys fs.FS, dir string) (*DB, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list signature files: %w", err)
	}
	sort.Strings(names)
	var all []Signature
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		sigs, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, sigs...)
	}
	return build(all)
}

// Signatures returns a copy of the database, in load order.
func (db *DB) Signatures() []Signature {
	if db == nil {
		return nil
	}
	out := make([]Signature, len(db.sigs))
	for i, s := range db.sigs {
		out[i] = s.clone()
	}
	return out
}

// clone copies a signature so callers cannot change the database.
func (s Signature) clone() Signature {
	s.Status, s.Supersedes = slices.Clone(s.Status), slices.Clone(s.Supersedes)
	s.All, s.Any, s.None = slices.Clone(s.All), slices.Clone(s.Any), slices.Clone(s.None)
	s.MechanismByStatus = maps.Clone(s.MechanismByStatus)
	if s.Incident != nil {
		x := *s.Incident
		s.Incident = &x
	}
	return s
}

// Lookup returns the signature with this id.
func (db *DB) Lookup(id string) (Signature, bool) {
	if db == nil {
		return Signature{}, false
	}
	i, ok := db.byID[id]
	if !ok {
		return Signature{}, false
	}
	return db.sigs[i].clone(), true
}

// Vendors returns the distinct vendor names, sorted.
func (db *DB) Vendors() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range db.Signatures() {
		if !seen[s.Vendor] {
			seen[s.Vendor] = true
			out = append(out, s.Vendor)
		}
	}
	sort.Strings(out)
	return out
}
