// Package labkit is the Go side of the wp403 test lab (lab/ at the
// repository root). It owns reading the lab's state (credentials.json),
// parsing the scenario truth files (lab/scenarios/*/truth.json), switching
// scenarios through lab/scenario, and replaying a truth request against the
// edge or the active origin exactly as a client would: pinned dialing to the
// vantage's loopback address with the site's Host and TLS server name, the
// lab CA trusted, redirects never followed, and the right authentication
// (application password, or a wp-login.php session with a REST nonce).
// Writes made by requests are cleaned up through lab/php/labctl.php.
//
// Integration tests of other packages call Load and t.Skip with the returned
// error when it wraps ErrNotUp.
package labkit
