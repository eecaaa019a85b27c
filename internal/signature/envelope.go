package signature

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// parseEnvelope recognises WordPress's ?_envelope answer: HTTP 200 with
// {"body":…,"status":N,"headers":{…}}. It returns the enveloped status
// and body.
func parseEnvelope(v *view) (int, string, bool) {
	if v.status != 200 || !v.isJSON || !strings.Contains(v.body, `"headers"`) {
		return 0, "", false
	}
	var e struct {
		Body    json.RawMessage            `json:"body"`
		Status  int                        `json:"status"`
		Headers map[string]json.RawMessage `json:"headers"`
	}
	if json.Unmarshal([]byte(v.body), &e) != nil || e.Body == nil || e.Headers == nil || e.Status < 100 || e.Status > 999 {
		return 0, "", false
	}
	return e.Status, string(e.Body), true
}

// restDetailReasons explains what the REST server's own headers say about
// a WordPress refusal: the envelope and the Allow header.
func restDetailReasons(cls *record.Class, v *view) {
	if v.enveloped != 0 {
		cls.Reasons = append(cls.Reasons, fmt.Sprintf("?_envelope answer: WordPress itself set status %d (carried inside HTTP %d)", v.status, v.enveloped))
	}
	if !cls.REST || v.wpErr == nil || (v.status != 401 && v.status != 403) {
		return
	}
	if allow := v.get("allow"); allow != "" {
		cls.Reasons = append(cls.Reasons, "Allow: "+clip(allow, 60)+": the route matched and these credentials may use only these methods")
		return
	}
	cls.Reasons = append(cls.Reasons, "no Allow header: refused before routing (rest_authentication_errors: core cookie or app-password checks, or a REST-restricting plugin), or no method of this route is allowed for these credentials")
}
