// Package verdict owns the reasoning from classified observations to
// findings. It is pure: no I/O, no clock. Observations of the same request
// (a "subject") sent at different vantage points (edge, origin) and in
// different variants (rest_route instead of /wp-json/, a browser user
// agent, no credentials, a benign body, GET instead of the refused method,
// a fresh nonce) are compared, the way OONI compares a probe with its
// control: the variant that flips the outcome names the mechanism, and the
// vantage that flips it names the layer. Each finding cites the
// observation ids it rests on.
//
// Nothing here keys on text only one stack produces: the inputs are who
// answered (WordPress's REST headers and error codes, signature matches,
// the server's header fingerprint), status semantics (401 means WordPress
// saw an anonymous user) and differentials.
package verdict
