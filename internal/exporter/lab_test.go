package exporter

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/signature"
	"github.com/wp403/wp403/internal/waf"
)

// minInterval is how often the test's Prometheus probes the lab at
// least; on a loaded machine the interval grows to 1.5 probes.
const minInterval = 2 * time.Second

// alertExpr is examples/alerts.yml's WordPressRESTAccessBroken.
const alertExpr = `wp403_check_pass{expect="allow"} == 0`

// labConfig writes a sites.yaml for the lab: anonymous visitors with the
// public profile, the editor through an application password with the
// integration profile.
func labConfig(t *testing.T, lab *labkit.Lab) string {
	t.Helper()
	u, err := lab.Creds("editor")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, v := range map[string]string{"editor.app": u.AppPassword, "editor.pw": u.Password} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	origin, _ := lab.OriginAddr("nginx")
	doc := "sites:\n  - name: lab\n    url: https://" + lab.Host + "/\n    origin: " + origin + "\n" +
		"    resolve: ['" + lab.Host + ":443:" + lab.Edge + "']\n" +
		"    identities:\n      editor: {user: " + u.Login + ", app_password: {file: editor.app}}\n" +
		"    profiles:\n      public: [anonymous]\n      integration: [editor]\n"
	p := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startLabExporter serves an exporter for the lab on a loopback port.
func startLabExporter(t *testing.T, lab *labkit.Lab) string {
	t.Helper()
	return startLabExporterWith(t, lab, labConfig(t, lab))
}

// startLabExporterWith serves an exporter for the lab with config.
func startLabExporterWith(t *testing.T, lab *labkit.Lab, config string) string {
	t.Helper()
	ca, err := os.ReadFile(lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := waf.New(waf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runner := &Runner{Base: diagnose.Config{CACertPEM: ca, Timeout: 10 * time.Second, Concurrency: 4, Classifier: db, Replayer: replayer{eng}},
		Secret: func(dir string) func(policy.Secret) (string, error) {
			return func(s policy.Secret) (string, error) {
				b, err := os.ReadFile(filepath.Join(dir, s.File))
				return string(trimNL(b)), err
			}
		}}
	e, err := New(Options{ConfigPath: config, Runner: runner, Vocab: NewVocab(product.Default())})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = e.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// intervalFor measures three probes of the healthy lab and returns a
// scrape interval they fit in: minInterval, or 1.5 times the slowest
// probe when other work loads the machine.
func intervalFor(t *testing.T, addr string) time.Duration {
	t.Helper()
	var slowest time.Duration
	for range 3 {
		start := time.Now()
		if code, body := get(t, "http://"+addr+"/probe?target=lab"); code != 200 || !strings.Contains(body, "wp403_probe_success 1") {
			t.Fatalf("probe of the healthy lab: %d\n%s", code, body)
		}
		slowest = max(slowest, time.Since(start))
	}
	iv := max(minInterval, (slowest * 3 / 2).Round(time.Second))
	t.Logf("slowest of 3 probes %s: scrape interval %s", slowest.Round(10*time.Millisecond), iv)
	return iv
}

// replayer is the OWASP CRS replay wp403 exporter runs by default.
type replayer struct{ eng *waf.Engine }

func (r replayer) Replay(method, rawURL string, h http.Header, body []byte) (*record.WAFResult, error) {
	return r.eng.Replay(context.Background(), waf.Request{Method: method, URL: rawURL, Header: h, Body: body})
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func examplesDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples")
}

// TestLabPrometheus: Debian's real Prometheus scrapes the exporter
// against the real lab every two seconds, with examples/alerts.yml
// loaded. Healthy: every check passes. A refusal scenario: within two
// scrape intervals the alert expression is true and its labels name the
// scenario's refusing layer, and the alert fires. Reset: it clears.
func TestLabPrometheus(t *testing.T) {
	lab := labtest.Acquire(t)
	rules := filepath.Join(examplesDir(), "alerts.yml")
	if out, err := exec.Command("promtool", "check", "rules", rules).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	ctx := context.Background()
	if err := lab.Switch(ctx, "healthy"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	addr := startLabExporter(t, lab)
	scrapeInterval := intervalFor(t, addr)
	iv := scrapeInterval.String()
	prom := startPrometheus(t, "global:\n  scrape_interval: "+iv+"\n  scrape_timeout: "+iv+"\n  evaluation_interval: 1s\n"+
		"rule_files: ['"+rules+"']\n"+
		"scrape_configs:\n  - job_name: wp403-shard-0\n    metrics_path: /probe\n    static_configs: [{targets: [lab]}]\n"+
		"    relabel_configs:\n"+
		"      - {source_labels: [__address__], target_label: __param_target}\n"+
		"      - {source_labels: [__param_target], target_label: instance}\n"+
		"      - {target_label: __address__, replacement: '"+addr+"'}\n"+
		"      - {source_labels: [__address__], target_label: exporter}\n")
	healthy := func(what string) {
		_, took := prom.waitFor(t, what, `wp403_check_pass{instance="lab"}`, 60*time.Second, func(res []sample) bool {
			vals := make([]string, len(res))
			for i, s := range res {
				vals[i] = value(s)
			}
			return len(res) >= 7 && allEqual(vals, "1")
		})
		t.Logf("%s: every check passes (%s)", what, took.Round(100*time.Millisecond))
	}
	healthy("healthy")
	for _, sc := range []string{"edge-path-block", "waf-put-delete"} {
		truth, err := labkit.LoadScenario(lab.Dir(), sc)
		if err != nil {
			t.Fatal(err)
		}
		if err := lab.Switch(ctx, sc); err != nil {
			t.Fatal(err)
		}
		res, took := prom.waitFor(t, sc, alertExpr, 2*scrapeInterval, func(res []sample) bool { return len(res) > 0 })
		layers := labelsOf(res, "layer")
		if !allEqual(layers, truth.Layer) {
			t.Errorf("%s: the alert's layers are %v, want %s", sc, layers, truth.Layer)
		}
		t.Logf("%s: alert expression true after %s: %d failing checks, layer %v", sc, took.Round(100*time.Millisecond), len(res), layers)
		alerts, _ := prom.waitFor(t, sc+" alert", `ALERTS{alertname="WordPressRESTAccessBroken",alertstate="firing"}`, 10*time.Second,
			func(res []sample) bool { return len(res) > 0 })
		if got := labelsOf(alerts, "layer"); !allEqual(got, truth.Layer) || alerts[0].Metric["exporter"] != addr {
			t.Errorf("%s: firing alert labels %v", sc, alerts[0].Metric)
		}
		if err := lab.Switch(ctx, "healthy"); err != nil {
			t.Fatal(err)
		}
		_, took = prom.waitFor(t, sc+" reset", alertExpr, 2*scrapeInterval, func(res []sample) bool { return len(res) == 0 })
		t.Logf("%s: reset, alert expression clear after %s", sc, took.Round(100*time.Millisecond))
		healthy(sc + " reset")
	}
}
