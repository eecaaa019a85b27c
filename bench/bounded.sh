#!/usr/bin/env bash
# bounded.sh: peak RSS and wall time of wp403 on huge and hostile inputs,
# in one run (issue 11, "Must hold": each within 200 MB RSS):
#   - a 1 GB HAR (the lab's recorded editor session, repeated),
#   - a 1 GB .har.gz holding one 1 GB string (about 1 MB on disk),
#   - `har --log` and `diagnose --log` with a 20-million-line access log (.gz),
#   - `diagnose --origin --write` against a loopback gzip-bomb server.
# Then the Go benchmarks of the same code paths (internal/har, logscan).
#
# Usage: bench/bounded.sh            (HAR_MB=1024 LOG_LINES=20000000 by default)
#        HAR_MB=100 LOG_LINES=1000000 bench/bounded.sh   (a quick run)
#
# Inputs are generated under a fresh directory in ${TMPDIR:-/tmp} (never in
# the repository) and removed at the end unless KEEP=1. Needs /usr/bin/time
# (Debian package "time") and about 2.5 GB of free disk. Not run in CI.
set -euo pipefail

har_mb=${HAR_MB:-1024}
lines=${LOG_LINES:-20000000}
limit_kb=$((200 * 1024))
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/wp403-bounded.XXXXXX")
bomb_pid=""
cleanup() {
	[[ -n $bomb_pid ]] && kill "$bomb_pid" 2>/dev/null || true
	[[ ${KEEP:-0} == 1 ]] && echo "inputs kept in $dir" >&2 || rm -rf "$dir"
}
trap cleanup EXIT

[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
free_kb=$(df -Pk "$dir" | awk 'NR==2 {print $4}')
if ((free_kb < 2600 * 1024)); then
	echo "not enough free disk in $dir: $((free_kb / 1024)) MB, want 2600 MB" >&2
	exit 1
fi

cd "$here"
go build -o "$dir/wp403" ./cmd/wp403
go build -o "$dir/gen" ./bench/gen

echo "generating inputs in $dir …" >&2
"$dir/gen" har "$har_mb" "$dir/big.har"
"$dir/gen" hugestring "$har_mb" "$dir/huge.har.gz"
"$dir/gen" log "$lines" "$dir/access.log.gz"
ls -l "$dir"/big.har "$dir"/huge.har.gz "$dir"/access.log.gz >&2

fail=0
printf '%-44s %10s %10s %6s %12s  %s\n' "case" "wall s" "max RSS MB" "exit" "output KB" "verdict"
# measure NAME CMD…: runs CMD under /usr/bin/time -v, prints wall time,
# peak RSS, exit code and the report size; exit codes 0, 3 and 130 are
# answers (no refusal, refusal, incomplete), anything else a failure.
measure() {
	local name=$1
	shift
	rm -f "$dir/out.json"
	set +e
	/usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/stdout.txt" 2>"$dir/stderr.txt"
	local rc=$?
	set -e
	local rss wall out verdict=ok
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	out=$(($(stat -c %s "$dir/out.json" 2>/dev/null || echo 0) / 1024))
	if ((rss > limit_kb)); then verdict="OVER 200 MB"; fail=1; fi
	case $rc in 0 | 3 | 130) ;; *) verdict="exit $rc: $(head -c 200 "$dir/stderr.txt")"; fail=1 ;; esac
	printf '%-44s %10.1f %10d %6d %12d  %s\n' "$name" "$wall" $((rss / 1024)) "$rc" "$out" "$verdict"
}

secrets=(env WP403_APP_PASSWORD="abcd efgh ijkl mnop qrst uvwx" WP403_PASSWORD=placeholder)
capture=internal/demo/testdata/captures/waf-post-content.json

measure "har ${har_mb} MB HAR" "$dir/wp403" har "$dir/big.har" -f json -o "$dir/out.json"
measure "har ${har_mb} MB string in .har.gz" "$dir/wp403" har "$dir/huge.har.gz" -f json -o "$dir/out.json"
measure "har --log (${lines} lines .gz)" "$dir/wp403" har internal/har/testdata/chromium-waf-save.har.gz \
	--log "$dir/access.log.gz" -f json -o "$dir/out.json"
measure "diagnose --log (${lines} lines .gz, replay)" "${secrets[@]}" "$dir/wp403" diagnose https://blog.wp403.test/ \
	--resolve blog.wp403.test:443:127.0.80.1 --origin 127.0.81.1 --request 'POST /wp/v2/posts' \
	--data @lab/bodies/editor-save.json --user lab-editor --write --replay "$capture" \
	--log "$dir/access.log.gz" -f json -o "$dir/out.json"

"$dir/gen" bomb 127.0.0.1:0 >"$dir/bomb.addr" &
bomb_pid=$!
for _ in $(seq 600); do [[ -s $dir/bomb.addr ]] && break; sleep 0.1; done # it compresses 1 GiB first
addr=$(head -1 "$dir/bomb.addr")
[[ -n $addr ]] || { echo "the gzip-bomb server did not start" >&2; exit 1; }
measure "diagnose gzip bomb (1 GiB per answer)" "$dir/wp403" diagnose "http://$addr/" --timeout 20s -f json -o "$dir/out.json"
measure "diagnose gzip bomb --origin --write" "${secrets[@]}" "$dir/wp403" diagnose "http://$addr/" --origin "$addr" \
	--user editor --write --timeout 20s -f json -o "$dir/out.json"

echo
echo "Go benchmarks (same code paths, generated inputs):"
go test -run '^$' -bench 'BenchmarkReadHAR|BenchmarkHugeString' -benchtime 3x ./internal/har | grep -E '^Benchmark'
go test -run '^$' -bench 'BenchmarkReadMatching' -benchtime 3x ./internal/logscan | grep -E '^Benchmark'
exit $fail
