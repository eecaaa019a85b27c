package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPlantedSecretsExporter: the exporter's every endpoint (probe
// metrics, the status page, stored reports, its own metrics) and its log,
// and check --targets, after probing the reflecting site with an
// application password and a login identity: no planted secret in any form.
func TestPlantedSecretsExporter(t *testing.T) {
	srv := reflectServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	site := "    identities:\n      editor: {user: " + plUser + ", app_password: {file: app.pw}}\n" +
		"      browser: {user: " + plUser + ", password: {file: login.pw}}\n"
	echo := "  - name: echo\n    url: '" + srv.URL + "/?_wpnonce=" + plNonceQ + "&token=" + plTokenQ + "'\n" + site
	writeFiles(t, dir, map[string]string{"app.pw": plApp + "\n", "login.pw": plLogin + "\n", "echo.yaml": "sites:\n" + echo,
		"sites.yaml": "sites:\n" + echo + "  - name: gone\n    url: 'http://" + gone + "/'\n" + site})
	plantedRun(t, dir, []string{"fleet.jsonl"}, "check", "--targets", "echo.yaml", "--timeout", "5s", "--no-waf-replay", "-o", "fleet.jsonl")
	_, _, errs := runIn(t, dir, "check", "--targets", "sites.yaml", "--timeout", "5s", "--no-waf-replay", "-o", "fleet2.jsonl")
	assertNoPlanted(t, "check --targets (a site gone) stderr", errs)

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, Env{Vars: map[string]string{}, Dir: dir}, strings.NewReader(""), &out, &logs,
			[]string{"exporter", "--config", "sites.yaml", "--listen", addr, "--timeout", "5s", "--no-waf-replay"})
	}()
	base := "http://" + addr
	fetch := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/-/healthy"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the exporter did not start")
		}
	}
	pages := map[string]string{}
	for _, p := range []string{"/probe?target=echo", "/probe?target=gone", "/probe?target=echo&module=diagnose"} {
		pages[p] = fetch(p)
	}
	pages["/"] = fetch("/")
	for _, id := range regexp.MustCompile(`/report\?id=([A-Z2-7]+)`).FindAllStringSubmatch(pages["/"], -1) {
		pages["report "+id[1]] = fetch("/report?id=" + id[1])
	}
	for _, p := range []string{"/report?target=echo", "/report?target=gone", "/metrics"} {
		pages[p] = fetch(p)
	}
	cancel()
	<-done
	if !strings.Contains(pages["/report?target=echo"], "Echo") {
		t.Fatalf("the reflecting server's echo did not reach the stored report: the test would prove nothing")
	}
	for p, body := range pages {
		assertNoPlanted(t, "exporter "+p, body)
	}
	assertNoPlanted(t, "exporter log", logs.String())
	assertNoPlanted(t, "exporter stdout", out.String())
	if !strings.Contains(logs.String(), "probe failed") {
		t.Errorf("the log has no failed probe: the log path is not exercised:\n%s", logs.String())
	}
}
