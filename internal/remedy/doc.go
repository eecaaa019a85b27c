// Package remedy writes the narrowest fix for a finding, in the syntax of
// the layer that refused: ModSecurity/CRS exclusions scoped to route,
// method, rule id and target; nginx, Apache, HAProxy, Varnish and
// Cloudflare rules scoped to the route and method; and the WordPress-side
// setting, capability or URL to change.
//
// It owns the mapping from every mechanism of the closed vocabulary
// (record.Mechanisms) to remedies, and nothing else: it does not decide
// what refused (that is the verdict's job) and it never proposes switching
// a protection off for all of /wp-json/. When no narrow fix exists the
// remedy says so and has Narrow=false.
package remedy
