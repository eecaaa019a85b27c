package signature

import (
	"runtime"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func resp(status int, body string, kv ...string) *record.HTTPResponse {
	h := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = append(h[kv[i]], kv[i+1])
	}
	return &record.HTTPResponse{Status: status, Header: h, Body: body}
}

func hasReason(c *record.Class, sub string) bool {
	for _, r := range c.Reasons {
		if strings.Contains(r, sub) {
			return true
		}
	}
	return false
}

func TestClassifyGeneric(t *testing.T) {
	db := mustDB(t)
	restReq := &record.HTTPRequest{Method: "GET", URL: "https://blog.example/wp-json/wp/v2/posts"}
	cases := []struct {
		name     string
		req      *record.HTTPRequest
		resp     *record.HTTPResponse
		producer record.Layer
		vendor   string
		refusal  bool
		page     string
		reason   string
	}{
		{"nil response", nil, nil, record.LayerNetwork, "", true, "", "no HTTP response"},
		{"custom page behind a Via proxy", nil, resp(403, "<html><body>go away</body></html>", "Via", "1.1 example-proxy", "Content-Type", "text/html"),
			record.LayerServer, "", true, "custom-html", "Via: 1.1 example-proxy"},
		{"custom page from the origin", nil, resp(403, "<html><body>go away</body></html>", "Server", "nginx/1.25.3", "Content-Type", "text/html"),
			record.LayerServer, "nginx", true, "custom-html", "origin server answered"},
		{"empty 403 from PHP", nil, resp(403, "", "X-Powered-By", "PHP/8.3.1"), record.LayerPHP, "", true, "empty", "PHP wrote this empty body"},
		{"JSON 200 on a REST route without REST headers", restReq, resp(200, `{"ok":true}`, "Content-Type", "application/json"),
			record.LayerServer, "", false, "json", ""},
		{"plain text 200 on a REST route", restReq, resp(200, "maintenance", "Content-Type", "text/plain"),
			record.LayerServer, "", true, "text", "did not reach WordPress's REST server"},
		{"WP_Error without REST headers", nil, resp(403, `{"code":"acme_nope","message":"no","data":{"status":403}}`),
			record.LayerWordPress, "WordPress", true, "json", "without REST server headers"},
		{"theme 404 on a REST route", restReq, resp(404, `<html><head><link rel="https://api.w.org/" href="/wp-json/"></head><body>Not found</body></html>`, "Content-Type", "text/html"),
			record.LayerWordPress, "WordPress", true, "wordpress-html", "theme's 404 page"},
		{"nginx 403 page behind a proxy", nil, resp(403, "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", "Via", "1.1 varnish"),
			record.LayerServer, "nginx", true, "stock-nginx", "ModSecurity answers with the same page"},
		{"basic auth with a custom page", restReq, resp(401, "<html><body>Members only</body></html>", "WWW-Authenticate", `Basic realm="staging"`, "Content-Type", "text/html", "Server", "Apache"),
			record.LayerServer, "Apache", true, "custom-html", "HTTP authentication in front of WordPress"},
		{"redirect", restReq, resp(301, "", "Location", "https://www.blog.example/wp-json/wp/v2/posts"),
			record.LayerServer, "", false, "empty", "redirect to https://www.blog.example"},
		{"tengine template", nil, resp(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine/2.3.3</center>\r\n</body>\r\n</html>\r\n"),
			record.LayerServer, "Tengine", true, "stock-nginx", "could not get an answer from PHP"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := db.Classify(tc.req, tc.resp)
			if c.Producer != tc.producer || c.Refusal != tc.refusal || c.Page != tc.page {
				t.Errorf("got %s/%v/%q, want %s/%v/%q (reasons %q)", c.Producer, c.Refusal, c.Page, tc.producer, tc.refusal, tc.page, c.Reasons)
			}
			if tc.vendor != "" && c.Vendor != tc.vendor {
				t.Errorf("vendor %q, want %q", c.Vendor, tc.vendor)
			}
			if tc.reason != "" && !hasReason(c, tc.reason) {
				t.Errorf("no reason containing %q in %q", tc.reason, c.Reasons)
			}
		})
	}
}

func TestRESTHeaders(t *testing.T) {
	db := mustDB(t)
	htmlWithLink := resp(200, "<html><head></head></html>", "Link", `<https://b.example/wp-json/>; rel="https://api.w.org/"`, "Content-Type", "text/html")
	if c := db.Classify(nil, htmlWithLink); c.REST || c.Page != "wordpress-html" || c.Producer != record.LayerWordPress {
		t.Errorf("HTML page with the api.w.org Link: %+v", c)
	}
	jsonWithLink := resp(200, `[]`, "Link", `<https://b.example/wp-json/>; rel="https://api.w.org/"`, "X-Robots-Tag", "noindex")
	if c := db.Classify(nil, jsonWithLink); !c.REST {
		t.Errorf("JSON with Link and noindex not recognised as REST")
	}
	if c := db.Classify(nil, resp(200, `[]`, "x-wp-total", "0")); !c.REST {
		t.Errorf("X-WP-Total not recognised as REST")
	}
}

func TestBodyCap(t *testing.T) {
	db := mustDB(t)
	body := strings.Repeat("a", MaxBody) + "A potentially unsafe operation has been detected in your request to this site"
	if c := db.Classify(nil, resp(403, body)); c.Top() != nil {
		t.Errorf("a marker beyond MaxBody matched: %v", c.Top().ID)
	}
}

func TestPresenceNeverRefuses(t *testing.T) {
	db := mustDB(t)
	for _, s := range db.Signatures() {
		if s.Kind == record.KindPresence && (s.Mechanism != "" || s.Page != "") {
			t.Errorf("%s: a presence signature names a mechanism or page", s.ID)
		}
	}
	healthy := resp(200, `{"ok":1}`, "Server", "cloudflare", "CF-RAY", "8f1c2a3b4d5e6f70-FRA", "Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	if c := db.Classify(nil, healthy); c.Refusal || c.Producer != record.LayerWordPress || len(c.Matches) != 1 {
		t.Errorf("healthy through Cloudflare: %+v", c)
	}
}

// benchPair is one classified request and response.
type benchPair struct {
	req  *record.HTTPRequest
	resp *record.HTTPResponse
}

// runClassify benchmarks Classify over ps in turn, reporting the thread's
// CPU time per op too (wall time is noisy on a shared machine).
func runClassify(b *testing.B, db *DB, name string, ps []benchPair) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cpu := threadCPU()
		for i := 0; i < b.N; i++ {
			p := ps[i%len(ps)]
			if db.Classify(p.req, p.resp) == nil {
				b.Fatal("nil class")
			}
		}
		if end := threadCPU(); cpu >= 0 && end >= cpu {
			b.ReportMetric(float64(end-cpu)/float64(b.N), "cpu-ns/op")
		}
	})
}

// BenchmarkClassify classifies with the full database: every indexed
// sample in turn (ns/op is the mean over them), one small REST error, the
// 54 KB theme front page (the largest sample) and the 42 KB theme 404.
func BenchmarkClassify(b *testing.B) {
	db, ix := mustDB(b), loadIndex(b)
	var all []benchPair
	byFile := map[string]benchPair{}
	for i := range ix.Samples {
		req, r := ix.Samples[i].load(b)
		all = append(all, benchPair{req, r})
		byFile[ix.Samples[i].File] = benchPair{req, r}
	}
	runClassify(b, db, "all-samples", all)
	runClassify(b, db, "rest-401", []benchPair{byFile["wordpress/rest-forbidden-401.http"]})
	runClassify(b, db, "nginx-403", []benchPair{byFile["lab/nginx-deny-403.http"]})
	runClassify(b, db, "html-54k", []benchPair{byFile["wordpress/home-page-200.http"]})
	runClassify(b, db, "theme-404-42k", []benchPair{byFile["wordpress/theme-404.http"]})
}

// TestClassifyConcurrent: one database serves many goroutines (run with -race).
func TestClassifyConcurrent(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	reqs := make([]*record.HTTPRequest, len(ix.Samples))
	resps := make([]*record.HTTPResponse, len(ix.Samples))
	for i := range ix.Samples {
		reqs[i], resps[i] = ix.Samples[i].load(t)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range resps {
				if db.Classify(reqs[i], resps[i]) == nil {
					t.Error("nil class")
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// TestSampleReasons: the Allow header, ?_envelope and a server redirect
// are explained.
func TestSampleReasons(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	want := map[string]string{
		"wordpress/rest-cannot-create-401.http":          "Allow: GET: the route matched",
		"wordpress/rest-cookie-invalid-nonce-403.http":   "no Allow header: refused before routing",
		"wordpress/rest-not-logged-in-envelope-200.http": "WordPress itself set status 401 (carried inside HTTP 200)",
		"lab/scenarios/server-redirect-host-origin.http": "a redirect written by that software, not by WordPress",
	}
	for i := range ix.Samples {
		s := &ix.Samples[i]
		sub, ok := want[s.File]
		if !ok {
			continue
		}
		delete(want, s.File)
		req, r := s.load(t)
		if c := db.Classify(req, r); !hasReason(c, sub) {
			t.Errorf("%s: no reason containing %q in %q", s.File, sub, c.Reasons)
		}
	}
	if len(want) > 0 {
		t.Errorf("samples not indexed: %v", want)
	}
}

// TestPageShapesKnown: Classify only produces documented page shapes.
func TestPageShapesKnown(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	for i := range ix.Samples {
		req, r := ix.Samples[i].load(t)
		if c := db.Classify(req, r); PageShapes[c.Page] == "" {
			t.Errorf("%s: page %q is not in PageShapes", ix.Samples[i].id(), c.Page)
		}
	}
}

// TestStatusSplit: the same core code means lost credentials as a 401 and
// a real permission denial as a 403 (both lab captures).
func TestStatusSplit(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	want := map[string]record.Mechanism{
		"wordpress/core-rest-cannot-edit-401.http": record.MechCredentials,
		"wordpress/core-rest-cannot-edit-403.http": record.MechPermission,
	}
	for i := range ix.Samples {
		mech, ok := want[ix.Samples[i].File]
		if !ok {
			continue
		}
		delete(want, ix.Samples[i].File)
		req, r := ix.Samples[i].load(t)
		if top := db.Classify(req, r).Top(); top == nil || top.Mechanism != mech {
			t.Errorf("%s: top %+v, want mechanism %s", ix.Samples[i].File, top, mech)
		}
	}
	if len(want) > 0 {
		t.Errorf("samples not indexed: %v", want)
	}
}
