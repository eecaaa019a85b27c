package record

import "regexp"

// pageNonceRes find the REST nonce a page hands its scripts: core's
// wp-api-request (wpApiSettings, front end and admin) and the block
// editor's apiFetch nonce middleware (wp-admin). Diagnose reads them in
// the page it fetches, the HAR reader in the pages a browser recorded.
var pageNonceRes = []*regexp.Regexp{
	regexp.MustCompile(`wpApiSettings\s*=\s*\{[^}]{0,400}?"nonce"\s*:\s*"([0-9a-zA-Z]{6,32})"`),
	regexp.MustCompile(`createNonceMiddleware\(\s*"([0-9a-zA-Z]{6,32})"\s*\)`),
}

// PageNonce returns the REST nonce an HTML page carries, or "".
func PageNonce(body []byte) string {
	for _, re := range pageNonceRes {
		if m := re.FindSubmatch(body); m != nil {
			return string(m[1])
		}
	}
	return ""
}
