package signature

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/rawhttp"
	"github.com/wp403/wp403/internal/record"
)

// sample is one entry of testdata/samples.yaml: a response file, or a
// variant of one (status, headers or body replaced), with its provenance
// and the exact set of signatures that must fire on it.
type sample struct {
	Name       string              `yaml:"name"`
	File       string              `yaml:"file"`
	Base       string              `yaml:"base"`
	Status     int                 `yaml:"status"`
	Body       *string             `yaml:"body"`
	Set        map[string][]string `yaml:"set"`
	Provenance string              `yaml:"provenance"`
	Source     string              `yaml:"source"`
	URL        string              `yaml:"url"`
	Healthy    bool                `yaml:"healthy"`
	Expect     []string            `yaml:"expect"`
	Producer   record.Layer        `yaml:"producer"`
	Refusal    bool                `yaml:"refusal"`
	Page       string              `yaml:"page"`
	Incident   string              `yaml:"incident"`
}

// passthrough is the set of headers an edge adds to every response it
// relays, with the presence signatures that must fire on them.
type passthrough struct {
	Vendor  string              `yaml:"vendor"`
	Source  string              `yaml:"source"`
	Expect  []string            `yaml:"expect"`
	Headers map[string][]string `yaml:"headers"`
}

type index struct {
	Samples     []sample      `yaml:"samples"`
	Passthrough []passthrough `yaml:"passthrough"`
}

const samplesDir = "testdata/samples"

func loadIndex(t testing.TB) *index {
	t.Helper()
	data, err := os.ReadFile("testdata/samples.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var ix index
	if err := dec.Decode(&ix); err != nil {
		t.Fatalf("samples.yaml: %v", err)
	}
	return &ix
}

func (s *sample) id() string {
	if s.Name != "" {
		return s.Name
	}
	return s.File
}

// load builds the request and response a sample describes.
func (s *sample) load(t testing.TB) (*record.HTTPRequest, *record.HTTPResponse) {
	t.Helper()
	path := s.File
	if path == "" {
		path = s.Base
	}
	data, err := os.ReadFile(filepath.Join(samplesDir, path))
	if err != nil {
		t.Fatalf("%s: %v", s.id(), err)
	}
	x, err := rawhttp.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", s.id(), err)
	}
	resp := x.Response
	if s.Status != 0 {
		resp.Status = s.Status
	}
	if s.Body != nil {
		resp.Body, resp.BodyBytes = *s.Body, int64(len(*s.Body))
	}
	resp.Header = withHeaders(resp.Header, s.Set)
	req := x.Request
	if s.URL != "" {
		req = &record.HTTPRequest{Method: "GET", URL: s.URL}
	}
	return req, resp
}

// withHeaders returns h with the given headers replacing any of the same
// name (any case); an empty list deletes the header.
func withHeaders(h map[string][]string, set map[string][]string) map[string][]string {
	out := maps.Clone(h)
	if out == nil {
		out = map[string][]string{}
	}
	for name, vals := range set {
		for k := range out {
			if strings.EqualFold(k, name) {
				delete(out, k)
			}
		}
		if len(vals) > 0 {
			out[name] = vals
		}
	}
	return out
}

func matchIDs(c *record.Class) []string {
	var ids []string
	for _, m := range c.Matches {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func mustDB(t testing.TB) *DB {
	t.Helper()
	db, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return db
}
