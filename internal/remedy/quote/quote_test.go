package quote

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/signature"
)

// hostile holds values a compromised server returns.
var hostile = []string{
	"my_plugin_block$(touch${IFS}pwned)", "`id`", "a'b", `a"b`, "a\\", `\`, "x\ny", "\x1b]52;c;AAAA\x07",
	"${jndi:x}", "%{REQUEST_URI}", "a;b", "a}b{", `"}`, "#c", "' ; rm -rf / ; '", "é€", "",
}

func TestShellRoundTrip(t *testing.T) {
	for _, v := range hostile {
		out, err := exec.Command("sh", "-c", "printf %s "+Shell(v)).Output()
		if err != nil || string(out) != v {
			t.Errorf("Shell(%q): sh printed %q (%v)", v, out, err)
		}
	}
}

func TestPHPRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("php"); err != nil {
		t.Skip("no php")
	}
	for _, v := range hostile {
		out, err := exec.Command("php", "-r", "echo "+PHP(v)+";").Output()
		if err != nil || string(out) != v {
			t.Errorf("PHP(%q): php printed %q (%v)", v, out, err)
		}
	}
}

// unquote undoes a double-quoted config string whose escapes are \\ \" \$ \#.
func unquote(t *testing.T, q string) string {
	t.Helper()
	if !strings.HasPrefix(q, `"`) {
		if strings.ContainsAny(q, " \t;{}#'\"") || strings.Contains(q, "${") {
			t.Fatalf("bare word with a special character: %s", q)
		}
		return q
	}
	if !strings.HasSuffix(q, `"`) || len(q) < 2 {
		t.Fatalf("not double-quoted: %s", q)
	}
	in := q[1 : len(q)-1]
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		if in[i] == '"' {
			t.Fatalf("unescaped quote in %s", q)
		}
		if in[i] == '\\' && i+1 < len(in) && strings.IndexByte(`\"$#`, in[i+1]) >= 0 {
			i++
		}
		b.WriteByte(in[i])
	}
	return b.String()
}

// TestRegexQuotersKeepMeaning: after the config layer's unquoting, each
// quoted regex still matches exactly the literal it was built from.
func TestRegexQuotersKeepMeaning(t *testing.T) {
	for _, v := range hostile {
		re := "^" + regexp.QuoteMeta(v) + "$"
		for name, got := range map[string]string{
			"nginx": unquote(t, Nginx(re)), "haproxy": unquote(t, HAProxy(re)), "cloudflare": unquote(t, Cloudflare(re)),
			"apache": strings.Trim(ApacheRegex(re), `"`), "vcl": strings.Trim(VCLRegex(re), `"`), "modsec": ModSecRegex(re),
		} {
			r, err := regexp.Compile(got)
			if err != nil || !r.MatchString(v) || r.MatchString(v+"x") {
				t.Errorf("%s(%q) = %s: does not match the literal (%v)", name, re, got, err)
			}
			if name == "apache" || name == "vcl" || name == "modsec" {
				if strings.ContainsAny(got, "\"\n\x1b") || strings.Contains(got, "%{") || strings.Contains(got, "${") {
					t.Errorf("%s(%q) = %s: holds a character its parser interprets", name, re, got)
				}
			}
		}
	}
}

func TestModSecActionAndVCL(t *testing.T) {
	for _, v := range hostile {
		a := ModSecAction(v)
		inner := a[1 : len(a)-1]
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(inner, `\\`, ""), `\'`, ""), "'") ||
			strings.Contains(inner, "%{") || strings.ContainsAny(inner, "\n\x1b") {
			t.Errorf("ModSecAction(%q) = %s", v, a)
		}
		q := VCL(v)
		body := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(q, `{`), `}`), `"`), `"`)
		if strings.ContainsAny(body, "\n\x1b") || (!strings.HasPrefix(q, "{") && strings.Contains(body, `"`)) ||
			strings.Contains(body, `"}`) {
			t.Errorf("VCL(%q) = %s", v, q)
		}
	}
}

func TestValidators(t *testing.T) {
	cases := []struct {
		name string
		fn   func(string) error
		good []string
		bad  []string
	}{
		{"ErrorCode", ErrorCode, []string{"rest_cannot_edit", "jwt_auth.bad-header", "WPE_Forbidden"},
			[]string{"", "my_plugin_block$(touch${IFS}pwned)", "a b", "a'b", strings.Repeat("a", 65), "rest\x1b"}},
		{"Route", Route, []string{"/", "/wp/v2/posts/1", "/oembed/1.0/embed", "/wp/v2/users/me/", "/wp-site-health/v1/tests/a_b~c", "/wp/v2/templates/twentytwentyfour//home"},
			[]string{"", "wp/v2", "/wp/../x", "//evil.example/x", "/a?b", "/a b", "/a%1B]52", "/a$b", "/a\"b", "/a;b"}},
		{"Path", Path, []string{"", "/", "/wp-json", "/blog/wp-json"}, []string{"wp-json", "@evil.example/x", "/a/./b", "//evil.example"}},
		{"Host", Host, []string{"example.com", "127.0.80.1", "[::1]", "xn--bcher-kva.example", "localhost"},
			[]string{"", "a b", "evil.com/x", "a_b.com", "-a.com", "a..b", "host$(x)", "1.2.3.4:80"}},
		{"HeaderName", HeaderName, []string{"Authorization", "X-WP-Nonce"}, []string{"", "X$a", "a b", "a:b", "A'"}},
		{"HeaderValue", HeaderValue, []string{"Basic abc=", "curl/8.0"}, []string{" a", "a\r\nb", "a\x1b", "é"}},
		{"Slug", Slug, []string{"wordfence", "disable-json-api", "wp_rocket"}, []string{"", "Wordfence", "-a", "a b", "a/b"}},
		{"ProductName", ProductName, []string{"Wordfence", "iThemes Security", "LiteSpeed (Apache syntax)"}, []string{"", "a\x1b", "a`b", "a$b", "[x](y)"}},
		{"Method", Method, []string{"GET", "DELETE"}, []string{"", "get", "GET /", "G$"}},
		{"ModSecTarget", ModSecTarget, []string{"ARGS:json.content", "REQUEST_HEADERS:User-Agent", "REQUEST_BODY", "ARGS:a[b]"},
			[]string{"", "ARGS:", "ARGS:a;b", "ARGS:a'b", "args:x", "ARGS:/re/", "ARGS:a,b"}},
		{"ContentType", ContentType, []string{"application/json", "application/vnd.api+json"}, []string{"", "application/json; x", "a/b'", "A/B"}},
		{"SiteURL", SiteURL, []string{"https://example.com", "http://127.0.80.1:8080/blog", "https://example.com/"},
			[]string{"", "ftp://x", "https://u:p@example.com", "https://example.com/?a", "https://ex$ample.com", "https://example.com/a'b", "javascript:alert(1)", "https://example.com:99999"}},
	}
	for _, c := range cases {
		for _, v := range c.good {
			if err := c.fn(v); err != nil {
				t.Errorf("%s(%q) = %v, want valid", c.name, v, err)
			}
		}
		for _, v := range c.bad {
			err := c.fn(v)
			if err == nil {
				t.Errorf("%s(%q) valid, want an error", c.name, v)
			} else if len(v) > 3 && strings.Contains(err.Error(), v) {
				t.Errorf("%s(%q): the error repeats the hostile value", c.name, v)
			}
		}
	}
	if RuleID(942100) != nil || RuleID(0) == nil || RuleID(-1) == nil || RuleID(10_000_000) == nil {
		t.Error("RuleID range")
	}
}

// FuzzValidated: whatever a validator accepts is made of characters that
// are inert in every snippet language (no quote, $, `, %, \, ;, {, }, space
// or control character), except HeaderValue, which must be quoted.
func FuzzValidated(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for name, fn := range map[string]func(string) error{"ErrorCode": ErrorCode, "Route": Route, "Path": Path, "Host": Host,
			"HeaderName": HeaderName, "Slug": Slug, "Method": Method, "ModSecTarget": ModSecTarget, "ContentType": ContentType, "SiteURL": SiteURL} {
			if fn(v) == nil && strings.ContainsAny(v, "'\"$`%\\;{}# \t\r\n\x1b\x07\x00?&|<>()") {
				t.Errorf("%s accepted %q", name, v)
			}
		}
		if HeaderValue(v) == nil && strings.ContainsAny(v, "\r\n\x1b\x07\x00") {
			t.Errorf("HeaderValue accepted %q", v)
		}
	})
}

// TestKnownVendorsAreProductNames: every vendor of the signature database
// passes ProductName, so validation never drops a real vendor from a remedy.
func TestKnownVendorsAreProductNames(t *testing.T) {
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	vs := db.Vendors()
	if len(vs) == 0 {
		t.Fatal("no vendors")
	}
	for _, v := range vs {
		if err := ProductName(v); err != nil {
			t.Errorf("vendor %q: %v", v, err)
		}
	}
}
