package waf

import (
	"encoding/json"
	"mime"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// scrubber registers the request's secrets (credentials, cookie values,
// nonces, and the password and token fields of a query, form or JSON body,
// such as wp-login.php's pwd) so that rule messages and matched data
// quoting them are masked.
func scrubber(r Request) *redact.Scrubber {
	s := &redact.Scrubber{}
	for name, vs := range r.Header {
		if !redact.IsSensitiveHeader(name) {
			continue
		}
		for _, v := range vs {
			switch strings.ToLower(name) {
			case "authorization", "proxy-authorization":
				s.AddAuthorization(v)
			case "cookie":
				s.Add(v)
				s.AddCookies(v)
			default:
				s.Add(v)
			}
		}
	}
	addUserinfo(s, r.URL)
	_, query, _ := strings.Cut(r.URL, "?")
	query, _, _ = strings.Cut(query, "#")
	addParams(s, query)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "application/x-www-form-urlencoded":
		addParams(s, string(r.Body))
	case strings.Contains(ct, "json"):
		var m map[string]any
		if json.Unmarshal(r.Body, &m) == nil {
			addJSON(s, m)
		}
	}
	return s
}

// addUserinfo registers the password of an absolute URL's userinfo
// ("http://user:PASS@host/", an absolute-form request-target), which
// REQUEST_LINE and REQUEST_URI_RAW carry into a rule's matched data.
func addUserinfo(s *redact.Scrubber, target string) {
	u, err := url.Parse(target)
	if err != nil || u.User == nil {
		return
	}
	if pw, ok := u.User.Password(); ok {
		s.AddBasic(u.User.Username(), pw)
		s.Add(strings.ToLower(pw))
	}
	if raw, _, ok := strings.Cut(strings.TrimPrefix(target, u.Scheme+"://"), "@"); ok {
		s.Add(raw) // the userinfo as written, percent-encoding included
	}
}

// addParams registers the values of secret fields of a query or form body.
func addParams(s *redact.Scrubber, q string) {
	v, _ := url.ParseQuery(q) // what parsed is kept
	for k, vals := range v {
		if redact.IsSensitiveParam(k) {
			for _, x := range vals {
				s.Add(x, strings.ToLower(x)) // rules often match the lowercased value
			}
		}
	}
}

// addJSON registers the string values of secret fields of a JSON object,
// at any depth.
func addJSON(s *redact.Scrubber, m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case string:
			if redact.IsSensitiveParam(k) {
				s.Add(x, strings.ToLower(x))
			}
		case map[string]any:
			addJSON(s, x)
		}
	}
}

// scrubHits masks secrets in the hits' messages and data, in place.
func scrubHits(s *redact.Scrubber, hs []record.RuleHit) {
	for i := range hs {
		hs[i].Message, hs[i].Data = redact.RuleHitText(hs[i].Target, hs[i].Message, hs[i].Data)
		hs[i].Message = s.String(hs[i].Message)
		hs[i].Data = s.String(hs[i].Data)
	}
}
