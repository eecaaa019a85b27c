package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

const goodPolicy = `version: 1
site:
  url: https://blog.example.com/
  origin: 203.0.113.10
identities:
  editor:
    role: editor
    user: jane
    app_password: {env: WP403_EDITOR_APP_PASSWORD}
  browser:
    user: jane
    password: {file: secrets/jane.pw}
  zapier:
    headers:
      Authorization: {env: ZAPIER_AUTHORIZATION}
profiles:
  public: [anonymous]
rules:
  - name: anonymous user listing stays denied
    route: /wp/v2/users
    identities: [anonymous]
    expect: deny
  - name: editor saves reach WordPress
    route: /wp/v2/posts/999999999
    methods: [post]
    identities: [editor, browser]
    expect: allow
    reach: wordpress
    headers:
      X-HTTP-Method-Override: PUT
    body: '{"title":"x"}'
    content_type: application/json
  - name: zapier creates drafts
    route: /wp/v2/posts
    methods: POST
    identities: zapier
    expect: allow
    write: true
`

func TestLoadGood(t *testing.T) {
	p, err := Load([]byte(goodPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if p.Site.URL != "https://blog.example.com/" || p.Site.Origin != "203.0.113.10" {
		t.Errorf("site %+v", p.Site)
	}
	wantIDs := []string{"anonymous", "editor", "browser", "zapier"}
	for i, id := range p.Identities {
		if id.Name != wantIDs[i] {
			t.Errorf("identity %d = %s, want %s", i, id.Name, wantIDs[i])
		}
	}
	if ed, _ := p.Identity("editor"); ed.Mode != ModeAppPassword || ed.Secret.Env != "WP403_EDITOR_APP_PASSWORD" || ed.AuthKind() != record.AuthAppPassword {
		t.Errorf("editor %+v", ed)
	}
	if z, _ := p.Identity("zapier"); z.AuthKind() != record.AuthCustom || z.Headers[0].Name != "Authorization" {
		t.Errorf("zapier %+v", z)
	}
	if len(p.Rules) != len(Profile("public"))+3 {
		t.Fatalf("%d rules", len(p.Rules))
	}
	if r := p.Rules[0]; r.Name != "public: the REST index" || r.Identities[0] != "anonymous" || r.Line != 17 {
		t.Errorf("profile rule %+v", r)
	}
	save := p.Rules[len(p.Rules)-2]
	if save.Methods[0] != "POST" || save.Reach != ReachWordPress || save.Header.Get("X-Http-Method-Override") != "PUT" || save.Line != 23 {
		t.Errorf("save rule %+v", save)
	}
	if w := p.Rules[len(p.Rules)-1]; !w.Write || w.Methods[0] != "POST" || w.Identities[0] != "zapier" {
		t.Errorf("write rule %+v", w)
	}
	if d := p.Rules[len(p.Rules)-3]; d.Methods[0] != "GET" || d.Expect != record.ExpectDeny {
		t.Errorf("deny rule %+v", d)
	}
}

// TestLoadProblems: each bad policy reports the exact line and field.
func TestLoadProblems(t *testing.T) {
	head := "site:\n  url: https://b.example/\n"
	rule := "rules:\n  - name: r\n    route: /wp/v2/posts\n    identities: [anonymous]\n    expect: allow\n"
	cases := []struct{ name, doc, want string }{
		{"empty", "", "the policy is empty"},
		{"yaml", "site: [\n", "line 1: not valid YAML: did not find expected node content"}, {"yaml tab", "site:\n\turl: x\n", "line 2: not valid YAML: found character that cannot start any token"},
		{"top field", head + "rulez: []\n", "line 3: rulez: unknown field"},
		{"no site", rule, "line 1: site: missing"},
		{"url", "site:\n  url: ftp://x\n" + rule, "line 2: site.url: want an http:// or https:// URL"},
		{"url creds", "site:\n  url: https://u:p@x/\n" + rule, "line 2: site.url: want an http"},
		{"resolve", head + "  resolve: [nope]\n" + rule, "line 3: site.resolve[0]:"},
		{"no rules", head, "line 1: rules: the policy has no rules"},
		{"literal secret", head + "identities:\n  ed:\n    user: j\n    app_password: hunter2\n" + rule,
			"line 6: identities.ed.app_password: secrets are never stored in a policy"},
		{"two secrets", head + "identities:\n  ed:\n    user: j\n    app_password: {env: A, file: b}\n" + rule,
			"line 6: identities.ed.app_password: give exactly one of env or file"},
		{"env name", head + "identities:\n  ed:\n    user: j\n    password: {env: 'A B'}\n" + rule,
			"line 6: identities.ed.password.env: \"A B\" is not an environment variable name"},
		{"no user", head + "identities:\n  ed:\n    app_password: {env: A}\n" + rule, "line 5: identities.ed.user: missing"},
		{"no mode", head + "identities:\n  ed:\n    user: j\n" + rule, "line 5: identities.ed: say how ed authenticates"},
		{"two modes", head + "identities:\n  ed:\n    user: j\n    password: {env: P}\n    app_password: {env: A}\n" + rule,
			"line 5: identities.ed: give one of app_password, password or headers, not 2"},
		{"anonymous creds", head + "identities:\n  anonymous:\n    user: j\n" + rule, "line 5: identities.anonymous: anonymous has no credentials"},
		{"identity field", head + "identities:\n  ed:\n    login: j\n" + rule, "line 5: identities.ed.login: unknown field"},
		{"header name", head + "identities:\n  z:\n    headers:\n      'Bad Header': {env: T}\n" + rule, "line 6: identities.z.headers.Bad Header: not a header name"},
		{"expect", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: alow\n", "line 7: rules[0].expect: want allow or deny, got \"alow\""},
		{"route url", head + "rules:\n  - name: r\n    route: https://x/wp-json/\n    identities: [anonymous]\n    expect: allow\n", "line 5: rules[0].route: want a REST route"},
		{"method", head + "rules:\n  - name: r\n    route: /x\n    methods: [GET, 'P0ST']\n    identities: [anonymous]\n    expect: allow\n", "line 6: rules[0].methods[1]: \"P0ST\" is not an HTTP method"},
		{"unknown identity", head + rule + "  - name: s\n    route: /x\n    identities: [anonymous, editr]\n    expect: deny\n",
			"line 10: rules[1].identities[1]: no identity \"editr\""},
		{"missing expect", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n", "line 4: rules[0].expect: missing"},
		{"missing name", head + "rules:\n  - route: /x\n    identities: [anonymous]\n    expect: allow\n", "line 4: rules[0].name: missing"},
		{"reach", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: allow\n    reach: php\n", "line 8: rules[0].reach: want wordpress"},
		{"deny reach", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: deny\n    reach: wordpress\n", "line 8: rules[0].reach: only allow rules"},
		{"secret header", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: allow\n    headers: {Cookie: a=b}\n",
			"line 8: rules[0].headers.Cookie: credentials belong to identities"},
		{"write", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: allow\n    write: sometimes\n", "line 8: rules[0].write: want true or false"},
		{"rule field", head + "rules:\n  - name: r\n    route: /x\n    identities: [anonymous]\n    expect: allow\n    status: 200\n", "line 8: rules[0].status: unknown field"},
		{"dup key", head + "rules:\n  - name: r\n    name: s\n", "line 5: rules[0].name: given twice"},
		{"dup name", head + rule + "  - name: r\n    route: /y\n    identities: [anonymous]\n    expect: deny\n", "line 8: rules: two rules are named \"r\" (lines 4 and 8)"},
		{"profile", head + "profiles:\n  editor: [anonymous]\n", "line 4: profiles.editor: unknown field (want one of block-editor, integration, public)"},
		{"alias", head + "x: &a 1\n" + "rules: *a\n", "line 4: YAML aliases (*a) are not supported"},
		{"rules kind", head + "rules: {a: b}\n", "line 3: rules: want a list of rules"},
		{"version", "version: 2\n" + head + rule, "line 1: version: unknown version \"2\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.doc))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LoadError", err)
			}
			if got := le.Problems[0].String(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("first problem\n got %q\nwant %q…\n(all: %v)", got, tc.want, err)
			}
		})
	}
}
