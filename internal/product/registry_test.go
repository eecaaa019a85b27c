package product

import (
	"strings"
	"testing"
)

func TestDefaultLoads(t *testing.T) {
	r := Default()
	if len(r.All()) < 50 {
		t.Fatalf("%d products, the embedded registry is incomplete", len(r.All()))
	}
	for _, p := range r.All() {
		if p.NeedsControl() && (p.Control == nil || p.Control.Where == "" && p.Control.None == "") {
			t.Errorf("%s: a %s product states its control or that none exists", p.ID, p.Layer)
		}
		if p.Doc != "" && !strings.HasPrefix(p.Doc, "https://") {
			t.Errorf("%s: doc %q is not an https link", p.ID, p.Doc)
		}
	}
}

func TestLookups(t *testing.T) {
	r := Default()
	for _, c := range []struct {
		got  *Product
		want string
	}{
		{r.Named("Sucuri Website Firewall"), "sucuri-firewall"},
		{r.Named("sucuri website firewall"), "sucuri-firewall"},
		{r.Named("Sucuri Security"), "sucuri-security"},
		{r.Named("Defender (WPMU DEV)"), "defender"},
		{r.Named("Defender"), "defender"},
		{r.Named("ithemes-security"), "solid-security"},
		{r.ByNamespace("wordfence/v1"), "wordfence"},
		{r.ByNamespace("wp-defender/v1"), "defender"},
		{r.ByCode("itsec_rest_api_access_restricted"), "solid-security"},
		{r.ByAsset("wp-simple-firewall"), "shield"},
	} {
		if c.got == nil || c.got.ID != c.want {
			t.Errorf("got %v, want %s", c.got, c.want)
		}
	}
	// exact names only: a slug inside another is not that product
	for _, n := range []string{"disable-rest", "Sucuri Website", "fence", ""} {
		if p := r.Named(n); p != nil {
			t.Errorf("Named(%q) = %s, want none", n, p.ID)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"edge without control": "products:\n  - {id: acme, name: Acme, layer: edge, kind: cdn}\n",
		"control with both":    "products:\n  - {id: acme, name: Acme, layer: edge, kind: cdn, control: {where: a, none: b}}\n",
		"unknown kind":         "products:\n  - {id: acme, name: Acme, layer: server, kind: toaster}\n",
		"unknown syntax":       "products:\n  - {id: acme, name: Acme, layer: server, kind: server, syntax: iis}\n",
		"duplicate name":       "products:\n  - {id: acme, name: Acme, layer: server, kind: server}\n  - {id: acme-two, name: acme, layer: server, kind: server}\n",
		"duplicate namespace":  "products:\n  - {id: acme, name: Acme, layer: server, kind: server, namespaces: [x]}\n  - {id: acme-two, name: B, layer: server, kind: server, namespaces: [x]}\n",
		"unknown field":        "products:\n  - {id: acme, name: Acme, layer: server, kind: server, vendor: x}\n",
		"bad placeholder":      "products:\n  - {id: acme, name: Acme, layer: server, kind: server, fixes: {waf-rule: {title: 'allow {path}', scope: s}}}\n",
		"unknown mechanism":    "products:\n  - {id: acme, name: Acme, layer: server, kind: server, fixes: {melt: {title: t, scope: s}}}\n",
	} {
		if _, err := Load([]byte(doc)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestFixRender(t *testing.T) {
	f := Fix{Title: "allow {route_desc}", Scope: "s", Snippet: "URL: {route}\n"}.Render("/wp-json/wp/v2/posts", "POST /wp-json/wp/v2/posts")
	if f.Title != "allow POST /wp-json/wp/v2/posts" || f.Snippet != "URL: /wp-json/wp/v2/posts\n" {
		t.Errorf("%+v", f)
	}
}
