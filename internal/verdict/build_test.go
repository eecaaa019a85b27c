package verdict

import (
	"strconv"

	"github.com/wp403/wp403/internal/record"
)

// Builders for observations the captures do not contain. They set what
// the prober and the classifier would: no verdict logic lives here.

type mod func(*record.Observation)

var seq int

func ob(probe string, v record.Vantage, status int, mods ...mod) record.Observation {
	seq++
	o := record.Observation{ID: "o" + strconv.Itoa(seq), Probe: probe, Vantage: v,
		Request: record.HTTPRequest{Method: "GET", Route: "/wp/v2/posts", Auth: record.AuthNone}}
	if status > 0 {
		o.Response = &record.HTTPResponse{Status: status, Header: map[string][]string{}}
		o.Class = &record.Class{Producer: record.LayerServer, Refusal: status >= 400}
	}
	for _, m := range mods {
		m(&o)
	}
	return o
}

func variant(v record.Variant) mod  { return func(o *record.Observation) { o.Variant = v } }
func auth(a record.AuthKind) mod    { return func(o *record.Observation) { o.Request.Auth = a } }
func method(m string) mod           { return func(o *record.Observation) { o.Request.Method = m } }
func route(r string) mod            { return func(o *record.Observation) { o.Request.Route = r } }
func expect(e record.Expect) mod    { return func(o *record.Observation) { o.Expect = e } }
func fail(f record.Failure) mod     { return func(o *record.Observation) { o.Failure = f } }
func pageShape(p string) mod        { return func(o *record.Observation) { o.Class.Page = p } }
func body(b string) mod             { return func(o *record.Observation) { o.Response.Body = b } }
func logs(l record.LogEntry) mod    { return func(o *record.Observation) { o.Logs = append(o.Logs, l) } }
func replay(w record.WAFResult) mod { return func(o *record.Observation) { o.WAF = &w } }

// appCode marks an HTML refusal that application code (a theme or plugin) wrote.
func appCode() mod { return func(o *record.Observation) { o.Class.AppCode = true } }

func producer(l record.Layer) mod { return func(o *record.Observation) { o.Class.Producer = l } }

func hdr(k, v string) mod {
	return func(o *record.Observation) { o.Response.Header[k] = append(o.Response.Header[k], v) }
}

// wp marks an answer of WordPress's REST server, with an error code.
func wp(code string) mod {
	return func(o *record.Observation) {
		o.Class.Producer, o.Class.REST = record.LayerWordPress, true
		if code != "" {
			o.Class.WPError = &record.WPError{Code: code, Status: o.Response.Status}
		}
	}
}

// early marks a WordPress error written before the REST server ran (a
// plugin on init or rest_api_init): the JSON error, none of the REST headers.
func early(code string) mod {
	return func(o *record.Observation) {
		o.Class.Producer, o.Class.REST = record.LayerWordPress, false
		o.Class.WPError = &record.WPError{Code: code, Status: o.Response.Status}
	}
}

// wpBody marks a 2xx REST answer whose body is an error with status st,
// which the classifier marks a refusal.
func wpBody(code string, st int) mod {
	return func(o *record.Observation) {
		o.Class.Producer, o.Class.REST, o.Class.Refusal = record.LayerWordPress, true, true
		o.Class.WPError = &record.WPError{Code: code, Status: st}
	}
}

// sig adds a signature match as the classifier would.
func sig(kind record.SignatureKind, layer record.Layer, vendor string, m record.Mechanism) mod {
	return func(o *record.Observation) {
		o.Class.Matches = append(o.Class.Matches, record.Match{ID: "test-" + vendor, Vendor: vendor, Layer: layer, Kind: kind, Mechanism: m, Meaning: vendor + " said no"})
		if kind == record.KindRefusal {
			o.Class.Producer, o.Class.Vendor = layer, vendor
		}
	}
}

const (
	edge   = record.VantageEdge
	origin = record.VantageOrigin
)

// in is a run on a WordPress site: the discovery page answered as
// WordPress, then the given observations.
func in(obs ...record.Observation) Input {
	return raw(append([]record.Observation{ob("discover", edge, 200, wp(""))}, obs...)...)
}

// raw is a run of exactly these observations.
func raw(obs ...record.Observation) Input {
	return Input{Observations: obs, TargetURL: "https://blog.example/"}
}

func withOrigin(i Input) Input { i.HasOrigin = true; return i }

// agentSaw attaches a wp403 agent trace (internal/agent) agreeing with the
// observation's status.
func agentSaw(t record.AgentTrace) mod {
	return func(o *record.Observation) { t.Status = o.Status(); o.Agent = &t }
}

// basicSeen is the agent's account of Basic credentials that reached PHP.
func basicSeen(result, code string) record.AgentAuth {
	return record.AgentAuth{PHPSaw: []string{"HTTP_AUTHORIZATION", "PHP_AUTH_USER", "PHP_AUTH_PW"}, Scheme: "basic",
		AppPassword: record.AgentAppPassword{Result: result, Code: code}}
}
