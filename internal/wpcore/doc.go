// Package wpcore is the one owner of what WordPress core itself answers on
// its REST routes: per route and method, whether core serves the request
// without credentials, and with which WP_Error codes its permission
// callbacks refuse it, by WordPress version where that differs.
//
// The table (routes.go) was read from core's controllers
// (wp-includes/rest-api/endpoints/*.php, their *_permissions_check
// methods, WordPress 6.1 as Debian packages it, checked against the
// release notes of the versions that added routes). A refusal that looks
// like core's (rest_forbidden, rest_not_logged_in, rest_cannot_access…)
// on a route and method core serves anonymously was written by a plugin
// or theme filter: core would have answered 200. signature (classify, har,
// logs) and verdict (diagnose) both ask Lookup.
package wpcore
