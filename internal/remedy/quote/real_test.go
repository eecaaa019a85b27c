package quote

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// realPaths are the hostile path literals a route regex is built from,
// and a near miss each must not match.
var realPaths = [][2]string{
	{`/wp-json/oembed/1.0/a"b$c#d;e{f}'g`, `/wp-json/oembed/1x0/a"b$c#d;e{f}'g`},
	{`/wp-json/x%{y}/z\w`, `/wp-json/x%{y}/zw`},
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// checkServer starts a real server, then asks for each path: the quoted
// regex must match exactly its literal (403) and not the near miss.
func checkServer(t *testing.T, port int, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start %s: %v", cmd.Path, err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, p := range realPaths {
		for i, path := range p {
			req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("http://127.0.0.1:%d/", port), nil)
			req.URL.RawPath, req.URL.Path = "", path
			req.URL.Opaque = "//127.0.0.1:" + fmt.Sprint(port) + escapePath(path)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			resp.Body.Close()
			if want := i == 0; (resp.StatusCode == 403) != want {
				t.Errorf("%s: status %d, want the quoted regex to match=%v", path, resp.StatusCode, want)
			}
		}
	}
}

// escapePath percent-encodes what a request line cannot carry; servers
// match their regexes on the decoded path.
func escapePath(p string) string {
	return strings.NewReplacer(`"`, "%22", "#", "%23", "{", "%7B", "}", "%7D", `\`, "%5C", " ", "%20", "%", "%25").Replace(p)
}

func TestHAProxyQuotingInRealHAProxy(t *testing.T) {
	bin, err := exec.LookPath("haproxy")
	if err != nil || testing.Short() {
		t.Skip("no haproxy, or -short")
	}
	port, dir := freePort(t), t.TempDir()
	var acls strings.Builder
	for i, p := range realPaths {
		// path,url_dec: HAProxy's path is not decoded; the quoting under test is the same as for path_reg
		fmt.Fprintf(&acls, "    acl r%d path,url_dec -m reg %s\n    http-request deny if r%d\n", i, HAProxy("^"+regexp.QuoteMeta(p[0])+"$"), i)
	}
	cfg := fmt.Sprintf("defaults\n    mode http\n    timeout client 2s\n    timeout server 2s\n    timeout connect 2s\n"+
		"frontend f\n    bind 127.0.0.1:%d\n%s    http-request return status 200\n", port, acls.String())
	file := filepath.Join(dir, "h.cfg")
	os.WriteFile(file, []byte(cfg), 0o600)
	if out, err := exec.Command(bin, "-c", "-f", file).CombinedOutput(); err != nil {
		t.Fatalf("haproxy rejects the quoted config: %v\n%s\n%s", err, out, cfg)
	}
	checkServer(t, port, exec.Command(bin, "-db", "-f", file))
}

func TestNginxQuotingInRealNginx(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil || testing.Short() {
		t.Skip("no nginx, or -short")
	}
	port, dir := freePort(t), t.TempDir()
	var locs strings.Builder
	for _, p := range realPaths {
		fmt.Fprintf(&locs, "    location ~ %s { return 403; }\n", Nginx("^"+regexp.QuoteMeta(p[0])+"$"))
	}
	cfg := fmt.Sprintf("daemon off;\npid %s/n.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n"+
		"  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;\n"+
		"  server {\n    listen 127.0.0.1:%d;\n%s    location / { return 200; }\n  }\n}\n", dir, port, locs.String())
	file := filepath.Join(dir, "n.conf")
	os.WriteFile(file, []byte(cfg), 0o600)
	if out, err := exec.Command(bin, "-t", "-p", dir, "-c", file).CombinedOutput(); err != nil {
		t.Fatalf("nginx rejects the quoted config: %v\n%s\n%s", err, out, cfg)
	}
	checkServer(t, port, exec.Command(bin, "-p", dir, "-c", file))
}
