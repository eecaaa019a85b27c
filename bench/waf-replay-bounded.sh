#!/usr/bin/env bash
# waf-replay-bounded.sh: peak RSS and wall time of `wp403 waf replay --raw` on
# the hostile requests of issue 23 item 16, each within 200 MB RSS:
#   - 20,000 multipart parts (about 1.4 MB),
#   - 24,000 cookies (a 229 KB Cookie header),
#   - 12 MB of nested XML,
#   - and two XML shapes beside it: 12 MB of flat elements, one 12 MB text node.
# Before the caps these took 1.7 GB, 1.9 GB and 1.0 GB. Then the Go benchmark of
# the same code path (internal/waf BenchmarkReplayHuge).
#
# Usage: bench/waf-replay-bounded.sh   (needs python3 and /usr/bin/time; not run in CI)
# Inputs are generated in a fresh directory under ${TMPDIR:-/tmp}, removed at the end unless KEEP=1.
set -euo pipefail

limit_kb=$((200 * 1024))
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/wp403-wafbound.XXXXXX")
cleanup() { [[ ${KEEP:-0} == 1 ]] && echo "inputs kept in $dir" >&2 || rm -rf "$dir"; }
trap cleanup EXIT
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

cd "$here"
go build -o "$dir/wp403" ./cmd/wp403
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def raw(name, head, body=""):
    with open(f"{d}/{name}.raw", "w") as f:
        f.write(head + (f"Content-Length: {len(body)}\r\n" if body else "") + "\r\n" + body)
b = "xBOUNDARYx"
parts = "".join(f'--{b}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nv{i}\r\n' for i in range(20000)) + f"--{b}--\r\n"
raw("parts-20000", f"POST /wp-json/wp/v2/media HTTP/1.1\r\nHost: blog.example\r\nContent-Type: multipart/form-data; boundary={b}\r\n", parts)
raw("cookies-24000", "GET /wp-json/ HTTP/1.1\r\nHost: blog.example\r\nCookie: " + "; ".join(f"c{i}=1" for i in range(24000)) + "\r\n")
xml = lambda body: '<?xml version="1.0"?>' + body
n = 12 * 1024 * 1024 // 13
raw("xml-nested-12MB", "POST /xmlrpc.php HTTP/1.1\r\nHost: blog.example\r\nContent-Type: text/xml\r\n", xml('<a b="1">' * n + "</a>" * n))
raw("xml-flat-12MB", "POST /xmlrpc.php HTTP/1.1\r\nHost: blog.example\r\nContent-Type: text/xml\r\n", xml("<r>" + '<a b="1">t</a>' * 880000 + "</r>"))
raw("xml-text-12MB", "POST /xmlrpc.php HTTP/1.1\r\nHost: blog.example\r\nContent-Type: text/xml\r\n", xml("<r><a>" + "x" * (12 * 1024 * 1024) + "</a></r>"))
PY

fail=0
printf '%-16s %10s %12s %9s  %s\n' input size "max RSS" wall "note"
for f in "$dir"/*.raw; do
	name=$(basename "$f" .raw)
	/usr/bin/time -f '%M %e' -o "$dir/time" "$dir/wp403" waf replay --raw "$f" -f json >"$dir/out" 2>"$dir/err" || true
	read -r rss wall <"$dir/time"
	note=$(grep -o 'exceeded the [a-zA-Z]* limit[s]*' "$dir/out" | head -1 || true)
	printf '%-16s %9sK %10sKB %8ss  %s\n' "$name" "$(($(stat -c %s "$f") / 1024))" "$rss" "$wall" "${note:-(within the caps)}"
	((rss <= limit_kb)) || { echo "  over 200 MB" >&2; fail=1; }
done
go test -run '^$' -bench BenchmarkReplayHuge -benchtime 1x ./internal/waf | grep -E '^Benchmark|ok'
exit $fail
