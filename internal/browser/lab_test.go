package browser

import (
	"context"
	"crypto/x509"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/redact"
)

// labConfig loads the lab, takes its lock, switches to the scenario and
// returns a retest config for the editor at the edge and the origin.
func labConfig(t *testing.T, scenario string) (*labkit.Lab, Config) {
	t.Helper()
	if _, err := Find(); err != nil {
		t.Skip(err)
	}
	lab := labtest.Acquire(t)
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") }) // before the lock is released
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := lab.Switch(ctx, scenario); err != nil {
		t.Fatalf("switch: %v", err)
	}
	u, err := lab.Creds("editor")
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	origin, err := lab.Addr("origin")
	if err != nil {
		t.Fatal(err)
	}
	scrub := &redact.Scrubber{}
	scrub.Add(u.Password, u.AppPassword)
	site, _ := url.Parse("https://" + lab.Host + "/")
	return lab, Config{Site: site, User: u.Login, Password: u.Password, RunID: "t" + time.Now().Format("150405.000"),
		Vantages: []Vantage{{Name: "edge", Addr: lab.Edge}, {Name: "origin", Addr: origin}},
		RootCAs:  pool, Scrub: scrub, Version: "test", Step: 45 * time.Second}
}

func TestLabWalkHealthy(t *testing.T) {
	_, cfg := labConfig(t, "healthy")
	results, err := Walk(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		for _, s := range r.Steps {
			t.Logf("%s %s pass=%v %s (%.0f ms)", r.Vantage, s.Name, s.Pass, s.Detail, s.MS)
		}
		if !r.Pass {
			t.Errorf("%s: the business path failed at %s", r.Vantage, r.FailedStep().Detail)
		}
		if len(r.Left) > 0 {
			t.Errorf("%s: left behind %v", r.Vantage, r.Left)
		}
		if strings.Contains(string(r.HAR), cfg.Password) {
			t.Errorf("%s: the HAR holds the password", r.Vantage)
		}
	}
}
