package record

import "testing"

// The two places WordPress 6.1 prints a REST nonce into a page, as the lab
// serves them: wp-api-request's inline settings (front end and admin) and
// the block editor's apiFetch middleware (wp-admin).
func TestPageNonce(t *testing.T) {
	for page, want := range map[string]string{
		`<script id='wp-api-request-js-extra'>
var wpApiSettings = {"root":"https:\/\/blog.wp403.test\/wp-json\/","nonce":"9054401b30","versionString":"wp\/v2\/"};
</script>`: "9054401b30",
		`wp.apiFetch.nonceMiddleware = wp.apiFetch.createNonceMiddleware( "a1b2c3d4e5" );`: "a1b2c3d4e5",
		`<p>no nonce here: "nonce":"0123456789"</p>`:                                       "",
	} {
		if got := PageNonce([]byte(page)); got != want {
			t.Errorf("PageNonce(%.40q) = %q, want %q", page, got, want)
		}
	}
}
