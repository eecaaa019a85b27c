// Command gen writes the inputs of bench/bounded.sh and serves its hostile
// server; it never runs in CI. Inputs go where the script says (a temp
// directory), never into the repository.
//
//	go run ./bench/gen har SIZE_MB OUT.har          real editor entries, repeated
//	go run ./bench/gen hugestring SIZE_MB OUT.har.gz one entry whose body is one huge string
//	go run ./bench/gen log LINES OUT.log.gz          a busy combined access log
//	go run ./bench/gen bomb ADDR                     a WordPress-shaped server answering gzip bombs
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const fixture = "internal/har/testdata/chromium-waf-save.har.gz"

func main() {
	if len(os.Args) < 4 && !(len(os.Args) == 3 && os.Args[1] == "bomb") {
		fmt.Fprintln(os.Stderr, "usage: gen har|hugestring SIZE_MB OUT | gen log LINES OUT | gen bomb ADDR")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "har":
		err = writeFile(os.Args[3], false, func(w io.Writer) error { return har(w, mb(os.Args[2])) })
	case "hugestring":
		err = writeFile(os.Args[3], true, func(w io.Writer) error { return hugeString(w, mb(os.Args[2])) })
	case "log":
		n, _ := strconv.Atoi(os.Args[2])
		err = writeFile(os.Args[3], true, func(w io.Writer) error { return accessLog(w, n) })
	case "bomb":
		err = bomb(os.Args[2])
	default:
		err = fmt.Errorf("unknown input %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func mb(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n << 20
}

func writeFile(path string, gz bool, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
		w = zw
	}
	if err := fill(w); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// entries returns the recorded editor session's entries, each split
// around its startedDateTime so copies can be shifted in time.
func entries() ([][2][]byte, error) {
	f, err := os.Open(fixture)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Log struct{ Entries []map[string]any } `json:"log"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		return nil, err
	}
	var out [][2][]byte
	for _, e := range doc.Log.Entries {
		e["startedDateTime"] = "@@TIME@@"
		b, _ := json.Marshal(e)
		pre, post, _ := strings.Cut(string(b), "@@TIME@@")
		out = append(out, [2][]byte{[]byte(pre), []byte(post)})
	}
	return out, nil
}

var start = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)

// har writes about size bytes of HAR: the recorded session, repeated
// every ten minutes of a working day.
func har(w io.Writer, size int64) error {
	es, err := entries()
	if err != nil {
		return err
	}
	cw := &counter{w: w}
	fmt.Fprint(cw, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	for k := 0; cw.n < size; k++ {
		for i, e := range es {
			if k+i > 0 {
				cw.Write([]byte(","))
			}
			t := start.Add(time.Duration(k)*10*time.Minute + time.Duration(i)*100*time.Millisecond)
			cw.Write(e[0])
			cw.Write([]byte(t.Format("2006-01-02T15:04:05.000Z")))
			cw.Write(e[1])
		}
	}
	_, err = fmt.Fprint(cw, "]}}\n")
	return err
}

// hugeString writes one REST entry whose response body is one string of
// size bytes, then the recorded editor session.
func hugeString(w io.Writer, size int64) error {
	es, err := entries()
	if err != nil {
		return err
	}
	fmt.Fprint(w, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	fmt.Fprint(w, `{"startedDateTime":"2026-11-26T16:59:59.000Z","time":1,"request":{"method":"GET","url":"https://blog.wp403.test/wp-json/wp/v2/posts","headers":[]},"response":{"status":200,"headers":[],"content":{"size":1,"mimeType":"application/json","text":"`)
	chunk := []byte(strings.Repeat("A", 1<<20))
	for n := int64(0); n < size; n += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	fmt.Fprint(w, `"}}}`)
	for i, e := range es {
		fmt.Fprint(w, ",")
		w.Write(e[0])
		w.Write([]byte(start.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000Z")))
		w.Write(e[1])
	}
	_, err = fmt.Fprint(w, "]}}\n")
	return err
}

var paths = []string{
	"/", "/wp-content/themes/twentytwentythree/style.css", "/wp-json/wp/v2/posts/%d?_locale=user&api_key=k%dSECRET",
	"/wp-admin/admin-ajax.php?action=heartbeat", "/?rest_route=/wp/v2/users/%d", "/sample-page/",
	"/wp-json/wp/v2/posts/5?_locale=user&jwt=eyJ%d.x", "/wp-includes/js/jquery/jquery.min.js",
}

// accessLog writes n combined-format lines from 250 visitors around the
// HAR's working day, a third of them REST calls, some on the HAR's routes.
func accessLog(w io.Writer, n int) error {
	var b []byte
	for i := range n {
		p := paths[i%len(paths)]
		if strings.Contains(p, "%d") {
			p = fmt.Sprintf(p, i%97, i)
			p = strings.ReplaceAll(p, "%!(EXTRA int="+strconv.Itoa(i)+")", "")
		}
		status := 200
		if i%11 == 2 {
			status = 403
		}
		t := start.Add(time.Duration(i) * 9 * time.Millisecond)
		b = fmt.Appendf(b[:0], "198.51.100.%d - - [%s] \"GET %s HTTP/1.1\" %d %d \"https://blog.wp403.test/wp-admin/post.php?post=5&action=edit\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36\"\n",
			i%250, t.Format("02/Jan/2006:15:04:05 -0700"), p, status, 512+i%4096)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// bomb serves a WordPress-shaped site whose every answer is a gzip bomb:
// 1 GiB of zeros in about 1 MiB, as Content-Encoding: gzip.
func bomb(addr string) error {
	var z []byte
	{
		var buf strings.Builder
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zero := make([]byte, 1<<20)
		for range 1024 {
			zw.Write(zero)
		}
		zw.Close()
		z = []byte(buf.String())
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr())
	return http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Link", `<http://`+r.Host+`/wp-json/>; rel="https://api.w.org/"`)
		w.WriteHeader(http.StatusForbidden)
		w.Write(z)
	}))
}
