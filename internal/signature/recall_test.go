package signature

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/record"
)

// recallCase is one entry of testdata/recall/corpus.yaml: one generation
// of a vendor's own page (a sample file, optionally changed the way the
// precision corpus changes them), with the vendor and layer it must be
// named with. The theme page guard and the error-status rule must never
// hide it.
type recallCase struct {
	precisionCase `yaml:",inline"`
	// Generation says which layout of the vendor's page this is, and
	// when its sources show it.
	Generation string           `yaml:"generation"`
	Mechanism  record.Mechanism `yaml:"mechanism"` // the deciding match's mechanism
}

func loadRecall(t testing.TB) []recallCase {
	t.Helper()
	data, err := os.ReadFile("testdata/recall/corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var doc struct {
		Cases []recallCase `yaml:"cases"`
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("recall corpus.yaml: %v", err)
	}
	return doc.Cases
}

// TestRecallCorpus: every vendor page generation in the recall corpus is
// a refusal named with its vendor and layer, decided by a refusal
// signature of that vendor, whatever WordPress-looking markup it carries.
// Together with TestPrecisionCorpus (zero wrong attributions) both hold.
func TestRecallCorpus(t *testing.T) {
	db, cases := mustDB(t), loadRecall(t)
	vendors := map[string]bool{}
	names := map[string]bool{}
	for i := range cases {
		rc := &cases[i]
		if names[rc.Name] || rc.Vendor == "" || rc.Producer == "" || rc.Generation == "" || rc.Source == "" || rc.Mechanism == "" {
			t.Errorf("%s: duplicate name, or no vendor, producer, generation, mechanism or source", rc.Name)
		}
		names[rc.Name] = true
		vendors[rc.Vendor] = true
		t.Run(rc.Name, func(t *testing.T) {
			req, resp := rc.load(t)
			c := db.Classify(req, resp)
			if c.Producer != rc.Producer || c.Vendor != rc.Vendor || !c.Refusal {
				t.Errorf("got %s/%q refusal=%v, want %s/%q refusal (reasons %q)",
					c.Producer, c.Vendor, c.Refusal, rc.Producer, rc.Vendor, c.Reasons)
			}
			top := c.Top()
			if top == nil || top.Kind != record.KindRefusal || top.Vendor != rc.Vendor {
				t.Fatalf("deciding match %v, want a refusal signature of %s", top, rc.Vendor)
			}
			if rc.Match != "" && top.ID != rc.Match {
				t.Errorf("decided by %s, want %s", top.ID, rc.Match)
			}
			if top.Mechanism != rc.Mechanism {
				t.Errorf("mechanism %s, want %s", top.Mechanism, rc.Mechanism)
			}
		})
	}
	for _, v := range recallVendors {
		if !vendors[v] {
			t.Errorf("the recall corpus has no page of %s", v)
		}
	}
}

// recallVendors are the vendors most often in front of WordPress (issue
// 20, item 5): each needs at least one page in the recall corpus.
var recallVendors = []string{
	"Cloudflare", "Sucuri Website Firewall", "Wordfence", "Fastly", "Varnish", "Akamai",
	"Imperva Incapsula", "AWS WAF", "Google Cloud Armor", "DDoS-Guard", "SiteGround",
	"LiteSpeed", "Imunify360",
}
