package agent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Header names of the protocol.
const (
	SignHeader  = "X-WP403-Agent" // request: "v1 t=UNIX id=RID sig=HEX"
	TraceHeader = "X-WP403-Trace" // response: "v1.BASE64URL.HEX"
)

// Window is how far a signature's timestamp may be from the site's clock.
const Window = 5 * time.Minute

var requestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// ValidRequestID reports whether the plugin accepts a request id.
func ValidRequestID(id string) bool { return requestID.MatchString(id) }

// Signer signs requests with one key.
type Signer struct {
	Key []byte
	Now func() time.Time
}

// Header returns the X-WP403-Agent value for a request, or "" when the
// request id is not one the plugin accepts.
func (s Signer) Header(method, route, id string) string {
	if !ValidRequestID(id) {
		return ""
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	mac := hmac.New(sha256.New, s.Key)
	mac.Write([]byte("wp403-agent/v1\n" + strings.ToUpper(method) + "\n" + CanonicalRoute(route) + "\n" + ts + "\n" + id))
	return "v1 t=" + ts + " id=" + id + " sig=" + hex.EncodeToString(mac.Sum(nil))
}

// CanonicalRoute is a REST route the way the plugin computes it: decoded,
// one leading slash, no trailing slash ("/" for the index).
func CanonicalRoute(route string) string {
	if r, err := url.PathUnescape(route); err == nil {
		route = r
	}
	return "/" + strings.Trim(route, "/")
}
