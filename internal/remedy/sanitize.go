package remedy

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// sanitize validates every server- or file-derived value of the context
// against the syntax it must have (package quote). An optional value that
// fails is dropped and a note says why; a route, method, REST prefix or
// header that fails sets refused, and no snippet is written at all.
func (c Context) sanitize() Context {
	c.notes, c.refused = nil, ""
	for _, chk := range []struct {
		what string
		err  error
	}{
		{"the request's route", quote.Route(c.Route)},
		{"the request's method", quote.Method(c.Method)},
		{"the site's REST prefix", quote.Path(c.RESTPrefix)},
		{"the missing header's name", quote.HeaderName(c.Header)},
	} {
		if chk.err != nil && c.refused == "" {
			c.refused = quote.Why(chk.what, chk.err)
		}
	}
	c.Code = c.keep(c.Code, "the error code the server returned", quote.ErrorCode)
	c.UserAgent = c.keep(c.UserAgent, "the refused User-Agent", quote.HeaderValue)
	c.Plugin = c.keep(c.Plugin, "the plugin's name", quote.ProductName)
	c.Server = c.keep(c.Server, "the server's name", quote.ProductName)
	c.Edge = c.keep(c.Edge, "the edge's name", quote.ProductName)
	c.WAF = c.keep(c.WAF, "the WAF engine's name", quote.ProductName)
	c.URL = c.keep(c.URL, "the site URL", quote.SiteURL)
	c.Home = c.keep(c.Home, "the home option the site reported", quote.SiteURL)
	c.SiteURL = c.keep(c.SiteURL, "the siteurl option the site reported", quote.SiteURL)
	c.Location = c.keep(c.Location, "the redirect target", redirectTarget)
	ct := strings.ToLower(strings.TrimSpace(strings.Split(c.ContentType, ";")[0]))
	if ct == "" && strings.TrimSpace(c.ContentType) != "" {
		ct = c.ContentType // ";x": no media type, so it is refused below
	}
	c.ContentType = c.keep(ct, "the request's content type", quote.ContentType)
	c.Rules = c.validRules()
	return c
}

// keep returns v when it passes check, else "" and a note.
func (c *Context) keep(v, what string, check func(string) error) string {
	if v == "" {
		return ""
	}
	if err := check(v); err != nil {
		c.notes = append(c.notes, quote.Why(what, err))
		return ""
	}
	return v
}

// validRules keeps the rule hits whose id is well formed; a target that
// is not well formed is blanked, so the rule is excluded by id for the
// route and method alone (a binary body parsed as form fields gives binary
// ARGS_NAMES).
func (c *Context) validRules() []record.RuleHit {
	var out []record.RuleHit
	dropped, blanked := false, false
	for _, h := range c.Rules {
		if h.ID == 0 && h.Name != "" { // an edge product's named rule (edgeRuleFix)
			if quote.EdgeRule(h.Name) != nil {
				dropped = true
			} else {
				out = append(out, h)
			}
			continue
		}
		if quote.RuleID(h.ID) != nil {
			dropped = true
			continue
		}
		if h.Target != "" && quote.ModSecTarget(h.Target) != nil {
			h.Target, blanked = "", true
		}
		out = append(out, h)
	}
	if dropped {
		c.notes = append(c.notes, "a rule hit whose id is not well formed was left out of the snippets")
	}
	if blanked {
		c.notes = append(c.notes, "a matched target that is not well formed was left out of the snippets: its rule is excluded by id for this path and method")
	}
	return out
}

// redirectTarget checks a Location: an absolute http(s) URL whose host is
// a host name (only scheme and host are used), or a path.
func redirectTarget(s string) error {
	u, err := url.Parse(s)
	if err != nil || len(s) > 2048 || strings.ContainsAny(s, "\\\x00\r\n\t ") {
		return errBadLocation
	}
	if u.Host == "" && u.Scheme == "" {
		return quote.Path(u.Path)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || quote.Host(u.Hostname()) != nil {
		return errBadLocation
	}
	return nil
}

var errBadLocation = quoteError("not an http(s) URL on a valid host")

type quoteError string

func (e quoteError) Error() string { return string(e) }

// refusal is the single remedy written when a value every snippet needs
// is not well formed.
func (c Context) refusal(f *record.Finding) []record.Remedy {
	return []record.Remedy{noNarrowFix(f.Layer, "wp403",
		c.refused+"; a snippet built from it could run or configure something else",
		"check the request in the report; if the server or file produced it, treat the site as suspect")}
}

// withNotes appends the notes on dropped values to every remedy's caveat.
func (c Context) withNotes(rs []record.Remedy) []record.Remedy {
	if len(c.notes) == 0 {
		return rs
	}
	note := strings.Join(c.notes, "; ") + "."
	for i := range rs {
		if rs[i].Caveat != "" {
			rs[i].Caveat = strings.TrimSuffix(rs[i].Caveat, ".") + ". "
		}
		rs[i].Caveat += strings.ToUpper(note[:1]) + note[1:]
	}
	return rs
}
