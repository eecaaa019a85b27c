package agent

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
)

// tamper is a request as an attacker replays it: the header was signed
// for genuine(req), and req is what is sent.
type tamper struct {
	name    string
	r       labkit.TruthRequest
	change  func(t *testing.T, la *labAgent, req *http.Request, body []byte) []byte // returns the body sent
	genuine func(req *http.Request, body []byte) Request                            // what was signed
}

func setBody(req *http.Request, body []byte, ctype string) {
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.Header.Set("Content-Type", ctype)
}

func withHeader(r Request, name, value string) Request {
	r.Header = r.Header.Clone()
	if value == "" {
		r.Header.Del(name)
	} else {
		r.Header.Set(name, value)
	}
	return r
}

var tampers = []tamper{
	{"another query", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me?context=edit", Auth: "app-password", User: "editor"}, nil,
		func(req *http.Request, body []byte) Request {
			r := RequestOf(req, body)
			r.RawQuery = "context=view"
			return r
		}},
	{"another body", labkit.TruthRequest{Method: "POST", Route: "/wp/v2/posts", Auth: "public", Body: "benign.json"}, nil,
		func(req *http.Request, body []byte) Request { return RequestOf(req, []byte(`{"title":"signed"}`)) }},
	{"another Host", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/posts", Auth: "public"},
		func(t *testing.T, la *labAgent, req *http.Request, body []byte) []byte {
			req.Host = "www." + req.URL.Hostname() // the same WordPress: Debian's config falls back to the parent domain's
			return body
		},
		func(req *http.Request, body []byte) Request {
			r := RequestOf(req, body)
			r.Host = req.URL.Hostname()
			return r
		}},
	{"credentials added", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor"}, nil,
		func(req *http.Request, body []byte) Request {
			return withHeader(RequestOf(req, body), "Authorization", "")
		}},
	{"credentials replaced", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me", Auth: "app-password", User: "editor"}, nil,
		func(req *http.Request, body []byte) Request {
			return withHeader(RequestOf(req, body), "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("lab-author:xxxx xxxx xxxx xxxx xxxx xxxx")))
		}},
	{"cookie added", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me", Auth: "cookie+nonce", User: "editor"}, nil,
		func(req *http.Request, body []byte) Request {
			return withHeader(withHeader(RequestOf(req, body), "Cookie", ""), "X-WP-Nonce", "")
		}},
	{"method override added", labkit.TruthRequest{Method: "POST", Route: "/wp/v2/posts/{editor_post}", Auth: "public", Body: "benign.json"},
		func(t *testing.T, la *labAgent, req *http.Request, body []byte) []byte {
			req.Header.Set("X-HTTP-Method-Override", "DELETE")
			return body
		},
		func(req *http.Request, body []byte) Request {
			return withHeader(RequestOf(req, body), "X-HTTP-Method-Override", "")
		}},
}

// labSignedRequestBound: a signature copied from a log (the
// request it signed was refused before PHP, so its id was never claimed)
// and replayed with another query, body, Host or credentials gets no
// trace, behind nginx and Apache; the same request id then still works
// for the request it signed, so the refusals came from the signature, not
// from the replay store.
func labSignedRequestBound(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	for _, c := range tampers {
		for _, v := range []string{"nginx", "apache"} {
			id := "bound-" + v + "-" + la.runTag()
			r := c.r
			var sentWith string
			r.Finish = func(req *http.Request, body []byte) {
				if c.change != nil {
					c.change(t, la, req, body)
				}
				sentWith = Signer{Key: la.key}.Header(c.genuine(req, body), id)
				req.Header.Set(SignHeader, sentWith)
			}
			resp := la.send(t, v, r)
			if resp.Header.Get(TraceHeader) != "" {
				t.Errorf("%s at %s: the replayed signature was accepted (status %d)", c.name, v, resp.StatusCode)
			}
			if sentWith == "" {
				t.Fatalf("%s: the request was not signed", c.name)
			}
			// The same request signed as sent, with the same id, is traced:
			// WordPress served it and the id was not used up.
			r.Finish = func(req *http.Request, body []byte) {
				if c.change != nil {
					c.change(t, la, req, body)
				}
				req.Header.Set(SignHeader, Signer{Key: la.key}.Header(RequestOf(req, body), id))
			}
			resp = la.send(t, v, r)
			if _, err := ParseTrace(resp.Header.Get(TraceHeader), la.key, id); err != nil {
				t.Errorf("%s at %s: the request signed as sent got no valid trace (status %d): %v", c.name, v, resp.StatusCode, err)
			}
		}
	}
	// The control: a signature over the request really sent is accepted.
	r := labkit.TruthRequest{Method: "GET", Route: "/wp/v2/users/me?context=edit", Auth: "app-password", User: "editor"}
	if tr, _, _ := la.trace(t, "apache", r); tr.Auth.UserID == 0 {
		t.Errorf("the control request was not authenticated in its trace")
	}
}

// labTracesDispatchedRoute: WordPress takes rest_route from the
// POST body before the URL; the trace names the route WordPress ran, not
// the one in the URL.
func labTracesDispatchedRoute(t *testing.T, la *labAgent) {
	la.switchTo(t, "healthy")
	for _, v := range []string{"nginx", "apache"} {
		r := labkit.TruthRequest{Method: "POST", Route: "/wp/v2/posts", Auth: "public",
			Finish: func(req *http.Request, body []byte) {
				setBody(req, []byte("rest_route=%2Fwp%2Fv2%2Fusers%2Fme&name=x"), "application/x-www-form-urlencoded")
			}}
		tr, raw, resp := la.trace(t, v, r)
		if tr.Route != "/wp/v2/users/me" {
			t.Errorf("at %s: the trace names route %q, want /wp/v2/users/me (the POST rest_route WordPress dispatched; status %d): %s", v, tr.Route, resp.StatusCode, raw)
		}
	}
}
