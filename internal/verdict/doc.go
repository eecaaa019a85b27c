// Package verdict owns the reasoning from classified observations to
// findings. It is pure: no I/O, no clock.
//
// Observations of the same request (a "subject") sent at different
// vantage points (edge, origin) and in different variants (rest_route
// instead of /wp-json/, a browser user agent, no credentials, a benign
// body, GET instead of the refused method, a fresh nonce) are compared,
// the way OONI compares a probe with its control: the variant that flips
// the outcome names the mechanism, and the vantage that flips it names the
// layer.
//
// Reasoning happens in two steps. Facts (facts.go) are computed once per
// subject and for the whole run: who wrote each answer (read from the
// classifier's record.Class, never re-decided here), which variant flips
// the outcome, whether the origin answers, and so on. Then an ordered
// table of named rules (Rules, SiteRules) decides: the first rule whose
// When holds on the facts writes the finding, and the finding records the
// rule's id. docs/schema.md lists the rules.
//
// Nothing here keys on text only one stack produces: the inputs are who
// answered (WordPress's REST headers and error codes, signature matches,
// the server's header fingerprint), status semantics (401 means WordPress
// saw an anonymous user) and differentials.
package verdict
