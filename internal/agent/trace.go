package agent

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// MaxTraceHeader bounds the X-WP403-Trace value read (the plugin sends at
// most about 2.5 KB, to fit nginx's default FastCGI header buffer).
const MaxTraceHeader = 8 << 10

// ErrBadTrace marks a trace that was refused: malformed, oversized, not
// authenticated by the key, or for another request.
var ErrBadTrace = errors.New("trace rejected")

// wireTrace is the JSON the plugin sends; it adds the request id and the
// version to record.AgentTrace.
type wireTrace struct {
	V   int    `json:"v"`
	RID string `json:"rid"`
	record.AgentTrace
}

// ParseTrace checks an X-WP403-Trace value against the key and the request
// id it must answer, and returns the trace, sanitised.
func ParseTrace(value string, key []byte, rid string) (*record.AgentTrace, error) {
	if len(value) > MaxTraceHeader {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBadTrace, len(value), MaxTraceHeader)
	}
	version, rest, ok := strings.Cut(strings.TrimSpace(value), ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || version != "v1" {
		return nil, fmt.Errorf("%w: not a v1 trace", ErrBadTrace)
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return nil, fmt.Errorf("%w: malformed MAC", ErrBadTrace)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wp403-trace/v1\n" + rid + "\n" + payload))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return nil, fmt.Errorf("%w: its MAC does not match the key and this request's id (forged, cached, or another key)", ErrBadTrace)
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrBadTrace)
	}
	var w wireTrace
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: payload is not the expected JSON", ErrBadTrace)
	}
	if w.V != 1 || w.RID != rid {
		return nil, fmt.Errorf("%w: version %d or request id does not match", ErrBadTrace, w.V)
	}
	t := w.AgentTrace
	sanitize(&t)
	return &t, nil
}
