package agent

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxAnswer bounds an action's answer read from the site (the journal is
// capped far below it by the plugin).
const MaxAnswer = 512 << 10

// Answer is the agent's reply to a signed action (journal, purge).
type Answer struct {
	Agent  string `json:"agent"`
	Action string `json:"action"`
	// Purged is how many stored rows a purge deleted; Remains says what
	// the agent cannot remove itself.
	Purged  int      `json:"purged"`
	Remains []string `json:"remains,omitempty"`
}

// wireAnswer is the JSON the plugin sends.
type wireAnswer struct {
	V   int    `json:"v"`
	RID string `json:"rid"`
	Answer
}

// openAnswer checks an answer body ("v1.BASE64URL.HEX", MAC over the
// request id and payload) and decodes it.
func openAnswer(body []byte, key []byte, rid, action string) (*wireAnswer, error) {
	if len(body) > MaxAnswer {
		return nil, fmt.Errorf("%w: answer of more than %d bytes", ErrBadTrace, MaxAnswer)
	}
	version, rest, ok := strings.Cut(strings.TrimSpace(string(body)), ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || version != "v1" {
		return nil, fmt.Errorf("%w: the answer is not the agent's (no v1 envelope): the request did not reach the agent, the agent is older, or the key differs", ErrBadTrace)
	}
	got, err := hex.DecodeString(sig)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wp403-answer/v1\n" + rid + "\n" + payload))
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return nil, fmt.Errorf("%w: the answer's MAC does not match the key and this request's id", ErrBadTrace)
	}
	var w wireAnswer
	if err := decodePayload(body, &w); err != nil {
		return nil, err
	}
	if w.V != 1 || w.RID != rid || w.Action != action {
		return nil, fmt.Errorf("%w: the answer is for another request or action", ErrBadTrace)
	}
	w.Agent = Clean(w.Agent, maxString)
	if len(w.Remains) > maxList {
		w.Remains = w.Remains[:maxList]
	}
	for i, r := range w.Remains {
		w.Remains[i] = Clean(r, maxString)
	}
	return &w, nil
}

// decodePayload decodes the JSON of an answer whose MAC was checked.
func decodePayload(body []byte, v any) error {
	_, rest, _ := strings.Cut(strings.TrimSpace(string(body)), ".")
	payload, _, _ := strings.Cut(rest, ".")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return fmt.Errorf("%w: answer payload is not base64url", ErrBadTrace)
	}
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(v); err != nil {
		return fmt.Errorf("%w: answer payload is not the expected JSON", ErrBadTrace)
	}
	return nil
}

// ParsePurge reads the answer to a signed purge.
func ParsePurge(body []byte, key []byte, rid string) (*Answer, error) {
	w, err := openAnswer(body, key, rid, "purge")
	if err != nil {
		return nil, err
	}
	return &w.Answer, nil
}
