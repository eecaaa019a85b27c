package waf

import (
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// scrubber registers the request's secrets (credentials, cookie values,
// nonces) so that rule messages and matched data quoting them are masked.
func scrubber(h http.Header) *redact.Scrubber {
	s := &redact.Scrubber{}
	for name, vs := range h {
		if !redact.IsSensitiveHeader(name) {
			continue
		}
		for _, v := range vs {
			s.Add(v)
			if _, cred, ok := strings.Cut(v, " "); ok && strings.EqualFold(name, "Authorization") {
				s.Add(cred)
			}
			if strings.EqualFold(name, "Cookie") {
				for _, kv := range strings.Split(v, ";") {
					if _, val, ok := strings.Cut(kv, "="); ok {
						s.Add(strings.TrimSpace(val))
					}
				}
			}
		}
	}
	return s
}

// scrubHits masks secrets in the hits' messages and data, in place.
func scrubHits(s *redact.Scrubber, hs []record.RuleHit) {
	for i := range hs {
		hs[i].Message = s.String(hs[i].Message)
		hs[i].Data = s.String(hs[i].Data)
	}
}
