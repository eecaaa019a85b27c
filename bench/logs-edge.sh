#!/usr/bin/env bash
# logs-edge.sh: `wp403 logs` on a 1 GB JSON-lines edge log (Cloudflare
# Logpush http_requests, the busiest JSON edge log), issue 24's must-hold:
# flat memory (< 200 MB RSS) and >= 1 M lines/s per core.
#
# Usage: bench/logs-edge.sh [SIZE_MB]   (default 1024 = 1 GB)
#
# The log (a WordPress site behind Cloudflare: three requests in eight are
# REST calls, one in eleven is blocked by a managed WAF rule) is generated
# in a fresh temporary directory, never in the repository, and removed at
# the end unless KEEP=1. wp403 runs pinned to one core (taskset -c 0), the
# page cache warmed first. Prints wall-clock lines/s and lines per CPU
# second (user + system: on a shared machine the wall clock also counts
# the time other processes held the core), and the peak RSS.
set -euo pipefail

size_mb=${1:-1024}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/wp403-edge.XXXXXX")
log=$dir/http_requests.ndjson
bin=$dir/wp403
cleanup() { [[ ${KEEP:-0} == 1 ]] && echo "kept $dir" >&2 || rm -rf "$dir"; }
trap cleanup EXIT
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

(cd "$here" && go build -o "$bin" ./cmd/wp403)

echo "generating ${size_mb} MB of Logpush http_requests in $log …" >&2
awk -v n=200000 'BEGIN {
	split("/ /wp-content/themes/tt3/style.css /wp-json/wp/v2/posts/%d?_locale=user /wp-admin/admin-ajax.php?action=heartbeat /?rest_route=/wp/v2/users/%d /sample-page/ /wp-json/wp/v2/posts/%d/autosaves?_locale=user /wp-includes/js/jquery/jquery.min.js", p, " ")
	for (i = 0; i < n; i++) {
		k = i % 8 + 1; path = sprintf(p[k], i % 97); m = (k == 7) ? "POST" : "GET"
		st = 200; os = 200; sec = "\"SecurityActions\":[],\"SecurityRuleIDs\":[],\"SecuritySources\":[]"
		if (i % 11 == 2) { st = 403; os = 0; sec = "\"SecurityAction\":\"block\",\"SecurityActions\":[\"block\"],\"SecurityRuleID\":\"6179ae15870a4bb7b2d480d4843b323c\",\"SecurityRuleIDs\":[\"6179ae15870a4bb7b2d480d4843b323c\"],\"SecuritySources\":[\"firewallManaged\"],\"SecurityRuleDescription\":\"SQLi - Comment\"" }
		printf "{\"CacheCacheStatus\":\"dynamic\",\"ClientIP\":\"203.0.113.%d\",\"ClientRequestHost\":\"blog.example\",\"ClientRequestMethod\":\"%s\",\"ClientRequestURI\":\"%s\",\"ClientRequestUserAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.%d Safari/537.36\",\"ClientRequestReferer\":\"https://blog.example/wp-admin/post.php?post=%d&action=edit\",\"EdgeEndTimestamp\":\"2026-12-07T%02d:%02d:%02dZ\",\"EdgeResponseBytes\":%d,\"EdgeResponseStatus\":%d,\"EdgeStartTimestamp\":\"2026-12-07T%02d:%02d:%02dZ\",\"OriginResponseStatus\":%d,\"RayID\":\"8f1e2d3c%08x\",%s,\"ZoneName\":\"blog.example\"}\n", i % 50, m, path, i % 1000, i % 500, int(i/3600)%24, int(i/60)%60, i%60, 512 + i%4096, st, int(i/3600)%24, int(i/60)%60, i%60, os, i, sec
	}
}' >"$dir/block"
block=$(stat -c %s "$dir/block")
reps=$(( (size_mb * 1024 * 1024 + block - 1) / block ))
set +o pipefail # head closes the pipe early on purpose
for ((r = 0; r < reps; r++)); do cat "$dir/block"; done | head -c "$((size_mb * 1024 * 1024))" | sed '$d' >"$log"
set -o pipefail
rm -f "$dir/block"
lines=$(wc -l <"$log")
cat "$log" >/dev/null # warm the page cache

/usr/bin/time -o "$dir/time" -f '%e %U %S %M' taskset -c 0 "$bin" logs --format json -o "$dir/out.json" "$log" 2>"$dir/err" || true
read -r wall user sys rss < <(tail -n 1 "$dir/time")
grep -q '"format": *"cloudflare-http-requests"' "$dir/out.json" || { echo "wp403 did not read the log as Cloudflare http_requests:" >&2; cat "$dir/err" >&2; exit 1; }
refused=$(grep -o '"refused": *[0-9]*' "$dir/out.json" | head -1 | grep -o '[0-9]*$')
echo "file: $(du -m "$log" | cut -f1) MB, $lines lines; wp403 found $refused refused REST requests"
awk -v l="$lines" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" 'BEGIN {
	printf "wall %.2f s, %.0f lines/s; CPU %.2f s (user %.2f + sys %.2f), %.0f lines per CPU second; peak RSS %.1f MB\n", w, l / w, u + s, u, s, l / (u + s), m / 1024
	printf "targets: >= 1000000 lines per CPU second: %s; RSS < 200 MB: %s\n", (l / (u + s) >= 1e6 ? "met" : "NOT met"), (m < 200 * 1024 ? "met" : "NOT met")
}'
