package diagnose

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// missingPostID is a post id no site has: write-shaped probes aimed at it
// reach WordPress's permission check and stop at 404 rest_post_invalid_id,
// so they prove the path is open without changing anything.
const missingPostID = "999999999"

// benignBody is a harmless JSON body for write-shaped probes.
var benignBody = []byte(`{"title":"wp403 probe"}`)

// validateOnlyBody is harmless and invalid: WordPress rejects it with 400
// rest_invalid_param before any permission check or write, which proves
// the request reached WordPress without creating anything.
var validateOnlyBody = []byte(`{"title":"wp403 probe","status":"wp403-not-a-status"}`)

// editorBody is what the block editor saves: block comments and markup,
// which OWASP CRS and other WAFs inspect. Sent only with --payload/--write.
var editorBody = []byte(`{"title":"wp403 editor save check","content":"<!-- wp:paragraph -->\n<p>Checking that the block editor can save.</p>\n<!-- /wp:paragraph -->","status":"draft"}`)

func jsonSpec(sp spec, body []byte, kind string) spec {
	sp.body, sp.bodyKind, sp.ctype = body, kind, "application/json"
	return sp
}

// defaultPlan covers what the block editor and common integrations need,
// for the given auth kinds (public probes come with the early kinds).
// Its probes are edge-first: a request that passes at the edge needs no
// origin control, so the origin is asked only what the edge refused.
func (s *session) defaultPlan(kinds []record.AuthKind, withPublic bool) []spec {
	var specs []spec
	if withPublic {
		specs = append(specs, spec{key: record.ProbePublicPosts, purpose: "a public route, anonymously", method: "GET",
			route: "/wp/v2/posts", query: "per_page=1", auth: record.AuthNone, expect: record.Expect2xx, edgeFirst: true})
	}
	for _, k := range kinds {
		if k != record.AuthNone {
			specs = append(specs, s.authPlan(k)...)
		}
	}
	return specs
}

func (s *session) authPlan(k record.AuthKind) []spec {
	saveBody, saveKind := benignBody, "benign"
	if s.cfg.Payload {
		saveBody, saveKind = editorBody, "editor-save"
	}
	specs := []spec{
		{key: record.PlanKey(record.PlanUsersMe, k), purpose: "who WordPress thinks you are", method: "GET", route: "/wp/v2/users/me", query: "context=edit"},
		{key: record.PlanKey(record.PlanEditorLoad, k), purpose: "what the editor loads first (Site Health's REST test)", method: "GET", route: "/wp/v2/types/post", query: "context=edit"},
		{key: record.PlanKey(record.PlanOptionsPosts, k), purpose: "methods these credentials may use on posts (Allow)", method: "OPTIONS", route: "/wp/v2/posts"},
		jsonSpec(spec{key: record.PlanKey(record.PlanEditorSave, k), purpose: "an editor save (POST + X-HTTP-Method-Override: PUT) to a missing post",
			method: "POST", route: "/wp/v2/posts/" + missingPostID, expect: record.ExpectWordPress,
			header: http.Header{"X-Http-Method-Override": {"PUT"}}}, saveBody, saveKind),
		{key: record.PlanKey(record.PlanDelete, k), purpose: "an integration's DELETE of a missing post", method: "DELETE",
			route: "/wp/v2/posts/" + missingPostID, expect: record.ExpectWordPress},
	}
	if k == record.AuthAppPassword {
		specs = append(specs, spec{key: record.PlanKey(record.PlanIntrospect, k), purpose: "is the application password accepted",
			method: "GET", route: "/wp/v2/users/me/application-passwords/introspect"})
	}
	for i := range specs {
		specs[i].auth, specs[i].edgeFirst = k, true
		if specs[i].expect == "" {
			specs[i].expect = record.Expect2xx
		}
	}
	return specs
}

// userPlan turns --request specs into probes, once per auth kind given.
func (s *session) userPlan(kinds []record.AuthKind, extra http.Header, created *createdItems) []spec {
	var specs []spec
	for i, r := range s.cfg.Requests {
		for _, k := range kinds {
			sp := spec{key: record.UserKey(i+1, k), purpose: "your request",
				method: r.Method, route: r.Route, query: r.Query, rawURL: r.URL, auth: k, expect: record.Expect2xx,
				body: r.Body, ctype: r.ContentType, header: extra.Clone()}
			if sp.header == nil {
				sp.header = http.Header{}
			}
			for k, vs := range r.Header {
				sp.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
			}
			if r.Method == "POST" && r.Route != "" && isWrite(sp) {
				sp.sink = created.keep(r.Route)
			}
			if len(r.Body) > 0 {
				sp.bodyKind = "user"
				if sp.ctype == "" && json.Valid(r.Body) && bytes.HasPrefix(bytes.TrimSpace(r.Body), []byte("{")) {
					sp.ctype = "application/json"
				}
			}
			specs = append(specs, sp)
		}
	}
	return specs
}

// asGiven reports whether the user supplied the request's credentials
// verbatim (-H Authorization or --cookie): they are sent exactly so.
func (s *session) asGiven() ([]record.AuthKind, http.Header, bool) {
	extra := s.extra.Clone()
	if extra == nil {
		extra = http.Header{}
	}
	switch {
	case extra.Get("Authorization") != "":
		return []record.AuthKind{record.AuthCustom}, extra, true
	case s.cfg.Cookie != "" && extra.Get("X-Wp-Nonce") != "":
		return []record.AuthKind{record.AuthCookieNonce}, extra, true
	case s.cfg.Cookie != "":
		return []record.AuthKind{record.AuthCookieOnly}, extra, true
	}
	return nil, extra, false
}

// earlyKinds are the auth kinds usable before any nonce is fetched.
func (s *session) earlyKinds() []record.AuthKind {
	var out []record.AuthKind
	if s.cfg.User != "" && s.cfg.AppPassword != "" {
		out = append(out, record.AuthAppPassword)
	}
	if len(out) == 0 && s.cfg.Password == "" && s.cfg.Cookie == "" {
		out = append(out, record.AuthNone)
	}
	return out
}

// userAuthKinds is what the user's requests are sent with, once the
// nonce step is over (used for cleanup).
func (s *session) userAuthKinds() ([]record.AuthKind, http.Header) {
	if kinds, extra, ok := s.asGiven(); ok {
		return kinds, extra
	}
	kinds := s.earlyKinds()
	if s.hasLoginCookie() && s.currentNonce() != "" {
		kinds = append(kinds, record.AuthCookieNonce)
	}
	return kinds, s.extra.Clone()
}

// writePlan creates a draft with editor content and a media item, to be
// deleted in cleanup. Only with --write.
func (s *session) writePlan(created *createdItems, k record.AuthKind) []spec {
	draft := jsonSpec(spec{key: record.PlanKey(record.PlanWriteDraft, k), purpose: "create a draft with block-editor content (deleted afterwards)",
		method: "POST", route: "/wp/v2/posts", auth: k, expect: record.Expect2xx, sink: created.keep("/wp/v2/posts"), tagged: true}, s.taggedBody(editorBody), "editor-save")
	media := spec{key: record.PlanKey(record.PlanWriteMedia, k), purpose: "upload a tiny image as the media library does (deleted afterwards)",
		method: "POST", route: "/wp/v2/media", auth: k, expect: record.Expect2xx, body: tinyJPEG, bodyKind: "image",
		ctype: "image/jpeg", header: http.Header{"Content-Disposition": {`attachment; filename="` + s.tag() + `.jpg"`}},
		sink: created.keep("/wp/v2/media"), tagged: true}
	return []spec{draft, media}
}

// taggedBody adds the run's tag as the slug of a JSON object body, so
// cleanup can find the item even if the create's answer is lost.
func (s *session) taggedBody(body []byte) []byte {
	b := bytes.TrimRight(body, " \n")
	return append(append(b[:len(b)-1:len(b)-1], `,"slug":"`+s.tag()+`"`...), '}')
}

// isPlainBrowserUA reports a user agent without a tool token.
func isPlainBrowserUA(ua string) bool {
	return strings.HasPrefix(ua, "Mozilla/5.0") && !strings.Contains(strings.ToLower(ua), "wp403")
}
