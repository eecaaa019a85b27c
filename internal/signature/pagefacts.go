package signature

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Page facts the verdict reads from the class rather than re-deriving from
// the body: a browser challenge, an incident id, application code.

// pageFacts fills Challenge, Incident and AppCode. Theme pages and
// successful answers are content: none applies to them.
func pageFacts(cls *record.Class, v *view) {
	if v.status < 400 && v.status != 200 || v.themePage() || v.isJSON {
		cls.AppCode = v.status >= 400 && appCode(cls, v)
		return
	}
	cls.Challenge = isChallenge(v.body)
	if v.status >= 400 {
		cls.Incident = incidentID(cls, v.body)
		cls.AppCode = appCode(cls, v)
	}
}

// isChallenge recognises an interstitial browser check by its working
// parts, whatever its wording: a script that sets a cookie and reloads or
// redirects, or a CAPTCHA form.
func isChallenge(body string) bool {
	b := strings.ToLower(clip(body, MaxBody))
	if !strings.Contains(b, "<script") && !strings.Contains(b, `http-equiv="refresh"`) {
		return false
	}
	setsCookie := strings.Contains(b, "document.cookie")
	reloads := strings.Contains(b, "location.reload") || strings.Contains(b, "location.href") ||
		strings.Contains(b, "location.replace") || strings.Contains(b, `http-equiv="refresh"`)
	captcha := strings.Contains(b, "captcha") || strings.Contains(b, "turnstile")
	return setsCookie && reloads || captcha
}

var incidentRe = regexp.MustCompile(`(?i)(?:incident|reference|request|block|support|event)[ _-]?(?:id|#|number|no\.?)\s*[:#]?\s*(?:<[^>]+>\s*)*#?([A-Za-z0-9][A-Za-z0-9._-]{3,40})`)

// incidentID is the incident or reference id a block page shows: the
// matched signature's, else one labelled as such in the first 16 KiB.
func incidentID(cls *record.Class, body string) string {
	for _, m := range cls.Matches {
		if m.IncidentID != "" {
			return m.IncidentID
		}
	}
	if m := incidentRe.FindStringSubmatch(clip(body, 16<<10)); m != nil {
		return m[1]
	}
	return ""
}

// appCode: the refusal was produced by application code rather than the
// server: a wp_die page, WordPress's no-cache Expires, PHP's X-Powered-By,
// or a producer the signatures place in PHP or a plugin.
func appCode(cls *record.Class, v *view) bool {
	if cls.Producer == record.LayerPlugin || cls.Producer == record.LayerPHP {
		return true
	}
	switch cls.Page {
	case "wp-die-html", "wordpress-html", "php-page", "plugin-page":
		return true
	}
	return strings.Contains(v.get("expires"), "11 Jan 1984") || poweredByPHP(v)
}
