package logscan

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// seedLines adds the first lines of fixture files to a fuzz corpus.
func seedLines(f *testing.F, max int, names ...string) {
	for _, n := range names {
		file, err := os.Open(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<20)
		for i := 0; i < max && sc.Scan(); i++ {
			f.Add(sc.Text())
		}
		file.Close()
	}
}

// fuzzParser feeds one line to a parser with every option and checks the
// invariants that must hold for any input: no panic, entries carry the
// format, and a REST entry has a route.
func fuzzParser(t *testing.T, format, line string) {
	lf, _ := CompileLogFormat(`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rid=$http_x_wp403_request_id`)
	for _, all := range []bool{false, true} {
		p, err := newParser(format, &Options{All: all, LogFormat: lf}, "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		emit := func(e record.LogEntry) {
			if e.Format == "" {
				t.Fatalf("entry without format from %q", line)
			}
			if !all && e.Route == "" {
				t.Fatalf("non-REST entry kept from %q", line)
			}
		}
		for _, l := range strings.Split(line, "\n") {
			p.line([]byte(l), 1, emit)
		}
		p.end(emit)
	}
}

func FuzzAccess(f *testing.F) {
	seedLines(f, 5, "nginx-access-combined.log", "apache-access-common.log", "lab-nginx-access.log")
	f.Fuzz(func(t *testing.T, s string) { fuzzParser(t, FmtAccess, s) })
}

func FuzzCustomFormat(f *testing.F) {
	seedLines(f, 5, "nginx-access-wp403.log")
	f.Fuzz(func(t *testing.T, s string) { fuzzParser(t, FmtCustom, s) })
}

func FuzzLogFormatCompile(f *testing.F) {
	f.Add(`$remote_addr [$time_local] "$request" $status`, `127.0.0.1 [26/Nov/2026:17:29:41 +0000] "GET /wp-json/ HTTP/1.1" 200`)
	f.Add(`%h %l %u %t \"%r\" %>s %b`, `::1 - - [26/Nov/2026:17:29:41 +0000] "POST /?rest_route=/x HTTP/1.1" 403 5`)
	f.Fuzz(func(t *testing.T, spec, line string) {
		lf, err := CompileLogFormat(spec)
		if err != nil {
			return
		}
		lf.Parse(line)
	})
}

func FuzzErrorLog(f *testing.F) {
	seedLines(f, 8, "nginx-error.log", "apache-error.log")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, FmtNginxError, s)
		fuzzParser(t, FmtApacheError, s)
	})
}

func FuzzNativeAudit(f *testing.F) {
	for _, n := range []string{"modsec2-audit-native.log", "modsec3-audit-native.log", "coraza-audit-native.log"} {
		raw, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(raw[:min(len(raw), 6000)]))
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzParser(t, FmtModsec2, s) })
}

func FuzzAuditJSON(f *testing.F) {
	seedLines(f, 2, "modsec2-audit.json", "modsec3-audit.json", "coraza-audit.json")
	f.Fuzz(func(t *testing.T, s string) { fuzzParser(t, FmtModsec3JSON, s) })
}

func FuzzCloudflare(f *testing.F) {
	seedLines(f, 3, "cloudflare-firewall-logpush.documented.ndjson")
	raw, _ := os.ReadFile("testdata/cloudflare-firewall-graphql.documented.json")
	f.Add(string(raw))
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, FmtCloudflare, s)
		scanCloudflareDoc(strings.NewReader(s), "fuzz", func(*record.LogEntry) bool { return true }, func(record.LogEntry) {})
	})
}

func FuzzHAProxy(f *testing.F) {
	seedLines(f, 5, "haproxy-http.log", "lab-haproxy.log")
	f.Fuzz(func(t *testing.T, s string) { fuzzParser(t, FmtHAProxy, s) })
}

// FuzzScan runs detection and the whole pipeline on arbitrary files.
func FuzzScan(f *testing.F) {
	for _, n := range []string{"nginx-error.log", "haproxy-http.log", "modsec3-audit.json"} {
		raw, _ := os.ReadFile(filepath.Join("testdata", n))
		f.Add(string(raw[:min(len(raw), 3000)]))
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := Scan(context.Background(), strings.NewReader(s), "fuzz", Options{MaxLine: 4096}, func(record.LogEntry) {})
		if err == nil && st.Format == "" {
			t.Fatal("scan succeeded without a format")
		}
	})
}

// FuzzEdge runs every edge, CDN and cloud WAF parser (and the Cloudflare
// CSV reader) on arbitrary lines, seeded with the documented samples.
func FuzzEdge(f *testing.F) {
	for _, s := range edgeSamples {
		seedLines(f, 3, s.file)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ef := range edgeFormats {
			fuzzParser(t, ef.name, s)
		}
		fuzzParser(t, FmtCloudflareCSV, "action,rayName,clientRequestPath\n"+s)
	})
}
