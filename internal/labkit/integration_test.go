package labkit

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLabVerify checks every scenario's truth file against the running lab.
// It runs when the lab is up (lab/.state/credentials.json and a live edge),
// or fails when WP403_LAB=1 demands it; WP403_LAB=0 or -short skip it.
func TestLabVerify(t *testing.T) {
	lab := requireLab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	unlock, err := lab.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	all, err := ScenariosIn(lab.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if only := os.Getenv("WP403_LAB_SCENARIOS"); only != "" {
		all = filterScenarios(all, strings.Split(only, ","))
	}
	defer func() {
		if err := lab.Switch(context.Background(), "healthy"); err != nil {
			t.Errorf("reset: %v", err)
		}
	}()
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			checks, err := lab.VerifyScenario(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range checks {
				if !c.OK() {
					t.Errorf("%s at %s: want %d %s [%s], got %d %s [%s] (err %v)", c.Request, c.Vantage,
						c.Want, c.WantCode, c.Request.Step, c.Got, c.GotCode, c.Step, c.Err)
				}
			}
		})
	}
}

// requireLab returns the running lab or skips (fails with WP403_LAB=1) with the reason.
func requireLab(t *testing.T) *Lab {
	t.Helper()
	switch {
	case os.Getenv("WP403_LAB") == "0":
		t.Skip("integration tests skipped: WP403_LAB=0")
	case testing.Short():
		t.Skip("integration tests skipped: -short")
	}
	lab, err := Load()
	if err != nil {
		if errors.Is(err, ErrNotUp) && os.Getenv("WP403_LAB") != "1" {
			t.Skipf("integration tests skipped: %v", err)
		}
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		t.Skip("integration tests skipped: the lab helpers (lab/scenario, labctl.php) need root")
	}
	return lab
}

func filterScenarios(all []Scenario, names []string) []Scenario {
	var out []Scenario
	for _, s := range all {
		for _, n := range names {
			if s.Name == strings.TrimSpace(n) {
				out = append(out, s)
			}
		}
	}
	return out
}
