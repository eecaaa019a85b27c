package waf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httputil"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/corazawaf/coraza/v3/experimental/plugins/plugintypes"
)

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// plumbing are the raw requests the replay used to rewrite before the
// engine saw them (issue 16).
var plumbing = map[string]string{
	"fragment":      crlf("GET /wp-json/wp/v2/posts?search=x#comments HTTP/1.1\nHost: blog.wp403.test\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n"),
	"double-slash":  crlf("POST //wp-json/wp/v2/posts/1 HTTP/1.1\nHost: blog.wp403.test\nUser-Agent: Mozilla/5.0\nAccept: */*\nContent-Type: application/json\nContent-Length: 51\n\n{\"content\":\"<!-- wp:paragraph --><p>x</p><!-- -->\"}"),
	"chunked":       crlf("POST /wp-json/wp/v2/posts/1 HTTP/1.1\nHost: blog.wp403.test\nUser-Agent: Mozilla/5.0\nAccept: */*\nContent-Type: application/json\nTransfer-Encoding: chunked\n\nf\n{\"content\":\"<!-\n1a\n- wp:paragraph --><p>x</p>\n2\n\"}\n0\n\n"),
	"no-host":       crlf("GET /wp-json/ HTTP/1.1\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n"),
	"empty-host":    crlf("GET /wp-json/ HTTP/1.1\nHost:\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n"),
	"absolute-form": crlf("GET http://blog.wp403.test/wp-json/wp/v2/posts?search=%3Cscript%3E HTTP/1.1\nHost: blog.wp403.test\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n"),
	"http2-curl":    "* Connected to blog.wp403.test (127.0.80.1) port 443\n> GET /wp-json/wp/v2/users?search=%27%20or%201=1--%20- HTTP/2\n> Host: blog.wp403.test\n> user-agent: curl/8.5.0\n> accept: */*\n> \n< HTTP/2 403\n",
	"connect":       crlf("CONNECT blog.wp403.test:443 HTTP/1.1\nHost: blog.wp403.test:443\nUser-Agent: curl/8.5.0\n\n"),
	"lf-only":       "POST /wp-login.php HTTP/1.1\nHost: blog.wp403.test\nUser-Agent: Mozilla/5.0\nAccept: */*\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 46\n\nlog=lab-editor&pwd=Zq%27%20OR%20%271%27%3D%271",
}

func TestParseRawAsSent(t *testing.T) {
	r := mustParse(t, plumbing["fragment"])
	if r.URL != "/wp-json/wp/v2/posts?search=x#comments" || !r.AsSent || r.Proto != "HTTP/1.1" {
		t.Errorf("fragment: %+v", r)
	}
	if r := mustParse(t, plumbing["double-slash"]); r.URL != "//wp-json/wp/v2/posts/1" || len(r.Body) != 51 {
		t.Errorf("double slash: url %q body %d", r.URL, len(r.Body))
	}
	r = mustParse(t, plumbing["chunked"])
	if string(r.Body) != `{"content":"<!-- wp:paragraph --><p>x</p>"}` || r.Header.Get("Content-Length") != "" ||
		r.Header.Get("Transfer-Encoding") != "chunked" || !strings.Contains(strings.Join(r.Notes, ";"), "de-chunked") {
		t.Errorf("chunked: body %q header %v notes %v", r.Body, r.Header, r.Notes)
	}
	if r := mustParse(t, plumbing["no-host"]); len(r.Header.Values("Host")) != 0 {
		t.Errorf("no host: %v", r.Header)
	}
	if r := mustParse(t, plumbing["empty-host"]); len(r.Fields) != 3 || r.Fields[0] != (Field{"Host", ""}) {
		t.Errorf("empty host: %+v", r.Fields)
	}
	if r := mustParse(t, plumbing["absolute-form"]); !strings.HasPrefix(r.URL, "http://blog.wp403.test/") {
		t.Errorf("absolute form rewritten: %q", r.URL)
	}
	r = mustParse(t, plumbing["http2-curl"])
	if r.Proto != "HTTP/2" || r.Method != "GET" || len(r.Fields) != 3 || len(r.Notes) != 1 {
		t.Errorf("curl -v HTTP/2: %+v", r)
	}
	if r := mustParse(t, plumbing["connect"]); r.Method != "CONNECT" || r.URL != "blog.wp403.test:443" {
		t.Errorf("connect: %+v", r)
	}
	r = mustParse(t, "POST /x HTTP/1.1\nHost: a\nX-Long: one\n two\nContent-Length: 3\n\nabcdef")
	if r.Header.Get("X-Long") != "one two" || string(r.Body) != "abc" || len(r.Notes) != 2 {
		t.Errorf("folded/extra: %v body %q notes %v", r.Header, r.Body, r.Notes)
	}
}

func TestParseRawErrors(t *testing.T) {
	for _, in := range []string{"", "\r\n\r\n", "not a request", "GET /\n\n", "GET / HTTP/1.1 extra\n\n", "GET / FTP/1.0\n\n",
		"GET /a\x01b HTTP/1.1\n\n", "GET / HTTP/1.1\nno colon\n\n", "GET / HTTP/1.1\nBad Name: x\n\n",
		"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\nabc\n",
		"GET / HTTP/1.1\n" + strings.Repeat("X-A: b\n", maxFields+1) + "\n"} {
		if r, err := ParseRaw(strings.NewReader(in)); err == nil {
			t.Errorf("ParseRaw(%q) = %+v, want an error", in, r)
		}
	}
}

func mustParse(t *testing.T, raw string) Request {
	t.Helper()
	r, err := ParseRaw(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseRaw: %v\n%s", err, raw)
	}
	return r
}

// direct feeds Coraza the raw bytes with no parser of ours in between:
// the request line split at spaces, each header line split at its colon,
// the body after the blank line (de-chunked, as a server does).
func direct(t *testing.T, e *Engine, raw string) (blocked bool, rules []int, score int) {
	t.Helper()
	if strings.HasPrefix(raw, "* ") { // a curl -v transcript: its "> " lines are the request
		var b strings.Builder
		for _, l := range strings.Split(raw, "\n") {
			if rest, ok := strings.CutPrefix(l, ">"); ok {
				b.WriteString(strings.TrimPrefix(rest, " ") + "\r\n")
			}
		}
		raw = b.String()
	}
	head, body, found := strings.Cut(raw, "\r\n\r\n")
	if i := strings.Index(raw, "\n\n"); !found || i >= 0 && i < len(head) {
		head, body, _ = strings.Cut(raw, "\n\n")
	}
	lines := strings.Split(strings.ReplaceAll(head, "\r\n", "\n"), "\n")
	rl := strings.Split(lines[0], " ")
	tx := e.waf.NewTransaction()
	defer func() { tx.ProcessLogging(); _ = tx.Close() }()
	tx.ProcessConnection("127.0.0.1", 40000, "127.0.0.1", 443)
	tx.ProcessURI(rl[1], rl[0], rl[2])
	chunked, length := false, -1
	for _, l := range lines[1:] {
		name, value, _ := strings.Cut(l, ":")
		value = strings.TrimSpace(value)
		tx.AddRequestHeader(name, value)
		chunked = chunked || strings.EqualFold(name, "Transfer-Encoding") && value == "chunked"
		if strings.EqualFold(name, "Content-Length") {
			length, _ = strconv.Atoi(value)
		}
	}
	b := []byte(body)
	if chunked {
		b, _ = io.ReadAll(httputil.NewChunkedReader(bytes.NewReader([]byte(body))))
	} else if length >= 0 && length < len(b) {
		b = b[:length]
	}
	it := tx.ProcessRequestHeaders()
	if it == nil {
		it, _, _ = tx.WriteRequestBody(b)
	}
	if it == nil {
		it, _ = tx.ProcessRequestBody()
	}
	for _, h := range hits(tx.MatchedRules()) {
		if !slices.Contains(rules, h.ID) {
			rules = append(rules, h.ID)
		}
	}
	return it != nil, rules, txInt(tx.(plugintypes.TransactionState).Variables().TX(), "blocking_inbound_anomaly_score")
}

// checkFidelity compares the replay of the raw bytes with Coraza fed the
// same bytes directly: same verdict, same rules, same score.
func checkFidelity(t *testing.T, e *Engine, raw string) Request {
	t.Helper()
	req := mustParse(t, raw)
	res, err := e.Replay(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	blocked, rules, score := direct(t, e, raw)
	if res.Blocked != blocked || !slices.Equal(ids(res), rules) || res.Score != score {
		t.Errorf("replay: blocked=%t rules=%v score=%d; Coraza fed the bytes: blocked=%t rules=%v score=%d",
			res.Blocked, ids(res), res.Score, blocked, rules, score)
	}
	return req
}

func TestRawFidelityPlumbing(t *testing.T) {
	e, err := Shared(Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{ // a rule that shows the engine saw the bytes as sent
		"fragment": 920610, "no-host": 920280, "empty-host": 920290, "connect": 911100,
		"http2-curl": 942100, "absolute-form": 941100, "double-slash": 941180, "chunked": 941180, "lf-only": 942100,
	}
	for name, raw := range plumbing {
		t.Run(name, func(t *testing.T) {
			req := checkFidelity(t, e, raw)
			res, _ := e.Replay(context.Background(), req)
			if id := want[name]; hit(res, id) == nil {
				t.Errorf("rule %d did not match: %v (notes %q)", id, ids(res), res.Approximate)
			}
		})
	}
}

// A password matched by a rule is masked in the hit (issue 16).
func TestReplayMasksLoginPassword(t *testing.T) {
	e, _ := Shared(Options{})
	res, err := e.Replay(context.Background(), mustParse(t, plumbing["lf-only"]))
	if err != nil || !res.Blocked {
		t.Fatalf("login with an SQL-looking password: %v %v", err, res)
	}
	for _, h := range res.Rules {
		if strings.Contains(strings.ToLower(h.Data+h.Message), "or '1'='1") {
			t.Errorf("rule %d prints the password: %q", h.ID, h.Data)
		}
	}
}

// 920450's chain starter matches every header name; the hit names the
// restricted one the chain's last link matched.
func TestChainTargetIsDecisive(t *testing.T) {
	r := jsonReq("POST", "/wp-json/wp/v2/posts/1", `{"title":"x"}`)
	r.Header.Set("X-HTTP-Method-Override", "PUT")
	res := replay(t, Options{}, r)
	var got []string
	for _, h := range res.Rules {
		if h.ID == 920450 {
			got = append(got, h.Target)
		}
	}
	if len(got) != 1 || !strings.EqualFold(got[0], "REQUEST_HEADERS_NAMES:x-http-method-override") {
		t.Errorf("920450 targets = %v, want REQUEST_HEADERS_NAMES:x-http-method-override alone", got)
	}
}

func FuzzParseRaw(f *testing.F) {
	for _, raw := range plumbing {
		f.Add(raw)
	}
	f.Add("GET / HTTP/1.1\n\n")
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := ParseRaw(strings.NewReader(raw))
		if err != nil {
			return
		}
		if r.Method == "" || r.URL == "" || len(r.Body) > maxBody || !r.AsSent {
			t.Errorf("ParseRaw(%q) = %+v", raw, r)
		}
	})
}

// Every request of the exclusion corpus, replayed from its raw bytes,
// gets the verdict, rules and score Coraza gives the same bytes directly.
func TestRawFidelityCorpus(t *testing.T) {
	for _, pl := range []int{1, 4} {
		e, err := Shared(Options{Paranoia: pl})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range WPCorpus {
			t.Run(fmt.Sprintf("PL%d/%s", pl, c.Name), func(t *testing.T) { checkFidelity(t, e, c.Raw()) })
		}
	}
}
