package waf

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/corazawaf/coraza/v3/experimental/plugins/plugintypes"
	"github.com/corazawaf/coraza/v3/types"

	"github.com/wp403/wp403/internal/record"
)

// Request is the request to replay. URL is either a path with an optional
// query ("/wp-json/wp/v2/posts/1?_locale=user") or an absolute URL, whose
// host becomes the Host header when Header has none.
//
// A request read from raw bytes (ParseRaw) is AsSent: URL is the
// request-target exactly as sent, Fields the header lines in order, and
// the replay adds and rewrites nothing.
type Request struct {
	Method     string
	URL        string
	Header     http.Header
	Body       []byte
	RemoteAddr string // client "ip:port"; default 127.0.0.1:40000
	Proto      string // default HTTP/1.1

	AsSent bool     // URL and Fields are replayed verbatim
	Fields []Field  // the header lines as sent (AsSent only)
	Notes  []string // where reading the request had to normalise it
}

// target splits the URL into the request-target and the host. A path is
// kept as it is (a leading "//" is a path, not a host; a fragment stays);
// an absolute URL gives its path, query and fragment.
func (r Request) target() (uri, host string, err error) {
	if r.AsSent || strings.HasPrefix(r.URL, "/") || r.URL == "*" {
		return orDefault(r.URL, "/"), "", nil
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return "", "", fmt.Errorf("parse url %q: %w", r.URL, err)
	}
	uri = u.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	if u.RawQuery != "" || u.ForceQuery {
		uri += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		uri += "#" + u.EscapedFragment()
	}
	return uri, u.Host, nil
}

// Replay runs the request through the WAF, phases 1 and 2 (the request
// phases; no response is replayed), and reports what matched.
func (e *Engine) Replay(ctx context.Context, r Request) (*record.WAFResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	r, limitNotes := bound(r)
	uri, urlHost, err := r.target()
	if err != nil {
		return nil, err
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	tx := e.waf.NewTransaction()
	defer func() {
		tx.ProcessLogging()
		_ = tx.Close()
	}()
	cip, cport := splitAddr(r.RemoteAddr, "127.0.0.1", 40000)
	tx.ProcessConnection(cip, cport, "127.0.0.1", 443)
	tx.ProcessURI(uri, method, orDefault(r.Proto, "HTTP/1.1"))
	hostNote := addHeaders(tx, r, urlHost)
	it := tx.ProcessRequestHeaders()
	if it == nil && len(r.Body) > 0 {
		if it, _, err = tx.WriteRequestBody(r.Body); err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
	}
	if it == nil {
		if it, err = tx.ProcessRequestBody(); err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
	}
	res := e.result(tx, it)
	scrubHits(scrubber(r), res.Rules)
	notes := append(append([]string{res.Approximate, hostNote}, limitNotes...), r.Notes...)
	notes = append(notes, forcedBodyNote(res.Processor, r.Header.Get("Content-Type")))
	res.Approximate = joinNotes(notes)
	return res, nil
}

// forcedBodyNote explains matches on a body that is not a form: CRS 4's
// 901340 makes Coraza parse any body as form fields, which CRS 3 on
// ModSecurity does not do for, say, a raw image upload.
func forcedBodyNote(processor, ctype string) string {
	ct := strings.ToLower(ctype)
	if processor != "URLENCODED" || ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return ""
	}
	return "the " + ctype + " body was parsed as form fields (CRS 4 rule 901340 forces it), so rules may match binary bytes a CRS 3 server does not inspect"
}

// joinNotes joins the non-empty notes with "; ".
func joinNotes(notes []string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

// addHeaders adds the request's headers: as sent, or sorted by name with
// the Host and Content-Length a client would have sent when missing; it
// says when it had to invent the Host.
func addHeaders(tx types.Transaction, r Request, urlHost string) (note string) {
	if r.AsSent {
		for _, f := range r.Fields {
			tx.AddRequestHeader(f.Name, f.Value)
		}
		return ""
	}
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	hasHost, hasLen := false, false
	for _, k := range names {
		for _, v := range r.Header[k] {
			tx.AddRequestHeader(k, v)
		}
		hasHost = hasHost || strings.EqualFold(k, "Host")
		hasLen = hasLen || strings.EqualFold(k, "Content-Length")
	}
	if !hasHost {
		// Without a Host header CRS 920280 fires, which no real client causes.
		tx.AddRequestHeader("Host", orDefault(urlHost, "localhost"))
		if urlHost == "" {
			note = "no Host header was given: replayed with Host: localhost (a raw request file is replayed without one)"
		}
	}
	if !hasLen && len(r.Body) > 0 {
		tx.AddRequestHeader("Content-Length", strconv.Itoa(len(r.Body)))
	}
	return note
}

func splitAddr(addr, defHost string, defPort int) (string, int) {
	if addr == "" {
		return defHost, defPort
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, defPort
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		n = defPort
	}
	return h, n
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// result translates the transaction into a WAFResult.
func (e *Engine) result(tx types.Transaction, it *types.Interruption) *record.WAFResult {
	res := &record.WAFResult{
		Engine:      e.Engine(),
		RuleSet:     e.RuleSet(),
		Paranoia:    e.opts.Paranoia,
		Threshold:   e.opts.Threshold,
		Rules:       hits(tx.MatchedRules()),
		Approximate: approximate(e.opts),
	}
	if it != nil {
		res.Blocked = true
		res.Status = it.Status
		if res.Status == 0 && it.Action == "deny" {
			res.Status = http.StatusForbidden
		}
	}
	if st, ok := tx.(plugintypes.TransactionState); ok {
		vars := st.Variables()
		res.Processor = vars.RequestBodyProcessor().Get()
		res.Score = txInt(vars.TX(), "blocking_inbound_anomaly_score")
		if e.opts.NoCRS {
			// The user's own setup decides these; report what it set.
			res.Paranoia = txInt(vars.TX(), "blocking_paranoia_level")
			res.Threshold = txInt(vars.TX(), "inbound_anomaly_score_threshold")
		}
	}
	return res
}

// txInt reads an integer TX variable; 0 when unset or not a number.
func txInt(tx interface{ Get(string) []string }, name string) int {
	v := tx.Get(name)
	if len(v) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(v[0])
	return n
}
