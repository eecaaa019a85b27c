#!/usr/bin/env bash
# bench/wafw00f-vs-classify.sh: run Debian's wafw00f -a and `wp403 classify`
# on the same lab responses and print what each names, side by side.
#
# wafw00f fingerprints a site with its own requests (a normal GET, then
# XSS/SQLi/LFI probes). A small recording proxy on loopback sits between
# wafw00f and the lab (wafw00f -p), saves every response it relays in
# curl -i form, and `wp403 classify` then reads exactly those responses.
#
# Usage: bench/wafw00f-vs-classify.sh [SCENARIO...]
#   With no argument it runs a few scenarios (healthy edge-path-block
#   waf-scanner-ua edge-challenge) and restores the active scenario after.
#   "current" runs against the active scenario without switching.
# Environment: WP403 (a built binary; default: go build into a temp dir),
#   PATHS (request paths, default "/wp-json/wp/v2/users /wp-json/wp/v2/posts").
# Talks only to 127.0.0.0/8: the lab edge 127.0.80.1 and the scenario's origin
# (nginx 127.0.81.1 or Apache 127.0.82.1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB=$ROOT/lab
HOST=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["host"])' "$LAB/.state/credentials.json")
PATHS=${PATHS:-"/wp-json/wp/v2/users /wp-json/wp/v2/posts"}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(healthy edge-path-block waf-scanner-ua edge-challenge)

command -v wafw00f >/dev/null || { echo "wafw00f is not installed (apt-get install wafw00f)" >&2; exit 1; }
[ -f "$LAB/.state/active_scenario" ] || { echo "the lab is not up (lab/up)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/wafw00f-vs-classify.XXXXXX)
PROXY_PID=""
START_SCENARIO=$(cat "$LAB/.state/active_scenario")
cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  if [ "${SCENARIOS[*]}" != current ] && [ "$(cat "$LAB/.state/active_scenario")" != "$START_SCENARIO" ]; then
    "$LAB/scenario" "$START_SCENARIO" >/dev/null 2>&1 || echo "could not restore scenario $START_SCENARIO" >&2
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

WP403=${WP403:-}
if [ -z "$WP403" ]; then
  (cd "$ROOT" && go build -o "$TMP/wp403" ./cmd/wp403)
  WP403=$TMP/wp403
fi

# The recording proxy: plain HTTP, absolute-form requests from wafw00f,
# forwarded to the address in the first line of $TMP/upstream.
cat >"$TMP/proxy.py" <<'PY'
import http.client, http.server, os, sys, threading, urllib.parse
tmp = sys.argv[1]
seq = [0]
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def relay(self):
        up = open(os.path.join(tmp, "upstream")).read().split()
        u = urllib.parse.urlsplit(self.path)
        target = (u.path or "/") + ("?" + u.query if u.query else "")
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        c = http.client.HTTPConnection(up[0], int(up[1]), timeout=10)
        c.request(self.command, target, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        with lock:
            seq[0] += 1
            name = os.path.join(tmp, "rec", "%03d" % seq[0])
        with open(name + ".req", "w") as f:
            f.write("%s %s\n" % (self.command, target))
        with open(name + ".http", "wb") as f:
            f.write(("HTTP/1.1 %d %s\r\n" % (r.status, r.reason)).encode("latin-1"))
            for k, v in r.getheaders():
                f.write(("%s: %s\r\n" % (k, v)).encode("latin-1"))
            f.write(b"\r\n" + data)
        self.send_response_only(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        c.close()
    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = relay
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(os.path.join(tmp, "port"), "w").write(str(s.server_address[1]))
s.serve_forever()
PY
mkdir -p "$TMP/rec"
echo "127.0.80.1 80" >"$TMP/upstream"
python3 "$TMP/proxy.py" "$TMP" &
PROXY_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")

# classify_dir prints one line per recorded response.
classify_dir() {
  local f req line json
  for f in "$TMP"/rec/*.http; do
    [ -e "$f" ] || continue
    req=$(cut -c1-60 "${f%.http}.req")
    # classify exits 3 on a refusal: that is an answer, not a failure.
    json=$("$WP403" classify --format json --url "http://$HOST$(cut -d' ' -f2 "${f%.http}.req")" "$f" 2>/dev/null || true)
    line=$(printf '%s' "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin); c = r["class"]
top = next((m for m in c.get("matches", []) if m["kind"] == "refusal"), None)
who = c["producer"] + (" (" + c["vendor"] + ")" if c.get("vendor") else "")
sig = top["id"] + (" #" + top["incident_id"] if top.get("incident_id") else "") if top else ("page " + c.get("page", "-"))
print("%3d  %-9s %-34s %s" % (r["status"], "refusal" if c["refusal"] else "ok", who[:34], sig))
' || echo "  classify failed")
    printf '    %-62s %s\n' "$req" "$line"
  done
}

run_vantage() { # scenario vantage address
  local sc=$1 vantage=$2 addr=$3 path names
  echo "$addr 80" >"$TMP/upstream"
  for path in $PATHS; do
    rm -f "$TMP"/rec/*
    local now
    now=$(cat "$LAB/.state/active_scenario")
    names=$(wafw00f -a -p "http://127.0.0.1:$PORT" -o - -f json "http://$HOST$path" 2>/dev/null |
      python3 -c '
import json, sys
try:
    rows = json.load(sys.stdin)
except Exception:
    rows = []
found = [r.get("firewall", "?") + (" (" + r["manufacturer"] + ")" if r.get("manufacturer") not in (None, "", "None") else "") for r in rows if r.get("detected")]
print("; ".join(found) if found else "no WAF detected")')
    if [ "$now" != "$sc" ]; then
      echo "  [$vantage] $path   (note: the shared lab is now on scenario $now)"
    else
      echo "  [$vantage] $path"
    fi
    echo "    wafw00f -a names: $names"
    echo "    wp403 classify, per response wafw00f received:"
    classify_dir
  done
}

for sc in "${SCENARIOS[@]}"; do
  if [ "$sc" != current ]; then
    "$LAB/scenario" "$sc" >/dev/null
  else
    sc=$(cat "$LAB/.state/active_scenario")
  fi
  # The scenario's origin: nginx on 127.0.81.1 or Apache on 127.0.82.1.
  origin=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1])).get("origin","nginx"))' "$LAB/scenarios/$sc/truth.json" 2>/dev/null || echo nginx)
  origin_addr=127.0.81.1
  [ "$origin" = apache ] && origin_addr=127.0.82.1
  echo "== scenario $sc (origin $origin)"
  run_vantage "$sc" edge 127.0.80.1
  run_vantage "$sc" origin "$origin_addr"
done
