package exporter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	pol := "site: {url: 'https://a.example/'}\nidentities:\n  ed: {user: ed, app_password: {file: ed.app}}\nprofiles:\n  integration: [ed]\n"
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig([]byte(`sites:
  - name: a
    policy: a.yaml
    resolve: [a.example:443:127.0.0.9]
  - name: b.example
    url: http://b.example/
    identities:
      ed: {user: ed, password: {env: B_PW}}
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Site("a")
	b, _ := c.Site("b.example")
	if a.Module != ModulePolicy || a.Host != "127.0.0.9" || a.Dir != dir || a.Policy.Site.URL != "https://a.example/" {
		t.Errorf("a: %+v", a)
	}
	if b.Module != ModuleDiagnose || b.Host != "b.example" || len(b.Policy.Identities) != 2 {
		t.Errorf("b: %+v", b)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "", "want a mapping with sites"},
		{"no sites", "x: 1", "unknown field"},
		{"inline secret", "sites:\n  - name: a\n    url: https://a/\n    identities:\n      ed: {user: ed, app_password: hunter2}\n", "line 5: sites[0] (a).identities.ed.app_password: secrets are never stored"},
		{"bad name", "sites:\n  - name: 'a b'\n    url: https://a/\n", "line 2: sites[0].name"},
		{"duplicate", "sites:\n  - {name: a, url: 'https://a/'}\n  - {name: a, url: 'https://a/'}\n", "two sites are named"},
		{"unknown field", "sites:\n  - {name: a, url: 'https://a/', modul: x}\n", "sites[0].modul: unknown field"},
		{"no url", "sites:\n  - {name: a}\n", "site.url: missing"},
		{"both", "sites:\n  - {name: a, policy: p.yaml, rules: []}\n", "not both"},
		{"missing policy", "sites:\n  - {name: a, policy: nope.yaml}\n", "nope.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.doc), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("sites:\n  - name: a\n    url: https://a/\n    identities: {ed: {user: ed, app_password: {env: X}}}\n    profiles: {integration: [ed]}\n"))
	f.Add([]byte("sites: [{name: a, policy: a.yaml}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, t.TempDir())
		if err == nil && len(c.Sites) == 0 {
			t.Fatal("a valid configuration without sites")
		}
	})
}

// TestExampleConfig: the shipped example stays a valid configuration.
func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig(filepath.Join(examplesDir(), "prometheus", "sites.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"blog", "shop"} {
		if s, ok := c.Site(name); !ok || s.Module != ModulePolicy {
			t.Errorf("site %s: %+v", name, s)
		}
	}
}
