package waf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/waf"
)

// debianCRS3WordPress is the CRS 3.3.4 built-in WordPress exclusion file
// Debian's modsecurity-crs ships. The CRS 4 wordpress-rule-exclusions
// plugin is not packaged by Debian nor served by the Go module proxy, so
// this is the closest official exclusion set available offline.
const debianCRS3WordPress = "/usr/share/modsecurity-crs/rules/REQUEST-903.9002-WORDPRESS-EXCLUSION-RULES.conf"

// TestCRSWordPressExclusionsComparison measures the official CRS 3
// WordPress exclusions, loaded before CRS 4 under Coraza, on the same
// corpus: how many blocked requests pass, and how many of the attack
// variants then get through. It is a comparison, not a gate: it fails
// only if the file cannot be loaded.
func TestCRSWordPressExclusionsComparison(t *testing.T) {
	if _, err := os.Stat(debianCRS3WordPress); err != nil {
		t.Skipf("Debian's modsecurity-crs is not installed: %v", err)
	}
	dir := t.TempDir()
	src, _ := os.ReadFile(debianCRS3WordPress)
	conf := "SecAction \"id:9000001,phase:1,pass,nolog,setvar:tx.crs_exclusions_wordpress=1\"\n" + string(src)
	file := filepath.Join(dir, "crs3-wordpress-before.conf")
	if err := os.WriteFile(file, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, pl := range []int{1, 4} {
		if pl > 1 && testing.Short() {
			continue
		}
		base := mustEngine(t, waf.Options{Paranoia: pl})
		excl, err := waf.New(waf.Options{Paranoia: pl, Rules: []waf.RuleSource{{Path: file, Place: waf.PlaceBefore}}})
		if err != nil {
			t.Fatalf("load the CRS 3 WordPress exclusions: %v", err)
		}
		blocked, fixed, leaks, variants := 0, 0, 0, 0
		var same sameParam
		for _, c := range waf.WPCorpus {
			req, _ := waf.ParseRaw(strings.NewReader(c.Raw()))
			res := replayOK(t, base, req)
			if !res.Blocked {
				continue
			}
			blocked++
			if !replayOK(t, excl, req).Blocked {
				fixed++
			}
			same.count(t, excl, req, res.Rules)
			for _, v := range attackVariants(req, res.Rules) {
				variants++
				if !replayOK(t, excl, v).Blocked {
					leaks++
				}
			}
		}
		t.Logf("PL%d: the CRS 3.3.4 WordPress exclusions (Debian) let %d of %d blocked requests through; %d of %d attack variants then pass; "+
			"an attack in the matched parameter itself, same route: %d of %d still refused", pl, fixed, blocked, leaks, variants, same.refused, same.total)
	}
}
