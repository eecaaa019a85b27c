package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, args)
	return code, out.String(), errb.String()
}

const fx = "../logscan/testdata/"

func TestLogsFindsRefusals(t *testing.T) {
	code, out, errs := runCLI(t, "logs", fx+"lab-haproxy.log", fx+"lab-nginx-access.log", fx+"lab-nginx-error.log", fx+"lab-modsec3-audit.json")
	if code != ExitRefusal {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	for _, want := range []string{"POST /wp/v2/posts/{id}", "941180 Node-Validator Blacklist Keywords on ARGS:json.content", "ModSecurity v3", "3 refused requests"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLogsStdin(t *testing.T) {
	raw, err := os.ReadFile(fx + "nginx-error.log")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, bytes.NewReader(raw), &out, &errb, []string{"logs", "-"})
	if code != ExitRefusal || !strings.Contains(out.String(), "(stdin): nginx-error") {
		t.Fatalf("exit %d %s\n%s", code, errb.String(), out.String())
	}
}

func TestLogsTop(t *testing.T) {
	code, out, _ := runCLI(t, "logs", "--top", "2", fx+"modsec3-audit.json")
	if code != ExitRefusal || !strings.Contains(out, "more groups") || strings.Count(out, "ModSecurity v3") != 2 {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestLogsJSONAndNoRefusal(t *testing.T) {
	code, out, _ := runCLI(t, "logs", "-f", "json", "--until", "2000-01-01", fx+"modsec3-audit.json")
	var v struct {
		Schema  string `json:"schema"`
		Refused int    `json:"refused"`
		Files   []struct {
			Filtered int `json:"filtered"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != ExitOK || v.Schema != "wp403.logs/v1" || v.Refused != 0 || v.Files[0].Filtered != 12 {
		t.Fatalf("exit %d err %v %+v\n%s", code, err, v, out)
	}
}

func TestLogsCustomFormat(t *testing.T) {
	code, out, _ := runCLI(t, "logs", "-f", "json", "--log-format",
		`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rid=$http_x_wp403_request_id rt=$request_time`,
		fx+"nginx-access-wp403.log")
	if code != ExitRefusal || !strings.Contains(out, `"gen-4"`) {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestLogsUsageAndErrors(t *testing.T) {
	if code, _, _ := runCLI(t, "logs", "--since", "yesterday-ish", fx+"nginx-error.log"); code != ExitUsage {
		t.Errorf("bad --since: exit %d", code)
	}
	if code, _, _ := runCLI(t, "logs", "--as", "syslog", fx+"nginx-error.log"); code != ExitUsage {
		t.Errorf("bad --as: exit %d", code)
	}
	if code, _, _ := runCLI(t, "logs", "--log-format", "nothing", fx+"nginx-error.log"); code != ExitUsage {
		t.Errorf("bad --log-format: exit %d", code)
	}
	code, _, errs := runCLI(t, "logs", fx+"does-not-exist.log")
	if code != ExitUsage || !strings.Contains(errs, "does-not-exist.log: no such file") || strings.Count(errs, "\n") != 1 {
		t.Errorf("missing file: exit %d\n%s", code, errs)
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"2h":                   now.Add(-2 * time.Hour),
		"2026-11-26":           time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		"2026-11-26 17:30":     time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC),
		"2026-11-26T17:30:00Z": time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC),
	}
	for in, want := range cases {
		if got, err := parseWhen(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v", in, got, err)
		}
	}
}
