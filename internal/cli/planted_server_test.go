package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The planted secrets: every one of them, in every derived form, must stay
// out of every output of every command (reports, captures, standard error).
const (
	plUser     = "editor"
	plApp      = "abcd EFGH ijkl MNOP qrst UVWX"
	plLogin    = `Pl4nt"ed<login>&pw'Zq~*+é/\x`
	plBearer   = "planted-bearer-TOKEN-7781"
	plHdrUser  = "hdruser"
	plHdrPass  = "hdr-secret-PASS-55"
	plCookie   = "admin|1700000000|plantedCOOKIE42"
	plCookie2  = "second cookie-val 99"
	plNonceQ   = "qnonce12345"
	plTokenQ   = "qtokenXYZ987"
	plDataPW   = "data-PASSWORD-321"
	plSrvCook  = "srvLOGGEDin-cookie-555"
	plRESTNnc  = "a1b2c3d4e5"
	plWAFPass  = "xQ' UNION SELECT pw FROM wp_users-- PLANTED"
	plCookieHd = "wordpress_logged_in_x=admin%7C1700000000%7CplantedCOOKIE42; second=second%20cookie-val%2099"
)

// plantedForms lists every secret in the forms a server or a rule engine
// echoes: raw, without spaces, lower/upper case, URL-encoded, HTML-escaped
// (Go and WordPress), base64, and base64 of user:password.
func plantedForms() []string {
	secrets := []string{plApp, plLogin, plBearer, plHdrPass, plCookie, plCookie2, plNonceQ, plTokenQ, plDataPW, plSrvCook, plWAFPass}
	var out []string
	for _, s := range secrets {
		for _, v := range []string{s, strings.ReplaceAll(s, " ", "")} {
			out = append(out, v, strings.ToLower(v), strings.ToUpper(v), url.QueryEscape(v), url.PathEscape(v),
				html.EscapeString(v), strings.ReplaceAll(html.EscapeString(v), "&#39;", "&#039;"),
				base64.StdEncoding.EncodeToString([]byte(v)))
		}
	}
	for _, s := range []string{plLogin, plWAFPass, plCookie2} {
		for _, e := range encodedForms(s) {
			out = append(out, e, strings.ToLower(e))
		}
	}
	for _, up := range [][2]string{{plUser, plApp}, {plUser, strings.ReplaceAll(plApp, " ", "")}, {plUser, plLogin}, {plHdrUser, plHdrPass}} {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(up[0]+":"+up[1])), up[0]+":"+up[1])
	}
	return out
}

// assertNoPlanted fails when any form of a planted secret is in the text.
func assertNoPlanted(t *testing.T, where, text string) {
	t.Helper()
	for _, f := range plantedForms() {
		if len(f) >= 6 && strings.Contains(text, f) {
			i := strings.Index(text, f)
			t.Errorf("%s leaks %q: …%s…", where, f, text[max(0, i-80):min(len(text), i+len(f)+40)])
			return
		}
	}
}

// reflectServer is a hostile site: it answers like WordPress enough for
// every probe, and echoes everything it receives (headers, body, cookies,
// the decoded Basic credentials) in JSON, HTML, response headers and
// Set-Cookie, raw, lower-cased and HTML-escaped.
func reflectServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		echo := echoOf(r, body)
		w.Header().Set("X-Echo", strings.ReplaceAll(echo, "\n", " "))
		w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization"))
		http.SetCookie(w, &http.Cookie{Name: "echo", Value: url.QueryEscape(r.Header.Get("Cookie"))})
		serveWordPress(w, r, echo)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// echoOf is everything the request carried, in several forms.
func echoOf(r *http.Request, body []byte) string {
	var parts []string
	posted, _ := url.ParseQuery(string(body)) // the body was read: r.ParseForm sees the query only
	for _, vs := range posted {               // first: a long echo may be cut short in a report
		for _, v := range vs {
			parts = append(parts, encodedForms(v)...)
		}
	}
	parts = append(parts, r.URL.String(), string(body), strings.ToLower(string(body)))
	for k, vs := range r.Header {
		parts = append(parts, k+": "+strings.Join(vs, ", "))
	}
	if u, p, ok := r.BasicAuth(); ok {
		parts = append(parts, u+":"+p, p, strings.ToLower(p), strings.ToUpper(p))
	}
	if _, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
		parts = append(parts, tok)
	}
	for _, c := range r.Cookies() {
		v, _ := url.QueryUnescape(c.Value)
		parts = append(parts, c.Value, v) // what PHP's $_COOKIE holds
	}
	_ = r.ParseForm()
	for _, vs := range r.Form {
		for _, v := range vs {
			parts = append(parts, v, strings.ToLower(v), html.EscapeString(v))
		}
	}
	all := strings.Join(parts, "\n")
	return all + "\n" + html.EscapeString(all)
}

func serveWordPress(w http.ResponseWriter, r *http.Request, echo string) {
	route := r.URL.Query().Get("rest_route")
	if strings.HasPrefix(r.URL.Path, "/wp-json") {
		route = strings.TrimPrefix(r.URL.Path, "/wp-json")
	}
	switch {
	case r.URL.Path == "/wp-login.php" && r.Method == http.MethodPost:
		http.SetCookie(w, &http.Cookie{Name: "wordpress_logged_in_abc", Value: plSrvCook, Path: "/"})
		http.Redirect(w, r, "/wp-admin/", http.StatusFound)
	case strings.HasSuffix(route, "/users/me"):
		// a non-UTF-8 page: captures keep it as base64, which must not hide the echo
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "\xff\xfe<html>"+echo+"</html>")
	case r.URL.Path == "/wp-admin/admin-ajax.php":
		io.WriteString(w, plRESTNnc)
	case route == "/" || route == "":
		if r.URL.Path == "/" && route == "" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><head><link rel=\"https://api.w.org/\" href=\"/wp-json/\"></head><body><pre>%s</pre></body></html>", html.EscapeString(echo))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-WP-Total", "1")
		json.NewEncoder(w).Encode(map[string]any{"name": "Echo " + echo, "url": "http://" + r.Host, "home": "http://" + r.Host,
			"namespaces": []string{"wp/v2"}, "authentication": map[string]any{"application-passwords": map[string]any{}}})
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-WP-Total", "1")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]any{"code": "rest_forbidden", "message": "Sorry, " + echo,
			"data": map[string]any{"status": 403, "echo": echo}})
	}
}

// encodedForms is a value as the standard encoders write it (issue 23 item
// 12), spelled out here from each encoder's documentation rather than
// taken from the scrubber: PHP urlencode and rawurlencode, JavaScript
// encodeURIComponent, HTML form submission, esc_attr with &apos; and
// &#x27;, PHP json_encode (\/ and \u00e9), Go's HTML-safe JSON and
// JSON.stringify.
func encodedForms(v string) []string {
	pct := func(keep string, plus bool) string {
		var b strings.Builder
		for _, c := range []byte(v) {
			switch {
			case c == ' ' && plus:
				b.WriteByte('+')
			case c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0):
				b.WriteByte(c)
			default:
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	amp := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	jsonPHP := strings.NewReplacer(`"`, `\"`, `\`, `\\`, "/", `\/`, "é", `\u00e9`)
	goJSON, _ := json.Marshal(v)
	jsJSON := strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(v)
	return []string{
		pct("-_.", true), pct("-_.~", false), pct("-_.!~*'()", false), pct("*-._", true),
		strings.ReplaceAll(amp.Replace(v), "'", "&apos;"), strings.ReplaceAll(amp.Replace(v), "'", "&#x27;"),
		jsonPHP.Replace(v), jsonPHP.Replace(strings.ReplaceAll(amp.Replace(v), "'", "&#039;")),
		string(goJSON[1 : len(goJSON)-1]), jsJSON,
	}
}
