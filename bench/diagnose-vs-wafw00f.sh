#!/usr/bin/env bash
# bench/diagnose-vs-wafw00f.sh — one run, side by side, against the running lab:
#   * wp403's full default diagnosis (edge + origin, application password and
#     cookie login, the default editor/integration plan and its variants),
#   * Debian's `wafw00f -a` on the same site,
# and prints both wall times, their ratio, the number of wp403 probes, and
# wp403's critical path: the longest chain of dependent waves, each costing its
# slowest probe.
# Targets: wp403 at most 0.7x wafw00f (issue 14); wp403 within 3x its critical path.
# Usage: [ROUNDS=5] bench/diagnose-vs-wafw00f.sh [SCENARIO]   (default: healthy; needs lab/up)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scenario="${1:-healthy}"
state="$root/lab/.state"
[ -s "$state/credentials.json" ] || { echo "the lab is not up: run lab/up" >&2; exit 2; }
command -v wafw00f >/dev/null || { echo "wafw00f missing: apt-get install wafw00f" >&2; exit 2; }
# Hold the lab lock for the whole run, so no test switches scenario under us.
if [ "${WP403_LAB_LOCK_HELD:-}" != 1 ]; then
  export WP403_LAB_LOCK_HELD=1
  exec flock -w 900 "$state/lock" "$0" "$@"
fi
out="$root/bench/out"; mkdir -p "$out"
go build -o "$out/wp403" ./cmd/wp403
lab/scenario "$scenario" >/dev/null

cred() { python3 -c "import json,sys;print(json.load(open('$state/credentials.json'))$1)"; }
host=$(cred "['host']"); edge=$(cred "['edge']"); origin=$(cred "['origins']['nginx']"); ca=$(cred "['ca']")
login=$(cred "['users']['editor']['login']")
umask 077
cred "['users']['editor']['app_password']" >"$out/app"; cred "['users']['editor']['password']" >"$out/pw"

now() { date +%s.%N; }
# ROUNDS runs alternate the two tools (other work on the machine shifts both
# alike); the figures below are the medians, the critical path is the last run's.
rounds="${ROUNDS:-5}"
: >"$out/times"
for _ in $(seq "$rounds"); do
  t0=$(now)
  "$out/wp403" diagnose "https://$host/" --resolve "$host:443:$edge" --origin "$origin" --cacert "$ca" \
    --user "$login" --app-password-file "$out/app" --password-file "$out/pw" --format json -o "$out/report.json" || true
  t1=$(now)
  # wafw00f has no --resolve: send it through the edge as its HTTP proxy (plain HTTP).
  wafw00f -a "http://$host/" -p "http://$edge:80" >"$out/wafw00f.txt" 2>&1 || true
  t2=$(now)
  echo "$t0 $t1 $t2" >>"$out/times"
done
rm -f "$out/app" "$out/pw"

python3 - "$out/report.json" "$out/times" <<'PY'
import json, sys, collections, statistics
rep = json.load(open(sys.argv[1]))
runs = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
for i, (t0, t1, t2) in enumerate(runs, 1):
    print(f"run {i}: wp403 {t1 - t0:6.3f} s, wafw00f {t2 - t1:6.3f} s, ratio {(t1 - t0) / (t2 - t1):5.2f}")
wp = statistics.median(t1 - t0 for t0, t1, t2 in runs)
ww = statistics.median(t2 - t1 for t0, t1, t2 in runs)
print(f"median ratio of the runs  {statistics.median((t1 - t0) / (t2 - t1) for t0, t1, t2 in runs):5.2f}")
from datetime import datetime
def ts(o):
    t = o["time"].rstrip("Z")
    t = t[:26] if "." in t else t
    return datetime.fromisoformat(t).timestamp()
waves = collections.OrderedDict()   # wave -> [start, end, slowest]
for o in rep["observations"]:
    w = o.get("wave", "?")
    start, dur = ts(o), o["timing"]["total_ms"] / 1000
    cur = waves.setdefault(w, [start, start + dur, 0.0])
    cur[0], cur[1], cur[2] = min(cur[0], start), max(cur[1], start + dur), max(cur[2], dur)
# What each wave waits for (diagnose/run.go, first.go): the nonce needs the
# login; the plan needs the index, the login and nonce, and the page only
# when the index did not confirm the root (then it started after the page);
# origin repeats and variants need the plan and the lockout check.
def deps(w):   # the waves w waits for
    k = w.split(" (")[0]
    first_plan = lambda x: x == "plan" or x == "plan (cookie + nonce)"
    if k == "nonce":
        want = lambda x: x.startswith("login")
    elif w == "index (advertised root)":
        want = lambda x: x in ("discover", "index")
    elif k == "lockout check":
        want = first_plan
    elif w == "plan (origin)" or k in ("variants", "cleanup"):
        want = lambda x: first_plan(x) or x == "lockout check"
    elif first_plan(w):
        after_page = "discover" in waves and waves[w][0] >= waves["discover"][1]
        want = lambda x: x.split(" (")[0] in ("index", "login", "nonce") or (after_page and x == "discover")
    else:
        want = lambda x: False
    return [x for x in waves if x != w and want(x)]
done = {}
def finish(w):   # the critical path up to the end of wave w
    if w not in done:
        done[w] = max((finish(x) for x in deps(w)), default=0.0) + waves[w][2]
    return done[w]
crit = max(finish(w) for w in waves)
print(f"wp403 diagnose   {wp:7.3f} s (median)  {len(rep['observations'])} probes in {len(waves)} waves, {len(rep['findings'])} findings")
print(f"wafw00f -a       {ww:7.3f} s (median)")
print(f"ratio wp403/wafw00f  {wp/ww:5.2f}   (target <= 0.7)")
print(f"critical path    {crit:7.3f} s  (the longest chain of dependent waves, each costing its slowest probe)")
print(f"ratio wp403/critical path  {wp/crit:5.2f}   (target <= 3)")
for w, (a, b, slow) in waves.items():
    print(f"  wave {w:<28} slowest {slow*1000:7.1f} ms, done {finish(w)*1000:7.1f} ms into the critical path")
PY
echo "wafw00f said:"; grep -iE "is behind|no waf|generic" "$out/wafw00f.txt" | head -5 || true
