package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// TestLabScenarios diagnoses every lab scenario's first failing request
// against the real stack (HAProxy edge + nginx/Apache origin, ModSecurity,
// php-fpm, WordPress) and checks the top finding against the truth file.
// With WP403_CAPTURE_DIR set it also records each run as a capture.
func TestLabScenarios(t *testing.T) {
	lab := labtest.Acquire(t)
	scenarios, err := labkit.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	for _, sc := range scenarios {
		if only := os.Getenv("WP403_SCENARIO"); only != "" && only != sc.Name {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			if err := lab.Switch(ctx, sc.Name); err != nil {
				t.Fatalf("switch: %v", err)
			}
			prepareScenario(t, lab, sc)
			rep := runLabDiagnose(t, lab, sc, true)
			checkTruth(t, sc, rep)
		})
	}
}

// prepareScenario puts the site in the state a user would be in, where
// the scenario needs history (a rate limit already reached).
func prepareScenario(t *testing.T, lab *labkit.Lab, sc labkit.Scenario) {
	for _, f := range sc.Failing {
		for i := 1; i < f.Repeat; i++ {
			if resp, err := lab.Do(context.Background(), "edge", f); err == nil {
				resp.Body.Close()
			}
		}
		if f.Repeat > 1 {
			return
		}
	}
}

// runLabDiagnose runs 'wp403 diagnose' for the scenario's first failing
// request (or the default plan when none) and decodes the JSON report.
func runLabDiagnose(t *testing.T, lab *labkit.Lab, sc labkit.Scenario, withOrigin bool) *record.Report {
	t.Helper()
	args := labArgs(t, lab, sc, withOrigin)
	if dir := os.Getenv("WP403_CAPTURE_DIR"); dir != "" && withOrigin {
		args = append(args, "--record", filepath.Join(dir, sc.Name+".json"), "--name", sc.Name)
	}
	var out, errb bytes.Buffer
	env := Env{Vars: map[string]string{}}
	code := Run(context.Background(), env, strings.NewReader(""), &out, &errb, args)
	if code != ExitOK && code != ExitRefusal && !(sc.Problem != "" && code == ExitError) {
		t.Fatalf("wp403 %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	var rep record.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, out.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("args: %s", strings.Join(args, " "))
			for _, f := range rep.Findings {
				t.Logf("finding %s %s %s/%s %s: %s", f.ID, f.Severity, f.Layer, f.Mechanism, f.Request, f.Summary)
				for _, e := range f.Evidence {
					t.Logf("    %s", e)
				}
			}
		}
	})
	return &rep
}

// labArgs builds the command line a user of this scenario would type.
func labArgs(t *testing.T, lab *labkit.Lab, sc labkit.Scenario, withOrigin bool) []string {
	t.Helper()
	scheme := "https"
	var fr *labkit.TruthRequest
	if len(sc.Failing) > 0 {
		fr = &sc.Failing[0]
		if fr.Scheme != "" {
			scheme = fr.Scheme
		}
	}
	edge, err := lab.EdgeAddr(sc)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"diagnose", scheme + "://" + lab.Host + "/",
		"--resolve", lab.Host + ":443:" + edge, "--resolve", lab.Host + ":80:" + edge,
		"--cacert", lab.CA, "--format", "json", "--timeout", "10s"}
	if withOrigin {
		addr, err := lab.OriginAddr(sc.Origin)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--origin", addr)
	}
	if fr == nil {
		return append(args, credentialArgs(t, lab, "editor", "app-password+password", false)...)
	}
	if strings.HasPrefix(fr.UserAgent, "WordPress/") {
		// A Site Health message: the admin gives their login and the
		// cookies their browser holds, and asks for the loopback check.
		args = append(args, "--site-health")
		if c := fr.Headers["Cookie"]; c != "" {
			args = append(args, "--cookie", c)
		}
		return append(args, credentialArgs(t, lab, fr.User, "cookie+nonce", false)...)
	}
	if fr.Auth == "cookie+page-nonce" {
		// The user's nonce came from the page: they give the page and their
		// login, and wp403 reads the nonce off the page as the browser does.
		return append(args, credentialArgs(t, lab, fr.User, "cookie+nonce", false)...)
	}
	return append(args, requestArgs(t, lab, scheme, *fr)...)
}

func requestArgs(t *testing.T, lab *labkit.Lab, scheme string, r labkit.TruthRequest) []string {
	route, err := lab.Expand(context.Background(), r) // {draft}: a real draft of the request's user
	if err != nil {
		t.Fatal(err)
	}
	target := route
	if r.Style == "rest_route" {
		path, q, _ := strings.Cut(route, "?")
		target = scheme + "://" + lab.Host + "/index.php?rest_route=" + path
		if q != "" {
			target += "&" + q
		}
	}
	args := []string{"--request", r.Method + " " + target}
	if r.Body != "" {
		args = append(args, "--data", "@"+filepath.Join(lab.Dir(), "bodies", r.Body))
		ct := r.ContentType
		if ct == "" && strings.HasSuffix(r.Body, ".jpg") {
			ct = "image/jpeg"
		}
		if ct != "" {
			args = append(args, "--content-type", ct)
		}
	}
	for k, v := range r.Headers {
		args = append(args, "-H", k+": "+v)
	}
	if r.UserAgent != "" {
		args = append(args, "--user-agent", r.UserAgent)
	}
	args = append(args, credentialArgs(t, lab, r.User, r.Auth, r.WrongSecret)...)
	if r.Auth == "app-password" {
		// A user who knows their application password knows their login
		// too: with it and --write, wp403 can try a fresh application
		// password to tell a wrong one from a lost Authorization header.
		args = append(args, credentialArgs(t, lab, r.User, "password", false)...)
		args = append(args, "--write")
	}
	return args
}

// credentialArgs writes secrets to files, as a user would.
func credentialArgs(t *testing.T, lab *labkit.Lab, role, auth string, wrong bool) []string {
	if auth == "public" || auth == "" {
		return nil
	}
	u, err := lab.Creds(role)
	if err != nil {
		t.Fatal(err)
	}
	if wrong {
		u.AppPassword, u.Password = labkit.WrongAppPassword, u.Password+"-wrong"
	}
	dir := t.TempDir()
	write := func(name, v string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	switch auth {
	case "app-password":
		return []string{"--user", u.Login, "--app-password-file", write("app", u.AppPassword)}
	case "cookie+nonce":
		return []string{"--user", u.Login, "--password-file", write("pw", u.Password)}
	case "password":
		return []string{"--password-file", write("pw", u.Password)}
	case "app-password+password":
		return []string{"--user", u.Login, "--app-password-file", write("app", u.AppPassword), "--password-file", write("pw", u.Password)}
	case "cookie":
		return []string{"--cookie", loginCookies(t, lab, u)}
	case "cookie+stale-nonce":
		return []string{"--cookie", loginCookies(t, lab, u), "-H", "X-WP-Nonce: 0a1b2c3d4e"}
	}
	t.Fatalf("unknown auth kind %q", auth)
	return nil
}

// loginCookies logs in at the origin, as the user's browser did earlier.
func loginCookies(t *testing.T, lab *labkit.Lab, u labkit.User) string {
	t.Helper()
	pem, err := os.ReadFile(lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	addr, _ := lab.OriginAddr("nginx")
	d := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool},
			DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
				_, port, _ := net.SplitHostPort(a)
				return d.DialContext(ctx, n, net.JoinHostPort(addr, port))
			}}}
	form := url.Values{"log": {u.Login}, "pwd": {u.Password}, "testcookie": {"1"}}
	req, _ := http.NewRequest("POST", "https://"+lab.Host+"/wp-login.php", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "wordpress_test_cookie=WP%20Cookie%20check")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	resp.Body.Close()
	var parts []string
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "wordpress_") && c.Value != "" && c.MaxAge >= 0 {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	if len(parts) == 0 {
		t.Fatalf("login as %s set no cookies (status %d)", u.Login, resp.StatusCode)
	}
	return strings.Join(parts, "; ")
}

// checkTruth compares the report's top finding with the truth file.
func checkTruth(t *testing.T, sc labkit.Scenario, rep *record.Report) {
	t.Helper()
	var top *record.Finding
	for i := range rep.Findings {
		if rep.Findings[i].Severity == record.SevBlock {
			top = &rep.Findings[i]
			break
		}
	}
	switch {
	case sc.Problem != "":
		if rep.Problem == nil || string(rep.Problem.Kind) != sc.Problem {
			t.Errorf("want problem %s, got %+v", sc.Problem, rep.Problem)
		}
		if top != nil {
			t.Errorf("%s: unexpected block finding %s/%s: %s", sc.Problem, top.Layer, top.Mechanism, top.Summary)
		}
	case sc.Layer == "" || sc.Mechanism == "":
		if top != nil {
			t.Errorf("healthy scenario: unexpected block finding %s/%s on %s: %s", top.Layer, top.Mechanism, top.Request, top.Summary)
		}
	case sc.Mechanism == string(record.MechOriginLocked):
		if top != nil {
			t.Errorf("origin-locked: unexpected block finding %s/%s: %s", top.Layer, top.Mechanism, top.Summary)
		}
		if len(rep.Findings) == 0 || rep.Findings[0].Mechanism != record.MechOriginLocked {
			t.Errorf("origin-locked: first finding is not origin-locked")
		}
	case sc.Pending != "" && top != nil && string(top.Layer) == sc.Layer && string(top.Mechanism) == sc.Mechanism:
		t.Errorf("the verdict is now right (%s/%s): remove \"pending\" from %s's truth.json", top.Layer, top.Mechanism, sc.Name)
	case sc.Pending != "":
		got := "none"
		if top != nil {
			got = string(top.Layer) + "/" + string(top.Mechanism) + ": " + top.Summary
		}
		t.Skipf("verdict pending (%s); top block finding: %s, want %s/%s", sc.Pending, got, sc.Layer, sc.Mechanism)
	case top == nil:
		t.Errorf("want a block finding %s/%s, got none", sc.Layer, sc.Mechanism)
	case string(top.Layer) != sc.Layer || string(top.Mechanism) != sc.Mechanism:
		t.Errorf("top block finding is %s/%s, want %s/%s (%s)", top.Layer, top.Mechanism, sc.Layer, sc.Mechanism, top.Summary)
	}
}

// TestLabDiagnoseWithLogs switches the WAF on, diagnoses a blocked editor
// save with the origin's ModSecurity logs, and expects the finding to name
// the CRS rule the audit log recorded for the probe's request id.
func TestLabDiagnoseWithLogs(t *testing.T) {
	lab := labtest.Acquire(t)
	for _, name := range []string{"waf-post-content", "apache-waf-post-content"} {
		t.Run(name, func(t *testing.T) {
			sc, err := labkit.LoadScenario(lab.Dir(), name)
			if err != nil {
				t.Fatal(err)
			}
			if err := lab.Switch(context.Background(), name); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
			logs := []string{lab.Logs.ModsecAudit, lab.Logs.NginxError}
			if sc.Origin == "apache" {
				logs = []string{lab.Logs.ApacheModsecAudit, lab.Logs.ApacheError}
			}
			args := labArgs(t, lab, sc, true)
			args = append(args, "--no-waf-replay")
			for _, l := range logs {
				args = append(args, "--log", l)
			}
			rep := runArgs(t, args)
			top := firstBlock(rep)
			if top == nil || top.Layer != record.LayerWAF || top.Mechanism != record.MechWAFRule {
				t.Fatalf("top finding %+v, want waf/waf-rule", top)
			}
			if !hasRule(top.Rules, 941180) {
				t.Errorf("rules %+v, want 941180 from the audit log", top.Rules)
			}
			if !strings.Contains(strings.Join(top.Evidence, "\n"), "log ") {
				t.Errorf("evidence does not cite the log: %v", top.Evidence)
			}
		})
	}
}

func runArgs(t *testing.T, args []string) *record.Report {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, args)
	if code != ExitOK && code != ExitRefusal {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep record.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return &rep
}

func firstBlock(rep *record.Report) *record.Finding {
	for i := range rep.Findings {
		if rep.Findings[i].Severity == record.SevBlock {
			return &rep.Findings[i]
		}
	}
	return nil
}

func hasRule(rs []record.RuleHit, id int) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestLabWithoutOrigin diagnoses every scenario from the edge only. Where
// the layer can be named from one vantage it must be right; where it
// cannot, the finding must say what --origin would settle.
func TestLabWithoutOrigin(t *testing.T) {
	lab := labtest.Acquire(t)
	scenarios, err := labkit.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	for _, sc := range scenarios {
		if only := os.Getenv("WP403_SCENARIO"); only != "" && only != sc.Name {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			if err := lab.Switch(context.Background(), sc.Name); err != nil {
				t.Fatal(err)
			}
			if len(sc.Failing) > 0 && sc.Failing[0].Edge > 0 && sc.Failing[0].Edge < 400 {
				t.Skip("refused only at the origin: the edge alone cannot see it")
			}
			prepareScenario(t, lab, sc)
			rep := runLabDiagnose(t, lab, sc, false)
			top := firstBlock(rep)
			switch {
			case sc.Problem != "":
				checkTruth(t, sc, rep)
			case sc.Layer == "" || sc.Mechanism == string(record.MechOriginLocked):
				if top != nil {
					t.Errorf("unexpected block %s/%s: %s", top.Layer, top.Mechanism, top.Summary)
				}
			case sc.Pending != "" && (top == nil || string(top.Layer) != sc.Layer):
				t.Skipf("verdict pending (%s)", sc.Pending)
			case top == nil:
				t.Errorf("no block finding, want %s/%s", sc.Layer, sc.Mechanism)
			case string(top.Layer) != sc.Layer:
				if top.NeedsOrigin == "" {
					t.Errorf("layer %s, want %s, and no word on what --origin would settle", top.Layer, sc.Layer)
				} else {
					t.Logf("from the edge alone: %s/%s (truth %s/%s); needs origin: %s", top.Layer, top.Mechanism, sc.Layer, sc.Mechanism, top.NeedsOrigin)
				}
			}
		})
	}
}
