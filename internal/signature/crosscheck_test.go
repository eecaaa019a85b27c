package signature

import (
	"io/fs"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestSamples classifies every sample: exactly the expected signatures
// fire, and producer, refusal, page and incident id are as indexed.
func TestSamples(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	for i := range ix.Samples {
		s := &ix.Samples[i]
		t.Run(s.id(), func(t *testing.T) {
			req, resp := s.load(t)
			c := db.Classify(req, resp)
			if got, want := matchIDs(c), sorted(s.Expect); !slices.Equal(got, want) {
				t.Errorf("matches = %v, want %v", got, want)
			}
			if c.Producer != s.Producer || c.Refusal != s.Refusal {
				t.Errorf("producer %s refusal %v, want %s %v (reasons %q)", c.Producer, c.Refusal, s.Producer, s.Refusal, c.Reasons)
			}
			if s.Page != "" && c.Page != s.Page {
				t.Errorf("page %q, want %q", c.Page, s.Page)
			}
			if s.Incident != "" && (c.Top() == nil || c.Top().IncidentID != s.Incident) {
				t.Errorf("incident id of %v, want %q", c.Top(), s.Incident)
			}
		})
	}
}

// TestCrossCheck runs every signature on its own against every sample: a
// signature may only fire where the sample expects it, or where a
// signature the sample expects supersedes it.
func TestCrossCheck(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	for i := range ix.Samples {
		s := &ix.Samples[i]
		_, resp := s.load(t)
		v := newView(resp, db.lits)
		for _, c := range db.compiled {
			if c.fire(v) == nil || slices.Contains(s.Expect, c.sig.ID) || supersededBy(db, c.sig.ID, s.Expect) {
				continue
			}
			t.Errorf("%s (%s) fires on %s, a sample of another vendor or kind", c.sig.ID, c.sig.Vendor, s.id())
		}
	}
}

func supersededBy(db *DB, id string, expect []string) bool {
	for _, e := range expect {
		if s, ok := db.Lookup(e); ok && slices.Contains(s.Supersedes, id) {
			return true
		}
	}
	return false
}

// TestHealthyThroughEdges relays every healthy WordPress sample through
// every edge's pass-through headers: only presence signatures fire, and
// WordPress stays the producer of a non-refusal.
func TestHealthyThroughEdges(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	n := 0
	for i := range ix.Samples {
		s := &ix.Samples[i]
		if !s.Healthy {
			continue
		}
		for _, p := range ix.Passthrough {
			n++
			req, resp := s.load(t)
			resp.Header = withHeaders(resp.Header, p.Headers)
			c := db.Classify(req, resp)
			if c.Producer != record.LayerWordPress || c.Refusal {
				t.Errorf("%s via %s: producer %s refusal %v", s.id(), p.Vendor, c.Producer, c.Refusal)
			}
			want := sorted(append(slices.Clone(s.Expect), p.Expect...))
			if got := matchIDs(c); !slices.Equal(got, want) {
				t.Errorf("%s via %s: matches %v, want %v", s.id(), p.Vendor, got, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no healthy samples or no pass-through edges indexed")
	}
}

// TestEverySignatureHasSample: each signature fires on at least one
// indexed sample (TestSamples and TestHealthyThroughEdges check it fires).
func TestEverySignatureHasSample(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	covered := map[string]bool{}
	for _, s := range ix.Samples {
		for _, id := range s.Expect {
			covered[id] = true
		}
	}
	for _, p := range ix.Passthrough {
		for _, id := range p.Expect {
			covered[id] = true
		}
	}
	for _, s := range db.Signatures() {
		if !covered[s.ID] {
			t.Errorf("signature %s has no positive sample", s.ID)
		}
	}
	for id := range covered {
		if _, ok := db.Lookup(id); !ok {
			t.Errorf("samples.yaml expects unknown signature %s", id)
		}
	}
}

// TestSampleIndex: provenance is recorded for every sample and every
// file under testdata/samples is indexed.
func TestSampleIndex(t *testing.T) {
	ix := loadIndex(t)
	indexed := map[string]bool{}
	for _, s := range ix.Samples {
		if s.Provenance != "lab" && s.Provenance != "documented" {
			t.Errorf("%s: provenance %q is not lab or documented", s.id(), s.Provenance)
		}
		if s.Source == "" || (s.File == "") == (s.Base == "") {
			t.Errorf("%s: needs a source and exactly one of file or base", s.id())
		}
		indexed[s.File], indexed[s.Base] = true, true
	}
	err := filepath.WalkDir(samplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(samplesDir, path)
		if !indexed[filepath.ToSlash(rel)] {
			t.Errorf("%s is not indexed in samples.yaml", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSignatureProducts: every product a signature names exists in the
// registry (internal/product/data), so remedies and labels can read it by id.
func TestSignatureProducts(t *testing.T) {
	for _, s := range mustDB(t).Signatures() {
		if s.Product == "" {
			t.Errorf("%s: vendor %q is not a product of the registry: add an entry to internal/product/data (or set product:)", s.ID, s.Vendor)
		}
	}
}
