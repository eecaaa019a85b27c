package diagnose

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/wp403/wp403/internal/record"
)

// A wrong application password and an Authorization header that never
// reaches PHP look the same from outside: WordPress answers 401 as for an
// anonymous visitor. With --write and a login, wp403 settles it the way a
// support engineer would: it creates a fresh application password for the
// logged-in user (cookie + nonce), tries it, and deletes it in cleanup. If
// the fresh one works, the one in use is wrong; if it fails too, the header
// is lost on the way.

const freshAppRoute = "/wp/v2/users/me/application-passwords"

// freshApp holds the created password, for this run only.
type freshApp struct {
	mu       sync.Mutex
	password string
}

func (f *freshApp) get() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.password
}

// keep reads the create response, registers the new password as a secret
// and schedules its deletion.
func (s *session) keepFreshApp(f *freshApp, created *createdItems) func(*http.Response, []byte) {
	return func(resp *http.Response, body []byte) {
		if resp.StatusCode != http.StatusCreated {
			return
		}
		var obj struct {
			UUID     string `json:"uuid"`
			Password string `json:"password"`
		}
		if json.Unmarshal(body, &obj) != nil || obj.UUID == "" || obj.Password == "" {
			return
		}
		s.scrub.AddBasic(s.cfg.User, obj.Password)
		f.mu.Lock()
		f.password = obj.Password
		f.mu.Unlock()
		created.add(createdItem{route: freshAppRoute, id: obj.UUID, auth: record.AuthCookieNonce})
	}
}

// checkFreshAppPassword runs the create-and-try probe when it applies.
func (s *session) checkFreshAppPassword(ctx context.Context, created *createdItems) {
	if !s.cfg.Write || s.cfg.AppPassword == "" || s.currentNonce() == "" || !s.hasLoginCookie() {
		return
	}
	f := &freshApp{}
	create := spec{key: record.AuxKey("create-app-password"), purpose: "create a temporary application password (deleted afterwards)",
		method: "POST", route: freshAppRoute, auth: record.AuthCookieNonce, expect: record.Expect2xx,
		sink: s.keepFreshApp(f, created), tagged: true}
	// A unique name: WordPress refuses a duplicate application password name.
	create = jsonSpec(create, []byte(`{"name":"wp403 check `+s.runID+` (temporary, deleted by wp403)"}`), "benign")
	s.wave(ctx, "fresh application password", []spec{create}, []record.Vantage{record.VantageEdge})
	pw := f.get()
	if pw == "" {
		return
	}
	try := spec{key: record.ProbeFreshAppPass, purpose: "does a freshly created application password work",
		method: "GET", route: "/wp/v2/users/me/application-passwords/introspect", auth: record.AuthCustom, expect: record.Expect2xx,
		header: http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(s.cfg.User+":"+pw))}}}
	s.wave(ctx, "fresh application password", []spec{try}, s.vantages())
}
