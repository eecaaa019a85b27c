#!/usr/bin/env bash
# bench/exporter-scale.sh — 1,000 WordPress sites watched by Prometheus through
# one wp403 exporter, on this machine:
#   * bench/fleetreplay serves the real lab's captured healthy answers as 1,000
#     sites on 1,000 loopback addresses (127.77.x.y), counting requests in
#     flight per site;
#   * a burst: `wp403 check --targets` runs all 1,000 sites once (default plan,
#     --parallel 8): the wall time is how long 1,000 probes take back to back;
#   * Debian's prometheus scrapes /probe?target=NAME for every site through the
#     exporter at INTERVAL (default 60s: the 5-minute interval compressed 5x) for
#     ROUNDS intervals, while the exporter's RSS is sampled every 5 s.
# Prints: burst wall time, targets scraped successfully per interval, probe
# duration (mean, max), probes in flight on average, exporter RSS (min, max,
# last), the highest number of requests in flight on one site, and the limit.
# Goals: all probes inside the interval, RSS flat and < 300 MB, per-site
# concurrency <= --concurrency x --per-host.
# Usage: bench/exporter-scale.sh [SITES] (needs prometheus: apt-get install prometheus)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-1000}"; interval="${INTERVAL:-60}"; rounds="${ROUNDS:-3}"; conc=4; perhost=1
command -v prometheus >/dev/null || { echo "prometheus missing: apt-get install prometheus" >&2; exit 2; }
out="$root/bench/out/scale"; rm -rf "$out"; mkdir -p "$out"
go build -o "$out/wp403" ./cmd/wp403
go build -o "$out/fleetreplay" ./bench/fleetreplay
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$out/fleetreplay" -sites "$n" -control 127.0.0.1:19480 2>"$out/replay.log" & pids+=($!)
python3 - "$n" "$out" <<'PY'
import sys, json
n, out = int(sys.argv[1]), sys.argv[2]
lines, names = ["sites:"], []
for i in range(n):
    a = f"127.77.{i//200}.{i%200+1}"; h = f"site{i+1:04d}.test"; names.append(h)
    lines.append(f"  - name: {h}\n    url: http://{h}:8080/\n    resolve: ['{h}:8080:{a}']\n    identities:\n"
                 f"      editor: {{user: lab-editor, app_password: {{env: BENCH_APP}}}}\n"
                 f"      browser: {{user: lab-editor, password: {{env: BENCH_PW}}}}")
open(f"{out}/sites.yaml", "w").write("\n".join(lines) + "\n")
json.dump([{"targets": names}], open(f"{out}/targets.json", "w"))
PY
export BENCH_APP="abcd efgh ijkl mnop qrst uvwx" BENCH_PW="bench-password"
sleep 1

echo "== burst: wp403 check --targets ($n sites, --parallel 8)"
t0=$(date +%s.%N)
"$out/wp403" check --targets "$out/sites.yaml" --parallel 8 --per-host "$perhost" --concurrency "$conc" --no-waf-replay \
  -o "$out/fleet.jsonl" 2>"$out/check.log" || true
t1=$(date +%s.%N)
python3 - "$out/fleet.jsonl" "$t0" "$t1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
wall = float(sys.argv[3]) - float(sys.argv[2])
ok = sum(1 for r in rows if r["pass"])
print(f"burst: {len(rows)} sites in {wall:.1f} s ({wall/len(rows)*1000:.0f} ms per site at 8 in parallel), {ok} pass")
PY

echo "== prometheus every ${interval}s through the exporter, $rounds intervals"
"$out/wp403" exporter --config "$out/sites.yaml" --listen 127.0.0.1:19403 --per-host "$perhost" --concurrency "$conc" \
  --max-probes 8 --no-waf-replay 2>"$out/exporter.log" & exp=$!; pids+=($exp)
cat >"$out/prometheus.yml" <<YML
global: {scrape_interval: ${interval}s, scrape_timeout: $((interval * 5 / 6))s}
scrape_configs:
  - job_name: wp403
    metrics_path: /probe
    file_sd_configs: [{files: ['$out/targets.json']}]
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: '127.0.0.1:19403'}
  - job_name: exporter
    scrape_interval: 5s
    static_configs: [{targets: ['127.0.0.1:19403']}]
YML
prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/tsdb" --web.listen-address=127.0.0.1:19490 \
  --log.level=warn 2>"$out/prometheus.log" & pids+=($!)
end=$(( $(date +%s) + interval * rounds + 10 ))
: >"$out/rss"
while [ "$(date +%s)" -lt "$end" ]; do
  awk '/VmRSS/ {print $2}' "/proc/$exp/status" >>"$out/rss"; sleep 5
done
q() { curl -s "http://127.0.0.1:19490/api/v1/query" --data-urlencode "query=$1" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; v = r[0]["value"][1] if r else "none"; print(v if v == "none" else f"{float(v):.4g}")'; }
w="${interval}s"
echo "targets scraped successfully in the last interval: $(q "count(count_over_time(wp403_probe_success[$w]))") of $n"
echo "targets passing (wp403_probe_success == 1): $(q 'count(wp403_probe_success == 1)')"
echo "scrapes in the last interval: $(q "sum(count_over_time(up{job=\"wp403\"}[$w]))"), failed: $(q "sum(count_over_time((up{job=\"wp403\"} == 0)[$w:5s]))")"
echo "probe duration: mean $(q "avg(avg_over_time(wp403_probe_duration_seconds[$w]))") s, max $(q "max(max_over_time(wp403_probe_duration_seconds[$w]))") s"
echo "probes in flight on average: $(q "avg_over_time(wp403_exporter_probes_in_flight[$w])"), max $(q "max_over_time(wp403_exporter_probes_in_flight[$w])") (limit 8)"
echo "exporter errors: $(q 'sum(wp403_exporter_probe_errors_total)')"
python3 - "$out/rss" <<'PY'
import sys
v = [int(x) / 1024 for x in open(sys.argv[1]) if x.strip()]
third = max(1, len(v) // 3)
print(f"exporter RSS MB: min {min(v):.0f}, max {max(v):.0f}, last {v[-1]:.0f}; mean of first third {sum(v[:third])/third:.0f}, of last third {sum(v[-third:])/third:.0f} ({len(v)} samples)")
PY
stats=$(curl -s http://127.0.0.1:19480/stats)
echo "replay server: $stats"
echo "per-site concurrency limit: --concurrency $conc x --per-host $perhost = $((conc * perhost))"
