package signature

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/record"
)

// precisionCase is one entry of testdata/precision/corpus.yaml: a real
// captured or documented response (a sample file), optionally changed the
// way real sites change it (status, headers added by a CDN, text a post
// or widget quotes, entities or curly quotes), with the class it must get.
type precisionCase struct {
	Name string `yaml:"name"`
	// Kind is "negative" (the origin or WordPress wrote it though a CDN or
	// WAF header or vendor words are present, or it is healthy) or
	// "positive" (the named vendor refused).
	Kind    string              `yaml:"kind"`
	Base    string              `yaml:"base"` // a file under testdata/samples
	Status  int                 `yaml:"status"`
	Set     map[string][]string `yaml:"set"`
	Insert  string              `yaml:"insert"`  // inserted before </body>, or appended
	Replace [][2]string         `yaml:"replace"` // literal replacements in the body
	Body    *string             `yaml:"body"`    // replaces the body
	URL     string              `yaml:"url"`
	Why     string              `yaml:"why"`
	Source  string              `yaml:"source"`

	Producer record.Layer `yaml:"producer"`
	Vendor   string       `yaml:"vendor"` // Class.Vendor; "" means none may be named
	Refusal  bool         `yaml:"refusal"`
	Match    string       `yaml:"match"` // positives: the deciding signature
	Plugin   string       `yaml:"plugin"`
	Theme    bool         `yaml:"theme_page"`
}

func loadPrecision(t testing.TB) []precisionCase {
	t.Helper()
	data, err := os.ReadFile("testdata/precision/corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var doc struct {
		Cases []precisionCase `yaml:"cases"`
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("corpus.yaml: %v", err)
	}
	return doc.Cases
}

// load builds the request and response of a case from its base sample.
func (pc *precisionCase) load(t testing.TB) (*record.HTTPRequest, *record.HTTPResponse) {
	t.Helper()
	s := sample{Name: pc.Name, Base: pc.Base, Status: pc.Status, Set: pc.Set, URL: pc.URL, Body: pc.Body}
	req, resp := s.load(t)
	body := resp.Body
	for _, r := range pc.Replace {
		if !strings.Contains(body, r[0]) {
			t.Fatalf("%s: replace %q: not in the base body", pc.Name, r[0])
		}
		body = strings.ReplaceAll(body, r[0], r[1])
	}
	if pc.Insert != "" {
		if i := strings.LastIndex(body, "</body>"); i >= 0 {
			body = body[:i] + pc.Insert + body[i:]
		} else {
			body += pc.Insert
		}
	}
	resp.Body, resp.BodyBytes = body, int64(len(body))
	return req, resp
}

// TestPrecisionCorpus: at least 40 hard negatives and 40 positives, each
// classified as expected; on the negatives no vendor is named that did not
// write the response (zero wrong attributions).
func TestPrecisionCorpus(t *testing.T) {
	db, cases := mustDB(t), loadPrecision(t)
	count := map[string]int{}
	names := map[string]bool{}
	for i := range cases {
		pc := &cases[i]
		count[pc.Kind]++
		if names[pc.Name] || pc.Why == "" || pc.Producer == "" {
			t.Errorf("%s: duplicate name, or no why or producer", pc.Name)
		}
		names[pc.Name] = true
		t.Run(pc.Kind+"/"+pc.Name, func(t *testing.T) {
			req, resp := pc.load(t)
			c := db.Classify(req, resp)
			if c.Producer != pc.Producer || c.Vendor != pc.Vendor || c.Refusal != pc.Refusal {
				t.Errorf("got %s/%q refusal=%v, want %s/%q refusal=%v (reasons %q)",
					c.Producer, c.Vendor, c.Refusal, pc.Producer, pc.Vendor, pc.Refusal, c.Reasons)
			}
			if c.Plugin != pc.Plugin || c.ThemePage != pc.Theme {
				t.Errorf("plugin %q theme_page %v, want %q %v", c.Plugin, c.ThemePage, pc.Plugin, pc.Theme)
			}
			checkAttribution(t, pc, c)
		})
	}
	if count["negative"] < 40 || count["positive"] < 40 || len(count) != 2 {
		t.Errorf("corpus has %v; want at least 40 negatives and 40 positives and no other kind", count)
	}
}

func checkAttribution(t *testing.T, pc *precisionCase, c *record.Class) {
	t.Helper()
	top := c.Top()
	switch pc.Kind {
	case "positive":
		if pc.Match == "" && top != nil && top.Kind == record.KindRefusal {
			t.Errorf("refusal signature %s decided; want the generic reasoning", top.ID)
		}
		if pc.Match != "" && (top == nil || top.Kind != record.KindRefusal || top.ID != pc.Match) {
			t.Errorf("deciding match %v, want refusal %s", top, pc.Match)
		}
	case "negative":
		for _, m := range c.Matches {
			if m.Kind == record.KindRefusal && m.Vendor != pc.Vendor {
				t.Errorf("wrong attribution: refusal signature %s (%s) fired on a response %s did not write", m.ID, m.Vendor, m.Vendor)
			}
		}
	}
}

// BenchmarkClassifyTheme: the theme page guard on the 54 KB theme page
// (the front page; as a theme 404 quoting vendor block phrases, behind
// Cloudflare), a vendor page whose phrase is entity-encoded, and the
// whole precision corpus in turn.
func BenchmarkClassifyTheme(b *testing.B) {
	db := mustDB(b)
	cases := loadPrecision(b)
	var all []benchPair
	byName := map[string]benchPair{}
	for i := range cases {
		req, resp := cases[i].load(b)
		all = append(all, benchPair{req, resp})
		byName[cases[i].Name] = benchPair{req, resp}
	}
	for _, name := range []string{"theme-home-200", "theme-404-quotes-cloudflare-behind-cloudflare", "theme-404-quotes-wordfence", "cloudflare-block-entities"} {
		p, ok := byName[name]
		if !ok {
			b.Fatalf("no corpus case %s", name)
		}
		runClassify(b, db, name, []benchPair{p})
	}
	runClassify(b, db, "precision-corpus", all)
}
