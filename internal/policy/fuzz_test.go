package policy

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzLoad: the loader never panics, every failure is a *LoadError with
// at least one problem, and a policy it accepts survives Format → Load
// unchanged.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodPolicy))
	f.Add([]byte("site: {url: 'https://x/'}\nrules:\n  - {name: a, route: /, identities: anonymous, expect: deny}\n"))
	f.Add([]byte("site:\n  url: http://x\nprofiles:\n  integration: [anonymous]\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("rules: [{headers: {X: \"\\u0000\"}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(data)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("error %v is not a *LoadError with problems", err)
			}
			return
		}
		out := Format(&Doc{Policy: *p})
		back, err := Load(out)
		if err != nil {
			t.Fatalf("formatted policy does not load: %v\n%s", err, out)
		}
		if !samePolicy(p, back) {
			t.Fatalf("round trip changed the policy\nbefore %+v\nafter  %+v\n%s", p, back, out)
		}
	})
}

// samePolicy compares two policies, ignoring line numbers.
func samePolicy(a, b *Policy) bool {
	strip := func(p *Policy) Policy {
		cp := *p
		cp.Rules = append([]Rule(nil), p.Rules...)
		for i := range cp.Rules {
			cp.Rules[i].Line = 0
			if len(cp.Rules[i].Header) == 0 {
				cp.Rules[i].Header = nil
			}
		}
		return cp
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

func TestFormatRoundTrip(t *testing.T) {
	p, err := Load([]byte(goodPolicy))
	if err != nil {
		t.Fatal(err)
	}
	disabled := Hardening()[0]
	disabled.Identities, disabled.Note = []string{"anonymous"}, "suggestion: currently allowed (200)"
	out := Format(&Doc{Comment: []string{"head"}, Policy: *p, Disabled: []Rule{disabled}, Tail: []string{"tail"}})
	back, err := Load(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !samePolicy(p, back) {
		t.Errorf("round trip changed the policy:\n%s", out)
	}
	golden(t, "format.yaml", out)
}
