package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/verdict"
)

// TestReplayCaptures replays every embedded capture (real responses of the
// lab stack) through the whole diagnosis and checks the verdict against
// the scenario's truth file. It needs no lab: this is the fast form of
// TestLabScenarios.
func TestReplayCaptures(t *testing.T) {
	names := demo.Names()
	if len(names) == 0 {
		t.Fatal("no embedded captures; run lab/capture")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sc, err := labkit.LoadScenario(labkit.Dir(), name)
			if err != nil {
				t.Fatalf("truth for capture %s: %v", name, err)
			}
			var out, errb bytes.Buffer
			code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb,
				[]string{"demo", name, "--format", "json"})
			if code != ExitOK {
				t.Fatalf("demo exit %d, want 0 (a demonstration that ran): %s", code, errb.String())
			}
			var rep record.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			wantRefusal := sc.Layer != "" && sc.Mechanism != string(record.MechOriginLocked)
			if got := rep.Refusals() > 0; got != wantRefusal && sc.Pending == "" {
				t.Errorf("report has refusals: %v, want %v (diagnose would exit 3 exactly then)", got, wantRefusal)
			}
			checkTruth(t, sc, &rep)
		})
	}
}

// TestDefaultPlanOriginOnDemand replays every capture and checks the
// default plan's edge-first rule: a plan request is repeated straight to
// the origin exactly when its edge answer missed the expectation, and
// that repeat goes out in the step after the plan.
func TestDefaultPlanOriginOnDemand(t *testing.T) {
	compared := 0
	for _, name := range demo.Names() {
		var out, errb bytes.Buffer
		if code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb,
			[]string{"demo", name, "--format", "json"}); code != ExitOK {
			t.Fatalf("%s: demo exit %d: %s", name, code, errb.String())
		}
		var rep record.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Target.Origin == "" {
			continue
		}
		edge, origin := map[string]*record.Observation{}, map[string]*record.Observation{}
		for i := range rep.Observations {
			o := &rep.Observations[i]
			if o.Variant != record.VarAsSent || record.RoleOf(o.Probe) != record.RolePlan || o.Probe == record.ProbeIndex || strings.HasPrefix(o.Probe, "write-") {
				continue
			}
			map[record.Vantage]map[string]*record.Observation{record.VantageEdge: edge, record.VantageOrigin: origin}[o.Vantage][o.Probe] = o
		}
		for key, e := range edge {
			o := origin[key]
			switch {
			case verdict.Met(e) && o != nil:
				t.Errorf("%s: %s passed at the edge (%s) and was still sent to the origin (%s)", name, key, e.ID, o.ID)
			case !verdict.Met(e) && o == nil:
				t.Errorf("%s: %s missed its expectation at the edge (%s) and was not compared at the origin", name, key, e.ID)
			case o != nil && o.Wave != "plan (origin)":
				t.Errorf("%s: origin repeat %s of %s is in wave %q", name, o.ID, key, o.Wave)
			case o != nil:
				compared++
			}
		}
	}
	if compared == 0 {
		t.Fatal("no capture had a refused plan request compared at the origin")
	}
}

func TestDemoDefaultIsText(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, []string{"demo"})
	if code != ExitOK {
		t.Fatalf("exit %d, want 0: %s", code, errb.String())
	}
	for _, want := range []string{"BLOCK", "waf-rule", "941180", "SecRule"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestDemoList(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, []string{"demo", "list"})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if code != ExitOK || len(lines) != len(demo.Names()) {
		t.Fatalf("exit %d, %d lines for %d scenarios", code, len(lines), len(demo.Names()))
	}
	for i, n := range demo.Names() {
		name, desc, _ := strings.Cut(lines[i], " ")
		if name != n || len(strings.TrimSpace(desc)) < 20 {
			t.Errorf("line %q: want %s and a description", lines[i], n)
		}
	}
}

// TestDemoTextShortByDefault: by default each refusal shows its layer
// path, verdict and fix; the evidence and the observations come with -v.
func TestDemoTextShortByDefault(t *testing.T) {
	_, short, _ := runIn(t, "", "demo")
	_, long, _ := runIn(t, "", "demo", "-v")
	for _, want := range []string{"client -> edge -> waf X server", "it matched rule 941180", "fix ", "SecRule", "--verbose adds"} {
		if !strings.Contains(short, want) {
			t.Errorf("default text lacks %q", want)
		}
	}
	for _, verbose := range []string{"evidence", "waf rules", "Observations", "scope"} {
		if strings.Contains(short, "  "+verbose+" ") || strings.Contains(short, "\n"+verbose+"\n") {
			t.Errorf("default text shows %q", verbose)
		}
		if !strings.Contains(long, verbose) {
			t.Errorf("-v lacks %q", verbose)
		}
	}
	if n := strings.Count(short, "\n"); n > 100 {
		t.Errorf("default demo text is %d lines", n)
	}
}
