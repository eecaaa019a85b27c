// Package agent is wp403's side of the wp403 agent, a single-file
// mu-plugin that runs inside WordPress and names the callback that refused
// a REST request.
//
// The plugin (php/wp403-agent.php, embedded) is inert unless a request
// carries an X-WP403-Agent header signed with the site's key (the
// WP403_AGENT_KEY constant in wp-config.php): HMAC-SHA256 over the method,
// the REST route, a timestamp and a request id, accepted for five minutes
// and once per request id. It then answers that response only with an
// X-WP403-Trace header: base64url JSON, authenticated with the same key
// and bound to the request id, marked Cache-Control: private, no-store.
//
// This package embeds and installs the plugin (Install, Uninstall,
// MuPluginsDir), makes keys (NewKey, ParseKey), signs requests (Signer)
// and reads traces (ParseTrace). A trace is hostile input: ParseTrace
// bounds its size, checks its MAC and request id, and keeps only
// printable, bounded strings and known vocabulary.
package agent
