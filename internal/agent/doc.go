// Package agent is wp403's side of the wp403 agent, a single-file
// mu-plugin that runs inside WordPress and names the callback that refused
// a REST request.
//
// The plugin (php/wp403-agent.php, embedded) is inert unless a request
// carries an X-WP403-Agent header signed with the site's key (the
// WP403_AGENT_KEY constant in wp-config.php). The v2 signature
// (HMAC-SHA256, see Signer.Header) covers the method, Host, path, canonical
// query, body hash, Content-Type, X-HTTP-Method-Override, keyed digests of
// the credentials, the time and a request id: accepted for five minutes and
// once per request id (kept network-wide on multisite), and never for
// another query, body, Host or identity than the one signed. It then
// answers that response only with an X-WP403-Trace header: base64url JSON,
// authenticated with the same key and bound to the request id, marked
// Cache-Control: private, no-store. The trace names the refusing callback,
// the plugin or theme that registered it (a core helper added by a plugin
// is that plugin's), the route WordPress dispatched and how far the request
// got (stage, last plugin loaded, last hook).
//
// A signed request can also ask the agent itself for something (Action):
// "purge" deletes what it stored (wp403 agent uninstall), "journal" returns
// the refusal journal. The journal is opt-in (WP403_AGENT_JOURNAL): the REST
// refusals of real traffic, bounded and written only when a request is
// refused, also shown as a Site Health test in wp-admin.
//
// This package embeds and installs the plugin (Install, Uninstall,
// MuPluginsDir, PurgeSQL), makes keys (NewKey, ParseKey), signs requests
// (Signer) and reads what the plugin answers (ParseTrace, ParsePurge,
// ParseJournal). Every answer is hostile input: it is bounded, its MAC and
// request id are checked, and only printable, bounded strings and known
// vocabulary are kept.
package agent
