package remedy

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// privOrigin is a private nginx built from the lab's generated config.
const privOrigin = "127.0.96.2:18443"

// TestLabPHPAuthorization proves the nginx remedy for php-strip-authorization:
// the scenario's PHP location clears HTTP_AUTHORIZATION, which no server-level
// include can undo, so the remedy's line is added at the end of that location
// in a private nginx that serves the lab's WordPress with the lab's php-fpm.
func TestLabPHPAuthorization(t *testing.T) {
	run := useLab(t)
	sc := run.switchTo("php-strip-authorization")
	q := edgeReq{method: "GET", path: "/wp-json/wp/v2/users/me", user: "editor"}
	if got, _ := run.do(t, run.lab.Origins["nginx"]+":443", q); got != 401 {
		t.Fatalf("precondition: the lab origin answered %d, want 401", got)
	}
	f := record.Finding{Layer: record.Layer(sc.Layer), Mechanism: record.Mechanism(sc.Mechanism), Vendor: sc.Vendor,
		Request: record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthAppPassword}}
	snippet := firstFor("nginx + PHP-FPM")(run, For(&f, Context{Server: "nginx"}))
	if !strings.HasPrefix(snippet, "fastcgi_param HTTP_AUTHORIZATION") {
		t.Fatalf("first nginx remedy is not the Authorization pass-through:\n%s", snippet)
	}
	run.startOrigin(t, "nginx-php.conf;", true, strings.TrimSpace(snippet))
	run.expectAt(t, privOrigin, q, 200)
	run.expectAt(t, privOrigin, edgeReq{method: "GET", path: "/wp-json/wp/v2/users/me"}, 401)                 // no credentials
	run.expectAt(t, privOrigin, edgeReq{method: "GET", path: "/wp-json/wp/v2/settings", user: "editor"}, 403) // capability still checked
}

// startOrigin runs a private copy of the lab's nginx until the test ends,
// with line added after (keep) or instead of the include ending in suffix.
func (r *labRun) startOrigin(t *testing.T, suffix string, keep bool, line string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.lab.StateDir, "nginx", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out []string
	added := false
	for _, l := range strings.Split(string(b), "\n") {
		trim := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trim, "pid "):
			l = "pid " + filepath.Join(dir, "nginx.pid") + ";"
		case strings.HasPrefix(trim, "error_log "):
			l = "error_log " + filepath.Join(dir, "error.log") + ";"
		case strings.HasPrefix(trim, "access_log "):
			l = "  access_log off;"
		case strings.HasPrefix(trim, "listen ") && strings.HasSuffix(trim, ":80;"):
			continue
		case strings.HasPrefix(trim, "listen ") && strings.Contains(trim, ":443"):
			l = "    listen " + privOrigin + " ssl;"
		case strings.HasPrefix(trim, "include ") && strings.HasSuffix(trim, suffix):
			if keep {
				out = append(out, l)
			}
			l, added = "      "+line, true
		}
		out = append(out, l)
	}
	if !added {
		t.Fatalf("no include of %s in the lab's nginx.conf", suffix)
	}
	cfg := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(cfg, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if o, err := exec.Command("nginx", "-t", "-c", cfg).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, o)
	}
	busy(t, privOrigin)
	cmd := exec.Command("nginx", "-c", cfg, "-g", "daemon off;")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	for i := 0; i < 50; i++ {
		if c, err := net.DialTimeout("tcp", privOrigin, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("private origin did not listen on %s", privOrigin)
}
