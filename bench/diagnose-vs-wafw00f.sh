#!/usr/bin/env bash
# bench/diagnose-vs-wafw00f.sh — one run, side by side, against the running lab:
#   * wp403's full default diagnosis (edge + origin, application password and
#     cookie login, the default editor/integration plan and its variants),
#   * Debian's `wafw00f -a` on the same site,
# and prints both wall times, their ratio, the number of wp403 probes, and
# wp403's critical path: the sum over dependent waves of the slowest probe.
# Targets: wp403 no slower than wafw00f; wp403 within 3x its critical path.
# Usage: bench/diagnose-vs-wafw00f.sh [SCENARIO]   (default: healthy; needs lab/up)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scenario="${1:-healthy}"
state="$root/lab/.state"
[ -s "$state/credentials.json" ] || { echo "the lab is not up: run lab/up" >&2; exit 2; }
command -v wafw00f >/dev/null || { echo "wafw00f missing: apt-get install wafw00f" >&2; exit 2; }
out="$root/bench/out"; mkdir -p "$out"
go build -o "$out/wp403" ./cmd/wp403
lab/scenario "$scenario" >/dev/null

cred() { python3 -c "import json,sys;print(json.load(open('$state/credentials.json'))$1)"; }
host=$(cred "['host']"); edge=$(cred "['edge']"); origin=$(cred "['origins']['nginx']"); ca=$(cred "['ca']")
login=$(cred "['users']['editor']['login']")
umask 077
cred "['users']['editor']['app_password']" >"$out/app"; cred "['users']['editor']['password']" >"$out/pw"

now() { date +%s.%N; }
t0=$(now)
"$out/wp403" diagnose "https://$host/" --resolve "$host:443:$edge" --origin "$origin" --cacert "$ca" \
  --user "$login" --app-password-file "$out/app" --password-file "$out/pw" --format json -o "$out/report.json" || true
t1=$(now)
# wafw00f has no --resolve: send it through the edge as its HTTP proxy (plain HTTP).
wafw00f -a "http://$host/" -p "http://$edge:80" >"$out/wafw00f.txt" 2>&1 || true
t2=$(now)
rm -f "$out/app" "$out/pw"

python3 - "$out/report.json" "$t0" "$t1" "$t2" <<'PY'
import json, sys, collections
rep = json.load(open(sys.argv[1]))
t0, t1, t2 = map(float, sys.argv[2:5])
wp, ww = t1 - t0, t2 - t1
waves = collections.OrderedDict()
for o in rep["observations"]:
    w = o.get("wave", "?")
    waves[w] = max(waves.get(w, 0.0), o["timing"]["total_ms"] / 1000)
crit = sum(waves.values())
print(f"wp403 diagnose   {wp:7.3f} s  {len(rep['observations'])} probes, {len(waves)} waves, {len(rep['findings'])} findings")
print(f"wafw00f -a       {ww:7.3f} s")
print(f"ratio wp403/wafw00f  {wp/ww:5.2f}   (target <= 1)")
print(f"critical path    {crit:7.3f} s  (sum of the slowest probe per wave)")
print(f"ratio wp403/critical path  {wp/crit:5.2f}   (target <= 3)")
for w, s in waves.items():
    print(f"  wave {w:<24} slowest {s*1000:8.1f} ms")
PY
echo "wafw00f said:"; grep -iE "is behind|no waf|generic" "$out/wafw00f.txt" | head -5 || true
