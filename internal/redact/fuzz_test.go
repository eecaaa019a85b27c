package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzScrubber: a registered secret, and its base64 user:secret token, do
// not survive String in any text around them; Body never panics.
func FuzzScrubber(f *testing.F) {
	f.Add("abcd EFGH ijkl", "pre ", " post", "editor")
	f.Add(`P"a<s>s/w&o'rd`, "{\"message\":\"", "\"}", "admin")
	f.Fuzz(func(t *testing.T, secret, before, after, user string) {
		_ = Body(before + secret + after)
		if len(secret) < 4 || strings.Contains(Mask, secret) || strings.ContainsAny(secret, "[]") {
			return // too short to register, or part of the mask itself
		}
		var s Scrubber
		s.AddBasic(user, secret)
		token := base64.StdEncoding.EncodeToString([]byte(user + ":" + secret))
		if strings.Contains(before+after, secret) || strings.Contains(before+after, token) {
			return
		}
		for _, leak := range []string{secret, token} {
			out := s.String(before + leak + after)
			for _, piece := range strings.Split(out, Mask) {
				if strings.Contains(piece, leak) {
					t.Fatalf("%q survives in %q", leak, out)
				}
			}
		}
	})
}
