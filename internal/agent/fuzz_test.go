package agent

import (
	"strings"
	"testing"
)

// FuzzParseTrace: any authenticated payload parses or is refused, and what
// parses holds printable, bounded strings only.
func FuzzParseTrace(f *testing.F) {
	f.Add(`{"v":1,"rid":"wp403-abcd-7","status":401,"refusal":{"hook":"rest_authentication_errors","callable":"x"},"auth":{}}`)
	f.Add(`{"v":1,"rid":"wp403-abcd-7","events":[{"hook":"callback","file":"\u0007"}],"auth":{"roles":["a\nb"]}}`)
	f.Fuzz(func(t *testing.T, payload string) {
		tr, err := ParseTrace(forge(testKey, "wp403-abcd-7", payload), testKey, "wp403-abcd-7")
		if err != nil {
			return
		}
		check := func(s string) {
			if len(s) > maxString || strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f }) >= 0 {
				t.Fatalf("unsafe string %q", s)
			}
		}
		check(tr.Route)
		for _, e := range append(tr.Events, tr.Removed...) {
			check(e.Callable)
			check(e.File)
			check(e.Component.Name)
		}
		if tr.Refusal != nil {
			check(tr.Refusal.Callable)
		}
		for _, r := range tr.Auth.Roles {
			check(r)
		}
		if len(tr.Events) > maxList || len(tr.Auth.Roles) > maxList {
			t.Fatal("lists not bounded")
		}
	})
}
