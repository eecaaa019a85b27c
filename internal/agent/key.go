package agent

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeyConstant is the wp-config.php constant that holds the key.
const KeyConstant = "WP403_AGENT_KEY"

// MinKeyLen is the shortest key the plugin and wp403 accept, in bytes.
const MinKeyLen = 32

// NewKey returns a random key: 32 random bytes, base64url (43 characters).
func NewKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ConfigLine is the line to add to wp-config.php for a key.
func ConfigLine(key string) string {
	return fmt.Sprintf("define('%s', '%s');", KeyConstant, key)
}

var (
	keyChars   = regexp.MustCompile(`^[A-Za-z0-9._~+/=-]+$`)
	defineLine = regexp.MustCompile(`^define\(\s*['"]` + KeyConstant + `['"]\s*,\s*['"]([^'"]*)['"]\s*\)\s*;?$`)
)

// ErrBadKey says a key is too short or holds characters wp403 does not write.
var ErrBadKey = errors.New("agent key")

// ParseKey reads a key file's content: the bare key, or the wp-config.php
// line that defines it. Keys are at least 32 bytes of [A-Za-z0-9._~+/=-].
func ParseKey(b []byte) ([]byte, error) {
	if len(b) > 4096 {
		return nil, fmt.Errorf("%w: more than 4096 bytes; want the key alone", ErrBadKey)
	}
	s := strings.TrimSpace(string(b))
	if m := defineLine.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if len(s) < MinKeyLen {
		return nil, fmt.Errorf("%w: %d bytes, want at least %d (make one with 'wp403 agent install')", ErrBadKey, len(s), MinKeyLen)
	}
	if len(s) > 256 || !keyChars.MatchString(s) {
		return nil, fmt.Errorf("%w: want at most 256 characters of A-Z a-z 0-9 . _ ~ + / = -", ErrBadKey)
	}
	return []byte(s), nil
}
