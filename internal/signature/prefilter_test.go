package signature

import (
	"strings"
	"testing"
)

// TestPrefilterSound: on every sample body, a regex that matches always
// passes its literal prefilter, and the literal scanner agrees with
// strings.Contains.
func TestPrefilterSound(t *testing.T) {
	db, ix := mustDB(t), loadIndex(t)
	for i := range ix.Samples {
		_, resp := ix.Samples[i].load(t)
		v := newView(resp, db.lits)
		found := v.literals()
		for id, lit := range db.lits.lits {
			body := v.body
			if db.lits.fold[id] {
				body = lowerASCIIString(body)
			}
			if found[id] != strings.Contains(body, lit) {
				t.Errorf("%s: scanner says %v for %q", ix.Samples[i].id(), found[id], lit)
			}
		}
		for _, c := range db.compiled {
			for _, group := range [][]cond{c.all, c.any, c.none} {
				for _, cd := range group {
					if cd.kind == condBody && cd.re.MatchString(v.body) && !cd.pre.mayMatch(v) {
						t.Errorf("%s: prefilter of %s rejects a matching body", ix.Samples[i].id(), cd.re)
					}
				}
			}
		}
	}
}

// FuzzLiteralScanner compares the one-pass scanner with strings.Contains.
func FuzzLiteralScanner(f *testing.F) {
	f.Add("Sorry, you have been BLOCKED by CloudFlare", "blocked")
	f.Add("abc", "abcd")
	f.Fuzz(func(t *testing.T, body, lit string) {
		if lit == "" {
			return
		}
		ls := newLitScanner()
		exact, fold := ls.add(lit, false), ls.add(lit, true)
		found := ls.scan(body)
		if found[exact] != strings.Contains(body, lit) {
			t.Fatalf("exact %q in %q: %v", lit, body, found[exact])
		}
		if found[fold] != strings.Contains(lowerASCIIString(body), lowerASCIIString(lit)) {
			t.Fatalf("fold %q in %q: %v", lit, body, found[fold])
		}
	})
}

func TestPrefilterLiterals(t *testing.T) {
	ls := newLitScanner()
	cases := map[string]int{
		`<hr><center>nginx(/[0-9.]+)?</center>`: 1,
		`(?i)powered.by.{0,10}imunify360`:       1,
		`\A\s*\z`:                               0,
		`Ray ID:\s*([0-9a-f]{16})|fo`:           0, // "fo" is too short to filter on
		`(NS Transaction|AppFW Session) id`:     2,
	}
	for expr, n := range cases {
		p := newPrefilter(expr, ls)
		if got := 0; p != nil {
			got = len(p.ids)
			if got != n {
				t.Errorf("%s: %d literals, want %d", expr, got, n)
			}
		} else if n != 0 {
			t.Errorf("%s: no prefilter, want %d literals", expr, n)
		}
	}
}
