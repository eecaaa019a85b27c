package remedy

import "strings"

// cgiSuffix is the CGI name of a header without HTTP_: X-WP-Nonce → X_WP_NONCE.
func cgiSuffix(h string) string {
	return strings.ToUpper(strings.ReplaceAll(h, "-", "_"))
}

// cgiName is the CGI variable of a header: Authorization → HTTP_AUTHORIZATION.
func cgiName(h string) string { return "HTTP_" + cgiSuffix(h) }

// nginxVar is nginx's $http_ suffix for a header.
func nginxVar(h string) string {
	return strings.ToLower(strings.ReplaceAll(h, "-", "_"))
}
