#!/usr/bin/env bash
# bench/exporter-scale.sh — a hosting company's fleet: 10,000 WordPress sites
# watched by Prometheus through wp403 exporters, on this machine:
#   * bench/fleetreplay serves the real lab's captured healthy answers as SITES
#     sites on SITES loopback addresses (127.77.x.y), counting requests in
#     flight per site;
#   * a burst: `wp403 check --targets` runs every site once (default plan,
#     --parallel 8): the wall time is how long SITES probes take back to back;
#   * Debian's prometheus scrapes /probe?target=NAME for every site at INTERVAL
#     (default 300 s, the real 5-minute interval) through one exporter for
#     ROUNDS intervals (default 3), then through two exporter replicas sharded
#     by hashmod (each holding half) for REPLICA_ROUNDS intervals (default 2),
#     while each exporter's RSS is sampled every 5 s.
# Prints per phase: targets scraped successfully per interval, probe duration
# (mean, max), probes in flight, exporter CPU per probe (process CPU seconds
# over probes run), RSS (min, max, first and last third), the highest number
# of requests in flight on one site, and the limit.
# Goals: every site scraped in every interval, RSS flat and < 300 MB,
# per-site concurrency <= --concurrency x --per-host, the burst < 2 minutes.
# Usage: bench/exporter-scale.sh [SITES] (needs prometheus: apt-get install prometheus)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-10000}"; interval="${INTERVAL:-300}"; rounds="${ROUNDS:-3}"; rrounds="${REPLICA_ROUNDS:-2}"; conc=4; perhost=1
command -v prometheus >/dev/null || { echo "prometheus missing: apt-get install prometheus" >&2; exit 2; }
out="$root/bench/out/scale"; rm -rf "$out"; mkdir -p "$out"
go build -o "$out/wp403" ./cmd/wp403
go build -o "$out/fleetreplay" ./bench/fleetreplay
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

"$out/fleetreplay" -sites "$n" -control 127.0.0.1:19480 2>"$out/replay.log" & pids+=($!)
python3 - "$n" "$out" <<'PY'
import sys, json
n, out = int(sys.argv[1]), sys.argv[2]
lines, names = ["sites:"], []
for i in range(n):
    a = f"127.77.{i//200}.{i%200+1}"; h = f"site{i+1:05d}.test"; names.append(h)
    lines.append(f"  - name: {h}\n    url: http://{h}:8080/\n    resolve: ['{h}:8080:{a}']\n    identities:\n"
                 f"      editor: {{user: lab-editor, app_password: {{env: BENCH_APP}}}}\n"
                 f"      browser: {{user: lab-editor, password: {{env: BENCH_PW}}}}")
open(f"{out}/sites.yaml", "w").write("\n".join(lines) + "\n")
json.dump([{"targets": names}], open(f"{out}/targets.json", "w"))
PY
export BENCH_APP="abcd efgh ijkl mnop qrst uvwx" BENCH_PW="bench-password"
sleep 2
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

echo "== burst: wp403 check --targets ($n sites, --parallel 8)"
t0=$(date +%s.%N); c0=$(awk '{print $14+$15+$16+$17}' /proc/self/stat)
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB max RSS" -o "$out/check.time" \
  "$out/wp403" check --targets "$out/sites.yaml" --parallel 8 --per-host "$perhost" --concurrency "$conc" --no-waf-replay \
  -o "$out/fleet.jsonl" 2>"$out/check.log" || true
t1=$(date +%s.%N)
python3 - "$out/fleet.jsonl" "$t0" "$t1" "$(cat "$out/check.time")" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
wall = float(sys.argv[3]) - float(sys.argv[2])
ok = sum(1 for r in rows if r["pass"])
t = sys.argv[4].split()
cpu = float(t[3]) + float(t[6])
print(f"burst: {len(rows)} sites in {wall:.1f} s ({wall/len(rows)*1000:.1f} ms per site at 8 in parallel), {ok} pass; "
      f"wp403 CPU {cpu:.1f} s = {cpu/len(rows)*1000:.1f} ms per site; {sys.argv[4]}")
PY

q() { curl -s "http://127.0.0.1:19490/api/v1/query" --data-urlencode "query=$1" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; v = r[0]["value"][1] if r else "none"; print(v if v == "none" else f"{float(v):.4g}")'; }

# phase NAME REPLICAS ROUNDS: prometheus scrapes every site through REPLICAS exporters.
phase() {
  local name="$1" reps="$2" rds="$3" ports=() exps=() jobs="" i
  for ((i = 0; i < reps; i++)); do
    ports+=($((19403 + i)))
    "$out/wp403" exporter --config "$out/sites.yaml" --listen "127.0.0.1:${ports[$i]}" --per-host "$perhost" \
      --concurrency "$conc" --max-probes 8 --no-waf-replay 2>"$out/exporter-$name-$i.log" & exps+=($!); pids+=($!)
    jobs+="
  - job_name: wp403-shard-$i
    metrics_path: /probe
    file_sd_configs: [{files: ['$out/targets.json']}]
    relabel_configs:
      - {source_labels: [__address__], modulus: $reps, target_label: __tmp_shard, action: hashmod}
      - {source_labels: [__tmp_shard], regex: '$i', action: keep}
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: '127.0.0.1:${ports[$i]}'}"
  done
  local targets; targets=$(printf "'127.0.0.1:%s'," "${ports[@]}")
  cat >"$out/prometheus-$name.yml" <<YML
global: {scrape_interval: ${interval}s, scrape_timeout: $((interval * 5 / 6))s}
scrape_configs:$jobs
  - job_name: exporter
    scrape_interval: 5s
    static_configs: [{targets: [${targets%,}]}]
YML
  rm -rf "$out/tsdb"
  prometheus --config.file="$out/prometheus-$name.yml" --storage.tsdb.path="$out/tsdb" --web.listen-address=127.0.0.1:19490 \
    --log.level=warn 2>"$out/prometheus-$name.log" & local prom=$!; pids+=($prom)
  local end=$(( $(date +%s) + interval * rds + 15 ))
  for ((i = 0; i < reps; i++)); do : >"$out/rss-$name-$i"; done
  while [ "$(date +%s)" -lt "$end" ]; do
    for ((i = 0; i < reps; i++)); do awk '/VmRSS/ {print $2}' "/proc/${exps[$i]}/status" >>"$out/rss-$name-$i"; done
    sleep 5
  done
  local w="$((interval + 15))s" all="$(( interval * rds ))s"
  echo "== $name: $reps exporter(s), prometheus every ${interval}s, $rds intervals; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for ((r = rds - 1; r >= 0; r--)); do
    local off=""; [ "$r" -gt 0 ] && off=" offset $((r * interval))s"
    echo "interval ending $((r * interval)) s ago: targets scraped successfully $(q "count(count_over_time(wp403_probe_success[$w]$off))") of $n"
  done
  for ((i = 0; i < reps; i++)); do
    echo "replica $i: sites scraped in the last interval $(q "count(count_over_time(up{job=\"wp403-shard-$i\"}[$w]))"), failed scrapes over the run $(q "sum(count_over_time((up{job=\"wp403-shard-$i\"} == 0)[$all:5s]))")"
  done
  echo "targets passing (wp403_probe_success == 1): $(q 'count(wp403_probe_success == 1)')"
  echo "probe duration: mean $(q "avg(avg_over_time(wp403_probe_duration_seconds[$w]))") s, max $(q "max(max_over_time(wp403_probe_duration_seconds[$w]))") s"
  echo "probes in flight per exporter: mean $(q "avg(avg_over_time(wp403_exporter_probes_in_flight[$all]))"), max $(q "max(max_over_time(wp403_exporter_probes_in_flight[$all]))") (limit 8)"
  echo "exporter CPU per probe: $(q "1000 * sum(increase(process_cpu_seconds_total{job=\"exporter\"}[$all])) / sum(increase(wp403_exporter_probes_total[$all]))") ms (process CPU over probes run)"
  echo "exporter errors: $(q 'sum(wp403_exporter_probe_errors_total)')"
  for ((i = 0; i < reps; i++)); do
    python3 - "$out/rss-$name-$i" "$i" <<'PY'
import sys
v = [int(x) / 1024 for x in open(sys.argv[1]) if x.strip()]
third = max(1, len(v) // 3)
print(f"replica {sys.argv[2]} RSS MB: min {min(v):.0f}, max {max(v):.0f}, last {v[-1]:.0f}; mean of first third {sum(v[:third])/third:.0f}, of last third {sum(v[-third:])/third:.0f} ({len(v)} samples)")
PY
  done
  for ((i = 0; i < reps; i++)); do kill "${exps[$i]}"; done
  kill "$prom"; wait "$prom" 2>/dev/null || true
}

phase one 1 "$rounds"
[ "$rrounds" -gt 0 ] && phase replicas 2 "$rrounds"
stats=$(curl -s http://127.0.0.1:19480/stats)
echo "replay server (whole run): $stats"
echo "per-site concurrency limit: --concurrency $conc x --per-host $perhost = $((conc * perhost))"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
