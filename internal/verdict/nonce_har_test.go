package verdict

import (
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestPageNonceFromHAR: a HAR has no fresh nonce beside the page's, so the
// page-nonce rules take their confidence from the page's own headers: a
// cache that says HIT, or an Age beyond any default nonce life, is direct
// evidence; a short Age alone or no cache header is not.
func TestPageNonceFromHAR(t *testing.T) {
	har, cn := record.VantageHAR, record.AuthCookieNonce
	refused := ob(record.ProbePageNonce, har, 403, auth(cn), wp("rest_cookie_invalid_nonce"))
	page := func(mods ...mod) record.Observation {
		return ob(record.ProbeNoncePage, har, 200, append(mods, wp(""))...)
	}
	cases := []struct {
		name string
		obs  []record.Observation
		rule string
		conf record.Confidence
	}{
		{"hit", []record.Observation{page(hdr("X-Proxy-Cache", "HIT")), refused}, "nonce-cached-page", record.ConfHigh},
		{"cdn hit", []record.Observation{page(hdr("cf-cache-status", "HIT")), refused}, "nonce-cached-page", record.ConfHigh},
		{"old age", []record.Observation{page(hdr("Age", "90000")), refused}, "nonce-cached-page", record.ConfHigh},
		{"short age", []record.Observation{page(hdr("Age", "35")), refused}, "nonce-cached-page", record.ConfMedium},
		{"no cache header", []record.Observation{page(), refused}, "nonce-page-stale", record.ConfLow},
		{"miss", []record.Observation{page(hdr("X-Proxy-Cache", "MISS")), refused}, "nonce-page-stale", record.ConfLow},
		{"no page", []record.Observation{refused}, "nonce-refused", ""},
	}
	for _, c := range cases {
		fs := Analyze(in(c.obs...)).Findings
		if len(fs) != 1 || fs[0].Rule != c.rule || (c.conf != "" && fs[0].Confidence != c.conf) {
			t.Errorf("%s: findings %+v, want %s (%s)", c.name, fs, c.rule, c.conf)
			continue
		}
		if c.rule != "nonce-refused" && fs[0].NeedsOrigin == "" {
			t.Errorf("%s: no word on what would settle it", c.name)
		}
	}
}
