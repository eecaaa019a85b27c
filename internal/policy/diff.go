package policy

import (
	"net/url"
	"sort"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// Diff is what changed between two reports of the same site.
type Diff struct {
	A        DiffRun         `json:"a"`
	B        DiffRun         `json:"b"`
	Findings []FindingChange `json:"findings"`
	Statuses []StatusChange  `json:"statuses"`
	Checks   []CheckChange   `json:"checks,omitempty"`
	// Worse is true when B has a refusal, a failed request or a failing
	// check that A did not have.
	Worse bool `json:"worse"`
}

// DiffRun names one side.
type DiffRun struct {
	File     string    `json:"file"`
	Command  string    `json:"command"`
	Started  time.Time `json:"started,omitzero"`
	URL      string    `json:"url"`
	Refusals int       `json:"refusals"`
}

// FindingRef is a finding as the diff shows it.
type FindingRef struct {
	ID        string           `json:"id"`
	Severity  record.Severity  `json:"severity"`
	Layer     record.Layer     `json:"layer"`
	Mechanism record.Mechanism `json:"mechanism"`
	Vendor    string           `json:"vendor,omitempty"`
	Summary   string           `json:"summary"`
}

// The finding changes.
const (
	Appeared    = "appeared"
	Disappeared = "disappeared"
	Changed     = "changed"
)

// FindingChange is one finding that appeared, disappeared, or changed
// severity, layer or mechanism for the same request.
type FindingChange struct {
	Change  string         `json:"change"`
	Request record.Request `json:"request"`
	Before  *FindingRef    `json:"before,omitempty"`
	After   *FindingRef    `json:"after,omitempty"`
}

// StatusChange is a request whose status flipped at one vantage.
type StatusChange struct {
	Request string         `json:"request"` // "GET /wp-json/wp/v2/users?x=1 (public)"
	Vantage record.Vantage `json:"vantage"`
	Before  int            `json:"before"`
	After   int            `json:"after"`
}

// CheckChange is a policy check whose outcome changed.
type CheckChange struct {
	Name     string         `json:"name"`
	Identity string         `json:"identity,omitempty"`
	Request  record.Request `json:"request"`
	Before   record.Verdict `json:"before"`
	After    record.Verdict `json:"after"`
	Pass     bool           `json:"pass"`
}

// Compare returns what changed from a to b.
func Compare(a, b *record.Report, fileA, fileB string) *Diff {
	d := &Diff{A: run(a, fileA), B: run(b, fileB), Findings: []FindingChange{}, Statuses: []StatusChange{}}
	d.findings(a, b)
	d.statuses(a, b)
	d.checks(a, b)
	return d
}

func run(r *record.Report, file string) DiffRun {
	return DiffRun{File: file, Command: r.Command, Started: r.Started, URL: r.Target.URL, Refusals: r.Refusals()}
}

func ref(f *record.Finding) *FindingRef {
	return &FindingRef{ID: f.ID, Severity: f.Severity, Layer: f.Layer, Mechanism: f.Mechanism, Vendor: f.Vendor, Summary: f.Summary}
}

func (d *Diff) findings(a, b *record.Report) {
	before, after := byRequest(a), byRequest(b)
	keys := map[string]record.Request{}
	for _, fs := range []map[string][]*record.Finding{before, after} {
		for k, list := range fs {
			keys[k] = list[0].Request
		}
	}
	for _, k := range sortedKeys(keys) {
		olds, news := unmatched(before[k], after[k])
		for i := 0; i < max(len(olds), len(news)); i++ {
			c := FindingChange{Request: keys[k]}
			switch {
			case i >= len(olds):
				c.Change, c.After = Appeared, ref(news[i])
			case i >= len(news):
				c.Change, c.Before = Disappeared, ref(olds[i])
			default:
				c.Change, c.Before, c.After = Changed, ref(olds[i]), ref(news[i])
			}
			if c.After != nil && c.After.Severity == record.SevBlock && (c.Before == nil || c.Before.Severity != record.SevBlock) {
				d.Worse = true
			}
			d.Findings = append(d.Findings, c)
		}
	}
}

func byRequest(r *record.Report) map[string][]*record.Finding {
	out := map[string][]*record.Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		out[f.Request.String()] = append(out[f.Request.String()], f)
	}
	return out
}

// unmatched drops findings that are the same on both sides.
func unmatched(olds, news []*record.Finding) ([]*record.Finding, []*record.Finding) {
	same := func(x, y *record.Finding) bool {
		return x.Severity == y.Severity && x.Layer == y.Layer && x.Mechanism == y.Mechanism
	}
	var restOld []*record.Finding
	used := make([]bool, len(news))
	for _, o := range olds {
		found := false
		for j, n := range news {
			if !used[j] && same(o, n) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			restOld = append(restOld, o)
		}
	}
	var restNew []*record.Finding
	for j, n := range news {
		if !used[j] {
			restNew = append(restNew, n)
		}
	}
	return restOld, restNew
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pathQuery drops scheme and host, so runs through other hosts compare.
func pathQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.RequestURI()
}
