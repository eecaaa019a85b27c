#!/usr/bin/env bash
# logs-vs-goaccess.sh: lines per second of `wp403 logs` against GoAccess
# (Debian's goaccess) on the same generated access log, in one run.
#
# Usage: bench/logs-vs-goaccess.sh [SIZE_MB]   (default 1024 = 1 GB)
#
# The log (combined format, a WordPress site where about a third of the
# requests are REST calls and some are refused) is generated under
# $BENCH_DIR (default /tmp/wp403-bench), never in the repository, and
# removed at the end unless KEEP=1. Each tool reads the whole file once;
# the page cache is warmed first so both read from memory. Prints lines/s
# and peak RSS of each, and the ratio.
set -euo pipefail

size_mb=${1:-1024}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/wp403-bench}
mkdir -p "$dir"
log=$dir/access-${size_mb}m.log
bin=$dir/wp403

command -v goaccess >/dev/null || { echo "goaccess is not installed (apt-get install goaccess)" >&2; exit 1; }
cleanup() { [[ ${KEEP:-0} == 1 ]] || rm -f "$log" "$dir"/goaccess.* "$dir"/wp403.*; }
trap cleanup EXIT

(cd "$here" && go build -o "$bin" ./cmd/wp403)

if [[ ! -s $log ]]; then
	echo "generating ${size_mb} MB combined log in $log …" >&2
	# One awk pass writes a 64 MB block of distinct lines; the block is then
	# repeated up to the size wanted (generation stays a few seconds).
	awk -v n=300000 'BEGIN {
		split("/ /wp-content/themes/tt3/style.css /wp-json/wp/v2/posts/%d?_locale=user /wp-admin/admin-ajax.php?action=heartbeat /?rest_route=/wp/v2/users/%d /sample-page/ /wp-json/wp/v2/posts/%d/autosaves?_locale=user /wp-includes/js/jquery/jquery.min.js /wp-json/wp/v2/media /feed/", p, " ")
		srand(403)
		for (i = 0; i < n; i++) {
			k = i % 10 + 1; path = sprintf(p[k], i % 97)
			m = (k == 7 || k == 9) ? "POST" : "GET"
			st = (i % 11 == 2) ? 403 : ((i % 13 == 5) ? 401 : 200)
			printf "203.0.113.%d - - [26/Nov/2026:%02d:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d \"https://blog.example/wp-admin/post.php?post=%d&action=edit\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.%d Safari/537.36\"\n", i % 50, int(i/3600)%24, int(i/60)%60, i%60, m, path, st, 200 + int(rand()*40000), i%500, i%1000
		}
	}' >"$dir/block.log"
	block=$(stat -c %s "$dir/block.log")
	reps=$(( (size_mb * 1024 * 1024 + block - 1) / block ))
	set +o pipefail # head closes the pipe early on purpose
	for ((r = 0; r < reps; r++)); do cat "$dir/block.log"; done | head -c "$((size_mb * 1024 * 1024))" | sed '$d' >"$log"
	set -o pipefail
	rm -f "$dir/block.log"
fi

lines=$(wc -l <"$log")
cat "$log" >/dev/null # warm the page cache for both tools

# measure NAME CMD…: prints "seconds max_rss_kb" of one run.
measure() {
	local name=$1; shift
	/usr/bin/time -o "$dir/$name.time" -f '%e %M' "$@" >/dev/null 2>"$dir/$name.err" || true
	tail -n 1 "$dir/$name.time"
}

echo "file: $log ($(du -m "$log" | cut -f1) MB, $lines lines)"
w=$(measure wp403 "$bin" logs -f json "$log")
g=$(measure goaccess goaccess "$log" --log-format=COMBINED --no-global-config --no-progress -o "$dir/goaccess.csv")
read -r ws wm <<<"$w"
read -r gs gm <<<"$g"
[[ -n ${ws:-} && -n ${gs:-} ]] || { echo "a run failed:" >&2; cat "$dir"/*.err >&2; exit 1; }
awk -v l="$lines" -v ws="$ws" -v gs="$gs" -v wm="$wm" -v gm="$gm" 'BEGIN {
	wr = l / (ws > 0 ? ws : 0.001); gr = l / (gs > 0 ? gs : 0.001)
	printf "wp403 logs: %8.2f s  %12.0f lines/s  peak RSS %6.1f MB\n", ws, wr, wm / 1024
	printf "goaccess:   %8.2f s  %12.0f lines/s  peak RSS %6.1f MB\n", gs, gr, gm / 1024
	printf "ratio: wp403 is %.2fx goaccess (target >= 3x)\n", wr / gr
}'
