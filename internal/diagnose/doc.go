// Package diagnose owns one diagnosis run, the only place where the rooms
// meet: it discovers the REST root, logs in when asked, sends the probe
// plan in dependent waves through the probe client (edge and origin),
// classifies every response with the signature database, adds the
// differential variants that the first results call for, attaches server
// log entries and WAF replays, hands the observations to the verdict
// engine, attaches remedies and returns one record.Report.
//
// Waves, each depending on the one before:
//
//	discover  page → REST root (Link header, <link rel>, /wp-json/, ?rest_route=)
//	auth      wp-login.php → cookies; admin-ajax.php?action=rest-nonce → nonce
//	plan      the user's requests, or the default editor/integration plan, at edge and origin
//	variants  for each refusal: ?rest_route=, browser UA, no credentials, benign body,
//	          GET control, method override, fresh nonce
//	cleanup   delete what --write created (also on interrupt), finding creates
//	          whose answer was lost by the run's tag (write.go, cleanup.go)
//
// Config.Deadline (--max-time) bounds the probing; the report is then
// marked interrupted. Bodies kept in the report are capped (bodies.go).
package diagnose
