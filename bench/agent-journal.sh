#!/usr/bin/env bash
# agent-journal.sh: per-request cost of the wp403 agent's refusal journal
# (issue 24, part 2), measured against the real lab: N REST requests at the
# nginx origin with the journal off and on, interleaved in rounds so drift
# hits both alike, for a request that succeeds (GET /wp/v2/posts, the path
# that must stay free) and one that is refused (GET /wp/v2/users/me,
# anonymous: 401, written to the journal). It reports the median and mean
# time per request (curl time_total) and the database queries per request
# (MariaDB's Questions counter; we hold the lab lock, so no one else talks to
# it), and the difference on - off.
#
# Usage: bench/agent-journal.sh [N]     (N requests per mode and path, default 300)
# Needs the lab (lab/up); takes the lab lock; puts the lab back as it was.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
state="$here/lab/.state"
if [ "${WP403_LAB_LOCK_HELD:-}" != 1 ]; then
	export WP403_LAB_LOCK_HELD=1
	exec flock -w 900 "$state/lock" "$0" "$@"
fi
n=${1:-300}
rounds=5
per=$(( (n + rounds - 1) / rounds ))
mu=/var/lib/wordpress/wp-content/mu-plugins
on="$mu/0-0-wp403-bench-journal-on.php"
sock="$state/run/mysql/mysqld.sock"
host=blog.wp403.test
origin=127.0.81.1
dir=$(mktemp -d "${TMPDIR:-/tmp}/wp403-journal-bench.XXXXXX")
cleanup() { rm -f "$on"; rm -rf "$dir"; }
trap cleanup EXIT

"$here/lab/scenario" healthy >/dev/null
questions() { mysql -S "$sock" -N -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}'; }
# run MODE PATH COUNT: COUNT requests, times appended to $dir/MODE-PATHKEY, queries added to $dir/MODE-PATHKEY.q
run() {
	local mode=$1 path=$2 count=$3 key
	key=$(echo "$path" | tr -c 'a-z0-9\n' '_')
	if [ "$mode" = on ]; then printf "<?php\ndefine('WP403_AGENT_JOURNAL', 200);\n" >"$on"; else rm -f "$on"; fi
	curl -s -o /dev/null --resolve "$host:443:$origin" --cacert "$state/tls/ca.pem" "https://$host$path" # warm the opcache
	local q0 q1
	q0=$(questions)
	for ((i = 0; i < count; i++)); do
		curl -s -o /dev/null -w '%{time_total}\n' --resolve "$host:443:$origin" --cacert "$state/tls/ca.pem" "https://$host$path"
	done >>"$dir/$mode-$key"
	q1=$(questions)
	echo $((q1 - q0 - 1)) >>"$dir/$mode-$key.q" # minus our own SHOW STATUS
}
for ((r = 0; r < rounds; r++)); do
	for path in /wp-json/wp/v2/posts /wp-json/wp/v2/users/me; do
		run off "$path" "$per"
		run on "$path" "$per"
	done
done
stats() { sort -n "$1" | awk '{a[NR]=$1; s+=$1} END {printf "%.2f %.2f\n", a[int((NR+1)/2)]*1000, s/NR*1000}'; }
printf "%-26s %-4s %10s %10s %12s\n" "request" "mode" "median ms" "mean ms" "queries/req"
for path in /wp-json/wp/v2/posts /wp-json/wp/v2/users/me; do
	key=$(echo "$path" | tr -c 'a-z0-9\n' '_')
	declare -A med mean qpr
	for mode in off on; do
		read -r med[$mode] mean[$mode] < <(stats "$dir/$mode-$key")
		total=$(wc -l <"$dir/$mode-$key")
		qpr[$mode]=$(awk -v t="$total" '{s+=$1} END {printf "%.2f", s/t}' "$dir/$mode-$key.q")
		printf "%-26s %-4s %10s %10s %12s\n" "GET ${path#/wp-json}" "$mode" "${med[$mode]}" "${mean[$mode]}" "${qpr[$mode]}"
	done
	awk -v a="${med[on]}" -v b="${med[off]}" -v c="${mean[on]}" -v d="${mean[off]}" -v e="${qpr[on]}" -v f="${qpr[off]}" -v p="GET ${path#/wp-json}" \
		'BEGIN {printf "%-26s %-4s %+10.2f %+10.2f %+12.2f\n", p, "diff", a-b, c-d, e-f}'
done
echo "($n requests per mode and path, $rounds interleaved rounds, nginx origin $origin, over TLS)"
# Remove the journal the "on" runs wrote.
mysql -S "$sock" -N -e "DELETE FROM wp403lab.wp_options WHERE option_name = 'wp403_agent_journal'" 2>/dev/null || true
