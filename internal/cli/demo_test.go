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
			if code != ExitOK && code != ExitRefusal {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			var rep record.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			wantCode := ExitRefusal
			if sc.Layer == "" || sc.Mechanism == string(record.MechOriginLocked) {
				wantCode = ExitOK
			}
			if code != wantCode {
				t.Errorf("exit code %d, want %d", code, wantCode)
			}
			checkTruth(t, sc, &rep)
		})
	}
}

func TestDemoDefaultIsText(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, []string{"demo"})
	if code != ExitRefusal {
		t.Fatalf("exit %d, want %d: %s", code, ExitRefusal, errb.String())
	}
	for _, want := range []string{"BLOCK", "waf-rule", "941180", "SecRule"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}
