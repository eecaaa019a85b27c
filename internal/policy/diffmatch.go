package policy

import (
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Mismatch says why two reports are not runs of the same thing: another
// site, another user, or requests sent with other kinds of credentials.
// Comparing them would report findings that "disappeared" only because
// the later run never sent the requests that found them.
func Mismatch(a, b *record.Report) []string {
	var out []string
	if ha, hb := siteKey(a), siteKey(b); ha != hb {
		out = append(out, "the site differs ("+orNone(ha)+" vs "+orNone(hb)+")")
	}
	if a.Target.User != b.Target.User {
		out = append(out, "the user differs ("+orNone(a.Target.User)+" vs "+orNone(b.Target.User)+")")
	}
	if ka, kb := authKinds(a), authKinds(b); !slices.Equal(ka, kb) {
		out = append(out, "the credentials differ ("+orNone(strings.Join(ka, ", "))+" vs "+orNone(strings.Join(kb, ", "))+")")
	}
	return out
}

// siteKey is the scheme and host of the report's target.
func siteKey(r *record.Report) string {
	u, err := url.Parse(r.Target.URL)
	if err != nil || u.Host == "" {
		return strings.ToLower(r.Target.Host)
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// authKinds are the kinds of credentials the report's requests carried
// (public requests left out: every run sends some).
func authKinds(r *record.Report) []string {
	seen := map[string]bool{}
	for _, o := range r.Observations {
		if k := string(o.Request.Auth); k != "" && o.Request.Auth != record.AuthNone {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
