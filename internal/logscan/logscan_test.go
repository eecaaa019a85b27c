package logscan

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

func scanFixture(t *testing.T, name string, opt Options) ([]record.LogEntry, Stats) {
	t.Helper()
	var got []record.LogEntry
	st, err := ScanFile(context.Background(), filepath.Join("testdata", name), opt, func(e record.LogEntry) { got = append(got, e) })
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return got, st
}

func byRequestID(entries []record.LogEntry, id string) *record.LogEntry {
	for i := range entries {
		if entries[i].RequestID == id {
			return &entries[i]
		}
	}
	return nil
}

func ruleIDs(e *record.LogEntry) []int {
	var ids []int
	for _, r := range e.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func hasID(ids []int, id int) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestFixtures reads every real log and checks the blocked editor save:
// format detected, CRS rule 941180 on the post content, score 5.
func TestFixtures(t *testing.T) {
	cases := []struct {
		file, format, saveID, target string
		entries                      int
	}{
		{"modsec3-audit.json", FmtModsec3JSON, "gen-4", "ARGS:json.content", 12},
		{"modsec3-audit-native.log", FmtModsec3, "gen-16", "ARGS:json.content", 6},
		{"modsec2-audit.json", FmtModsec2JSON, "gen-40", "ARGS:content", 6},
		{"modsec2-audit-native.log", FmtModsec2, "gen-52", "ARGS:content", 6},
	}
	for _, c := range cases {
		got, st := scanFixture(t, c.file, Options{})
		if st.Format != c.format || st.Unparsed != 0 || len(got) != c.entries {
			t.Errorf("%s: format %s unparsed %d entries %d, want %s 0 %d", c.file, st.Format, st.Unparsed, len(got), c.format, c.entries)
			continue
		}
		e := byRequestID(got, c.saveID)
		if e == nil {
			t.Errorf("%s: no entry for %s", c.file, c.saveID)
			continue
		}
		if !e.Blocked || e.Status != 403 || e.Score != 5 || e.Method != "POST" || e.Route != "/wp/v2/posts/1" {
			t.Errorf("%s: %+v", c.file, e)
		}
		if ids := ruleIDs(e); !hasID(ids, 941180) || !hasID(ids, 949110) || e.Rules[0].Target != c.target {
			t.Errorf("%s: rules %v target %q, want 941180+949110 on %s", c.file, ids, e.Rules[0].Target, c.target)
		}
	}
}

func TestCoraza(t *testing.T) {
	for _, f := range []string{"coraza-audit.json", "coraza-audit-native.log"} {
		got, st := scanFixture(t, f, Options{})
		e := byRequestID(got, "coraza-2")
		if len(got) != 4 || st.Unparsed != 0 || e == nil {
			t.Fatalf("%s: %d entries, %d unparsed, %v", f, len(got), st.Unparsed, e)
		}
		if ids := ruleIDs(e); !e.Blocked || !hasID(ids, 941100) || !hasID(ids, 949110) || e.Score != 30 {
			t.Errorf("%s: %+v", f, e)
		}
	}
}

func TestErrorLogs(t *testing.T) {
	ng, st := scanFixture(t, "nginx-error.log", Options{})
	if st.Format != FmtNginxError || len(ng) != 18 {
		t.Fatalf("nginx: %s, %d entries", st.Format, len(ng))
	}
	if e := ng[0]; e.Method != "POST" || e.Route != "/wp/v2/posts/1" || e.UniqueID == "" || !hasID(ruleIDs(&e), 949110) || e.Score != 5 {
		t.Errorf("nginx first entry: %+v", e)
	}
	ap, st := scanFixture(t, "apache-error.log", Options{})
	if st.Format != FmtApacheError || len(ap) != 5 {
		t.Fatalf("apache: %s, %d entries", st.Format, len(ap))
	}
	if e := ap[0]; !e.Blocked || e.Status != 403 || !hasID(ruleIDs(&e), 941180) || e.Rules[0].Target != "ARGS:content" {
		t.Errorf("apache first entry: %+v", e)
	}
}

func TestAccessLogs(t *testing.T) {
	for _, f := range []string{"nginx-access-combined.log", "apache-access-combined.log", "apache-access-common.log"} {
		got, st := scanFixture(t, f, Options{})
		if st.Format != FmtAccess || st.Unparsed != 0 || st.Skipped == 0 || len(got) == 0 {
			t.Errorf("%s: %+v", f, st)
		}
		for _, e := range got {
			if e.Route == "" || e.Status == 0 || e.Time.IsZero() || e.Client != "127.0.0.1" {
				t.Errorf("%s: incomplete %+v", f, e)
			}
		}
	}
}

func TestCustomLogFormat(t *testing.T) {
	lf, err := CompileLogFormat(`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rid=$http_x_wp403_request_id rt=$request_time`)
	if err != nil {
		t.Fatal(err)
	}
	got, st := scanFixture(t, "nginx-access-wp403.log", Options{LogFormat: lf})
	if st.Format != FmtCustom || st.Unparsed != 0 {
		t.Fatalf("%+v", st)
	}
	e := byRequestID(got, "gen-4")
	if e == nil || e.Status != 403 || e.Method != "POST" || e.UserAgent == "" {
		t.Fatalf("gen-4: %+v", e)
	}
	if _, err := CompileLogFormat("no variables"); err == nil {
		t.Error("a format without variables compiled")
	}
	ap, err := CompileLogFormat(`%h %l %u %t \"%r\" %>s %O`)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := ap.Parse(`127.0.0.1 - - [26/Nov/2026:17:29:42 +0000] "GET /wp-json/ HTTP/1.1" 200 135`); !ok || e.Status != 200 || e.URI != "/wp-json/" {
		t.Errorf("apache LogFormat: %v %+v", ok, e)
	}
}

func TestHAProxy(t *testing.T) {
	got, st := scanFixture(t, "haproxy-http.log", Options{})
	if st.Format != FmtHAProxy || st.Unparsed != 0 {
		t.Fatalf("%+v", st)
	}
	var edge, origin int
	for _, e := range got {
		if e.RequestID == "" || e.Status == 0 {
			t.Errorf("incomplete %+v", e)
		}
		if e.Blocked {
			edge++
			if e.Route != "/wp/v2/users" {
				t.Errorf("edge refusal on %s", e.Route)
			}
		} else if e.Status == 403 {
			origin++ // refused behind HAProxy, by the origin's WAF
		}
	}
	if edge != 1 || origin == 0 {
		t.Errorf("edge refusals %d, origin refusals %d", edge, origin)
	}
}

func TestCloudflareDocumented(t *testing.T) {
	nd, st := scanFixture(t, "cloudflare-firewall-logpush.documented.ndjson", Options{})
	if st.Format != FmtCloudflare || len(nd) != 3 || !nd[0].Blocked || nd[0].Route != "/wp/v2/posts/1" || nd[1].Route != "/wp/v2/users" || nd[2].Blocked {
		t.Fatalf("logpush: %+v %+v", st, nd)
	}
	gq, st := scanFixture(t, "cloudflare-firewall-graphql.documented.json", Options{})
	if st.Format != FmtCloudflare || len(gq) != 2 || !gq[0].Blocked || gq[0].Client != "198.51.100.23" || gq[0].Time.IsZero() {
		t.Fatalf("graphql: %+v %+v", st, gq)
	}
}

// TestNoSecrets: the fake cookie and nonce the generator sent appear in
// the raw logs and must appear in no entry.
func TestNoSecrets(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		raw, _ := os.ReadFile(f)
		got, _ := scanFixture(t, filepath.Base(f), Options{All: true})
		out, _ := json.Marshal(got)
		for _, secret := range []string{"FAKEFAKEFAKE", "0a1b2c3d4e", "deadbeef", "wp-settings-1=editor"} {
			if bytes.Contains(out, []byte(secret)) {
				t.Errorf("%s: %q leaked into entries", f, secret)
			}
		}
		_ = raw
	}
}

func TestUnparsedLinesAreCountedNotFatal(t *testing.T) {
	raw, _ := os.ReadFile("testdata/nginx-access-combined.log")
	lines := strings.Split(string(raw), "\n")
	mixed := strings.Join(lines[:5], "\n") + "\ngarbage line Cookie: wordpress_logged_in=SECRETSECRET\n" + strings.Join(lines[5:], "\n")
	var n int
	st, err := Scan(context.Background(), strings.NewReader(mixed), "mixed", Options{All: true}, func(record.LogEntry) { n++ })
	if err != nil || st.Unparsed != 1 || len(st.Samples) != 1 || n != len(lines)-1 {
		t.Fatalf("err %v stats %+v entries %d", err, st, n)
	}
	if strings.Contains(st.Samples[0].Text, "SECRETSECRET") {
		t.Errorf("sample leaks the cookie: %q", st.Samples[0].Text)
	}
}

func TestGzipAndLongLines(t *testing.T) {
	raw, _ := os.ReadFile("testdata/modsec3-audit.json")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	var n int
	st, err := Scan(context.Background(), &buf, "x.gz", Options{}, func(record.LogEntry) { n++ })
	if err != nil || n != 12 || st.Format != FmtModsec3JSON {
		t.Fatalf("gzip: %v %d %+v", err, n, st)
	}
	long := string(raw) + "{" + strings.Repeat(`"a":1,`, 2000) + `"b":2}` + "\n"
	st, err = Scan(context.Background(), strings.NewReader(long), "long", Options{MaxLine: 8 << 10}, func(record.LogEntry) {})
	if err != nil || st.TooLong != 1 || st.Unparsed != 1 {
		t.Fatalf("long line: %v %+v", err, st)
	}
}

func TestSinceUntil(t *testing.T) {
	got, _ := scanFixture(t, "modsec3-audit.json", Options{})
	mid := got[6].Time
	_, st := scanFixture(t, "modsec3-audit.json", Options{Since: mid.Add(time.Hour)})
	if st.Entries != 0 || st.Filtered != 12 {
		t.Errorf("since: %+v", st)
	}
	_, st = scanFixture(t, "modsec3-audit.json", Options{Until: mid.Add(-time.Hour)})
	if st.Entries != 0 {
		t.Errorf("until: %+v", st)
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := Scan(context.Background(), strings.NewReader("hello\nworld\n"), "x", Options{}, func(record.LogEntry) {})
	if err == nil || !strings.Contains(err.Error(), "unknown log format") {
		t.Fatalf("err = %v", err)
	}
}

func TestRoute(t *testing.T) {
	cases := []struct{ uri, route string }{
		{"/wp-json/", "/"},
		{"/wp-json", "/"},
		{"/wp-json/wp/v2/posts/1?_locale=user", "/wp/v2/posts/1"},
		{"/blog/wp-json/wp/v2/posts/", "/wp/v2/posts"},
		{"/?rest_route=%2Fwp%2Fv2%2Fusers&x=1", "/wp/v2/users"},
		{"/wp-admin/admin-ajax.php?action=rest-nonce", "rest-nonce"},
		{"https://blog.example/wp-json/wp/v2/media", "/wp/v2/media"},
	}
	for _, c := range cases {
		if r, _, ok := record.ParseRoute(c.uri, ""); !ok || r != c.route {
			t.Errorf("record.ParseRoute(%q) = %q %v, want %q", c.uri, r, ok, c.route)
		}
	}
	for _, uri := range []string{"/sample-page/", "/wp-admin/admin-ajax.php?action=heartbeat", "/?p=1"} {
		if _, _, ok := record.ParseRoute(uri, ""); ok {
			t.Errorf("record.ParseRoute(%q) is REST", uri)
		}
	}
	if r, _, ok := record.ParseRoute("/api/wp/v2/posts", "/api/"); !ok || r != "/wp/v2/posts" {
		t.Errorf("custom prefix: %q %v", r, ok)
	}
}

// TestMixedAuditLog: the lab's own audit log holds JSON records and, after
// a format change, native ones; both are read, nothing is unparsed.
func TestMixedAuditLog(t *testing.T) {
	js, _ := os.ReadFile("testdata/modsec3-audit.json")
	nat, _ := os.ReadFile("testdata/modsec3-audit-native.log")
	mixed := string(js) + string(nat) + string(js)
	var n int
	st, err := Scan(context.Background(), strings.NewReader(mixed), "mixed", Options{}, func(record.LogEntry) { n++ })
	if err != nil || n != 30 || st.Unparsed != 0 || st.Format != FmtModsec3JSON {
		t.Fatalf("err %v, %d entries, %+v", err, n, st)
	}
}

// TestDetectionOnly: libmodsecurity in DetectionOnly logs matches for
// requests it lets through; they are not refusals by the WAF.
func TestDetectionOnly(t *testing.T) {
	js, _ := os.ReadFile("testdata/modsec3-audit.json")
	line := strings.SplitN(string(js), "\n", 2)[0]
	line = strings.Replace(line, `"secrules_engine":"Enabled"`, `"secrules_engine":"DetectionOnly"`, 1)
	line = strings.Replace(line, `"http_code":403`, `"http_code":404`, 1)
	var got []record.LogEntry
	if _, err := Scan(context.Background(), strings.NewReader(line+"\n"), "d", Options{}, func(e record.LogEntry) { got = append(got, e) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Blocked || got[0].Action != "log" || len(got[0].Rules) == 0 {
		t.Fatalf("%+v", got)
	}
}

func TestHAProxyDaemonMessages(t *testing.T) {
	raw, _ := os.ReadFile("testdata/lab-haproxy.log")
	log := "[NOTICE]   (1234) : New worker (1235) forked\nProxy edge stopped (cumulated conns: FE: 3, BE: 0).\n" + string(raw) +
		"127.0.0.1:50790 [26/Nov/2026:17:55:51.932] edge/2: Connection closed during SSL handshake\n" +
		"[WARNING]  (1234) : Former worker (1200) exited with code 0 (Exit)\n"
	st, err := Scan(context.Background(), strings.NewReader(log), "h", Options{}, func(record.LogEntry) {})
	if err != nil || st.Format != FmtHAProxy || st.Unparsed != 0 || st.Entries != 5 {
		t.Fatalf("%v %+v", err, st)
	}
}

// TestTruncatedGzip: a .gz cut short keeps the entries read before the
// cut and says where reading stopped.
func TestTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	src := &synthLog{n: 50_000}
	io.Copy(zw, src)
	zw.Close()
	cut := buf.Bytes()[:buf.Len()/2]
	var n int
	st, err := Scan(context.Background(), bytes.NewReader(cut), "cut.gz", Options{}, func(record.LogEntry) { n++ })
	if err == nil || !strings.Contains(err.Error(), "line ") || n == 0 || st.Format != FmtAccess || st.Lines == 0 {
		t.Fatalf("err %v, %d entries, %+v", err, n, st)
	}
}

// TestZone: error-log times carry no zone; Options.Zone says which.
func TestZone(t *testing.T) {
	utc, _ := scanFixture(t, "nginx-error.log", Options{})
	paris, _ := scanFixture(t, "nginx-error.log", Options{Zone: time.FixedZone("+02:00", 2*3600)})
	if d := utc[0].Time.Sub(paris[0].Time); d != 2*time.Hour {
		t.Errorf("zone shift %v", d)
	}
	acc, _ := scanFixture(t, "nginx-access-combined.log", Options{Zone: time.FixedZone("+02:00", 2*3600)})
	if _, off := acc[0].Time.Zone(); off != 0 {
		t.Errorf("a time with its own zone was moved: %v", acc[0].Time)
	}
}
