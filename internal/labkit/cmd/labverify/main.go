// Command labverify switches the running lab to each scenario (or the named
// ones), checks every failing and control request of its truth file at the
// edge and at the origin, prints a table, resets the lab to healthy and exits
// 1 on any mismatch. It is what lab/verify runs.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/wp403/wp403/internal/labkit"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(names []string) int {
	lab, selected, err := setup(names)
	if err != nil {
		fmt.Fprintln(os.Stderr, "labverify:", err)
		return 2
	}
	ctx := context.Background()
	unlock, err := lab.Lock(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "labverify:", err)
		return 2
	}
	defer unlock()
	checks, bad := verifyAll(ctx, lab, selected)
	bad += labkit.WriteTable(os.Stdout, checks)
	fmt.Printf("\n%d scenarios, %d checks, %d mismatches\n", len(selected), len(checks), bad)
	if bad > 0 {
		return 1
	}
	return 0
}

// setup loads the lab and the selected scenarios (all when names is empty).
func setup(names []string) (*labkit.Lab, []labkit.Scenario, error) {
	lab, err := labkit.Load()
	if err != nil {
		return nil, nil, err
	}
	all, err := labkit.ScenariosIn(lab.Dir())
	if err != nil {
		return nil, nil, err
	}
	selected, err := pick(all, names)
	return lab, selected, err
}

// verifyAll checks every scenario, then resets the lab to healthy; bad counts failed switches.
func verifyAll(ctx context.Context, lab *labkit.Lab, scenarios []labkit.Scenario) ([]labkit.Check, int) {
	var checks []labkit.Check
	bad := 0
	for _, s := range scenarios {
		cs, err := lab.VerifyScenario(ctx, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "labverify: %s: %v\n", s.Name, err)
			bad++
			continue
		}
		checks = append(checks, cs...)
	}
	if err := lab.Switch(ctx, "healthy"); err != nil {
		fmt.Fprintln(os.Stderr, "labverify: reset:", err)
		bad++
	}
	return checks, bad
}

func pick(all []labkit.Scenario, names []string) ([]labkit.Scenario, error) {
	if len(names) == 0 {
		return all, nil
	}
	byName := map[string]labkit.Scenario{}
	for _, s := range all {
		byName[s.Name] = s
	}
	var out []labkit.Scenario
	for _, n := range names {
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown scenario %q", n)
		}
		out = append(out, s)
	}
	return out, nil
}
