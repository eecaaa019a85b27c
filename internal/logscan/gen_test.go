package logscan

import (
	"fmt"
	"io"
	"runtime"
)

// synthLog generates an access log of n lines on the fly, never holding
// more than one line: the shape of a busy WordPress site, where a third
// of the requests are REST calls and some of those are refused.
type synthLog struct {
	n, i  int
	buf   []byte
	onEOF func()
	every int         // call tick every this many bytes read
	tick  func(int64) // with the bytes read so far
	read  int64
}

var synthPaths = []string{
	"/", "/wp-content/themes/twentytwentythree/style.css", "/wp-json/wp/v2/posts/%d?_locale=user",
	"/wp-admin/admin-ajax.php?action=heartbeat", "/?rest_route=/wp/v2/users/%d", "/sample-page/",
	"/wp-json/wp/v2/posts/%d/autosaves?_locale=user", "/wp-includes/js/jquery/jquery.min.js",
}

func (s *synthLog) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.i < s.n {
		s.buf = s.appendLine(s.buf, s.i)
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	s.read += int64(n)
	if s.tick != nil && s.read/int64(s.every) != (s.read-int64(n))/int64(s.every) {
		s.tick(s.read)
	}
	return n, nil
}

func (s *synthLog) appendLine(b []byte, i int) []byte {
	path := synthPaths[i%len(synthPaths)]
	if i%len(synthPaths) == 2 || i%len(synthPaths) == 4 || i%len(synthPaths) == 6 {
		path = fmt.Sprintf(path, i%97)
	}
	status := 200
	if i%11 == 2 {
		status = 403
	}
	method := "GET"
	if i%len(synthPaths) == 6 {
		method = "POST"
	}
	return fmt.Appendf(b, "203.0.113.%d - - [26/Nov/2026:%02d:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d \"https://blog.example/wp-admin/post.php?post=1&action=edit\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36\"\n",
		i%7, (i/3600)%24, (i/60)%60, i%60, method, path, status, 512+i%4096)
}

// peakHeap returns a tick function that records the largest live heap.
func peakHeap(peak *uint64) func(int64) {
	return func(int64) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		*peak = max(*peak, ms.HeapAlloc)
	}
}
