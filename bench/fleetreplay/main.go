// Command fleetreplay serves the real lab's captured answers (the healthy
// capture embedded in internal/demo) as many WordPress sites, one per
// loopback address, for bench/exporter-scale.sh. Each site gets its own
// host name in place of the lab's. It counts requests in flight per
// address and serves the highest count seen, per address and overall, on
// the control address's /stats. Load only: correctness comes from the lab.
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/diagnose"
)

const labHost = "blog.wp403.test"

type answer struct {
	status int
	header http.Header
	body   string
}

// site is one replayed site on one address.
type site struct {
	host     string
	base     string // http://host:port
	inFlight atomic.Int32
	maxSeen  atomic.Int32
}

type server struct {
	answers  map[string]answer
	requests atomic.Int64
	misses   atomic.Int64
	sites    []*site
}

// Addr is the loopback address of site i (0-based): 127.77.A.B.
func Addr(i int) string { return fmt.Sprintf("127.77.%d.%d", i/200, i%200+1) }

func main() {
	n := flag.Int("sites", 1000, "sites to serve")
	port := flag.Int("port", 8080, "port on every site address")
	control := flag.String("control", "127.0.0.1:9480", "address of /stats")
	flag.Parse()
	capt, err := demo.Load("healthy")
	if err != nil {
		log.Fatal(err)
	}
	s := &server{answers: answers(capt)}
	for i := range *n {
		host := fmt.Sprintf("site%04d.test", i+1)
		st := &site{host: host, base: fmt.Sprintf("http://%s:%d", host, *port)}
		s.sites = append(s.sites, st)
		ln, err := net.Listen("tcp", net.JoinHostPort(Addr(i), fmt.Sprint(*port)))
		if err != nil {
			log.Fatal(err)
		}
		go func() { log.Fatal(http.Serve(ln, s.handler(st))) }()
	}
	http.HandleFunc("/stats", s.stats)
	fmt.Fprintf(os.Stderr, "fleetreplay: %d sites on 127.77.x.y:%d, stats on %s\n", *n, *port, *control)
	log.Fatal(http.ListenAndServe(*control, nil))
}

// answers indexes the capture's edge answers by method, path and query
// and which credentials were sent.
func answers(c *diagnose.Capture) map[string]answer {
	out := map[string]answer{}
	for _, ex := range c.Exchanges {
		if ex.Vantage != "edge" || ex.Error != "" {
			continue
		}
		u, err := url.Parse(ex.URL)
		if err != nil {
			continue
		}
		parts := strings.Split(ex.Key, " | ")
		creds := ""
		if len(parts) > 2 {
			creds = parts[2]
		}
		body := ex.Body
		if ex.Base64 {
			b, _ := base64.StdEncoding.DecodeString(ex.Body)
			body = string(b)
		}
		h := http.Header{}
		for k, v := range ex.Header {
			h[http.CanonicalHeaderKey(k)] = v
		}
		h.Del("Content-Encoding")
		h.Del("Content-Length")
		out[ex.Method+" "+u.RequestURI()+" "+creds] = answer{ex.Status, h, body}
	}
	return out
}

func credsOf(r *http.Request) string {
	var c []string
	for _, h := range []string{"Authorization", "Cookie", "X-Wp-Nonce"} {
		if r.Header.Get(h) != "" {
			c = append(c, strings.ToLower(h))
		}
	}
	return strings.Join(c, "+")
}

func (s *server) handler(st *site) http.Handler {
	var mu sync.Mutex // keeps the max update simple
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := st.inFlight.Add(1)
		defer st.inFlight.Add(-1)
		mu.Lock()
		if cur > st.maxSeen.Load() {
			st.maxSeen.Store(cur)
		}
		mu.Unlock()
		s.requests.Add(1)
		a, ok := s.answers[r.Method+" "+r.URL.RequestURI()+" "+credsOf(r)]
		if !ok {
			a, ok = s.answers[r.Method+" "+r.URL.RequestURI()+" "]
		}
		if !ok {
			s.misses.Add(1)
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`)
			return
		}
		rw := strings.NewReplacer("https://"+labHost, st.base, `https:\/\/`+labHost, strings.ReplaceAll(st.base, "/", `\/`), labHost, st.host)
		for k, vs := range a.header {
			for _, v := range vs {
				w.Header().Add(k, rw.Replace(v))
			}
		}
		w.WriteHeader(a.status)
		fmt.Fprint(w, rw.Replace(a.body))
	})
}

func (s *server) stats(w http.ResponseWriter, _ *http.Request) {
	maxAll, over := int32(0), 0
	for _, st := range s.sites {
		m := st.maxSeen.Load()
		maxAll = max(maxAll, m)
		if m > 0 {
			over++
		}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"sites": len(s.sites), "sites_probed": over, "requests": s.requests.Load(),
		"unmatched": s.misses.Load(), "max_in_flight_per_site": maxAll})
}
