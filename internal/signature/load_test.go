package signature

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

const validDoc = `
signatures:
  - id: acme-block
    vendor: Acme
    layer: edge
    kind: refusal
    mechanism: block-page
    meaning: Acme blocked it.
    status: [403]
    all:
      - {header: x-acme, value: '^blocked$'}
    any:
      - {contains: Acme says no}
      - {icontains: acme says no}
    none:
      - {code: rest_forbidden}
    incident: {regex: 'Ref (\d+)'}
    source: https://acme.example/docs
`

func TestLoadValid(t *testing.T) {
	db, err := Load([]byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	resp := &record.HTTPResponse{Status: 403, Header: map[string][]string{"X-ACME": {"blocked"}}, Body: "ACME SAYS NO. Ref 42"}
	c := db.Classify(nil, resp)
	top := c.Top()
	if top == nil || top.ID != "acme-block" || top.IncidentID != "42" || !c.Refusal || c.Producer != record.LayerEdge {
		t.Fatalf("class %+v", c)
	}
	resp.Status = 200
	if c := db.Classify(nil, resp); c.Top() != nil {
		t.Errorf("status gate ignored: %+v", c.Top())
	}
}

func TestLoadRejects(t *testing.T) {
	cases := map[string]string{
		"layer: edge":                       "layer: cdn",
		"kind: refusal":                     "kind: blocky",
		"mechanism: block-page":             "mechanism: magic",
		"id: acme-block":                    "id: Acme Block",
		"meaning: Acme blocked it.":         "meaning: ''",
		"source: https://acme.example/docs": "source: ''",
		"status: [403]":                     "status: [42]",
		"{contains: Acme says no}":          "{contains: x, body: y}",
		"'^blocked$'":                       "'(['",
		"'Ref (\\d+)'":                      "'Ref \\d+'",
		"vendor: Acme":                      "vendor: Acme\n    colour: red",
		"layer: edge\n":                     "product: acme-unknown\n    layer: edge\n",
	}
	for from, to := range cases {
		doc := strings.Replace(validDoc, from, to, 1)
		if doc == validDoc {
			t.Fatalf("case %q does not change the document", from)
		}
		if _, err := Load([]byte(doc)); err == nil {
			t.Errorf("Load accepted %q", to)
		}
	}
	dup := validDoc + strings.TrimPrefix(validDoc, "\nsignatures:\n")
	if _, err := Load([]byte(dup)); err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Errorf("duplicate ids: %v", err)
	}
	if _, err := Load([]byte("signatures: []")); err == nil {
		t.Error("empty database accepted")
	}
	presenceWithMech := strings.Replace(validDoc, "kind: refusal", "kind: presence", 1)
	if _, err := Load([]byte(presenceWithMech)); err == nil {
		t.Error("presence signature with a mechanism accepted")
	}
}

func TestDefaultDatabase(t *testing.T) {
	db := mustDB(t)
	sigs := db.Signatures()
	vendors := db.Vendors()
	plugins := map[string]bool{}
	codes := 0
	for _, s := range sigs {
		if s.Layer == record.LayerPlugin {
			plugins[s.Vendor] = true
		}
		if s.Vendor == "WordPress" && len(s.All) > 0 && s.All[0].Code != "" {
			codes++
		}
	}
	if len(vendors) < 60 || len(plugins) < 15 || codes < 70 {
		t.Errorf("%d vendors, %d plugin vendors, %d WordPress codes", len(vendors), len(plugins), codes)
	}
	again, err := Default()
	if err != nil || again != db {
		t.Error("Default does not return the same database")
	}
}

// FuzzLoad: Load never panics, and a database it accepts classifies any
// response without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(validDoc))
	for _, name := range []string{"data/10-edge.yaml", "data/60-plugins.yaml"} {
		if data, err := dataFS.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"signatures":[{"id":"ab","vendor":"v","layer":"waf","kind":"presence","meaning":"m","source":"s","any":[{"cookie":"x"}]}]}`))
	resp := &record.HTTPResponse{Status: 403, Header: map[string][]string{"Set-Cookie": {"x=1"}, "X-Acme": {"blocked"}}, Body: `{"code":"rest_forbidden","message":"m"}`}
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := Load(data)
		if err != nil {
			return
		}
		if c := db.Classify(nil, resp); c == nil || c.Producer == "" {
			t.Fatalf("class %+v", c)
		}
	})
}
