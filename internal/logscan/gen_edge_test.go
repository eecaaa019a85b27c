package logscan

import (
	"fmt"
	"io"
)

// synthEdge generates a Cloudflare Logpush http_requests log of n lines
// on the fly (the busiest JSON-lines edge log there is), with the shape of
// synthLog: three REST requests in eight, one in eleven refused by a
// managed WAF rule. Lines are ~600 bytes, as Logpush's default field set
// writes them.
type synthEdge struct {
	n, i int
	buf  []byte
}

func (s *synthEdge) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.i < s.n {
		s.buf = s.appendLine(s.buf, s.i)
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	return n, nil
}

func (s *synthEdge) appendLine(b []byte, i int) []byte {
	path := synthPaths[i%len(synthPaths)]
	if k := i % len(synthPaths); k == 2 || k == 4 || k == 6 {
		path = fmt.Sprintf(path, i%97)
	}
	status, origin, sec := 200, 200, `"SecurityActions":[],"SecurityRuleIDs":[],"SecuritySources":[]`
	if i%11 == 2 {
		status, origin = 403, 0
		sec = `"SecurityAction":"block","SecurityActions":["block"],"SecurityRuleID":"6179ae15870a4bb7b2d480d4843b323c","SecurityRuleIDs":["6179ae15870a4bb7b2d480d4843b323c"],"SecuritySources":["firewallManaged"],"SecurityRuleDescription":"SQLi - Comment"`
	}
	method := "GET"
	if i%len(synthPaths) == 6 {
		method = "POST"
	}
	return fmt.Appendf(b, `{"CacheCacheStatus":"dynamic","ClientIP":"203.0.113.%d","ClientRequestHost":"blog.example","ClientRequestMethod":"%s","ClientRequestURI":"%s","ClientRequestUserAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36","ClientRequestReferer":"https://blog.example/wp-admin/post.php?post=1&action=edit","EdgeEndTimestamp":"2026-12-07T10:%02d:%02dZ","EdgeResponseBytes":%d,"EdgeResponseStatus":%d,"EdgeStartTimestamp":"2026-12-07T10:%02d:%02dZ","OriginResponseStatus":%d,"RayID":"8f1e2d3c%08x",%s,"ZoneName":"blog.example"}`+"\n",
		i%7, method, path, (i/60)%60, i%60, 512+i%4096, status, (i/60)%60, i%60, origin, i, sec)
}
