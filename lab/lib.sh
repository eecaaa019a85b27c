# lab/lib.sh: shared helpers for the wp403 lab scripts. Sourced, never run.
# Every path is relative to this file's own folder so a fresh clone anywhere works.
set -euo pipefail
trap 'printf "[lab] error: command failed at %s:%s: %s\n" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The physical path: worktrees share one state folder through a symlink, and nginx deletes the pid file
# of the old configuration on reload, so configs written from two checkouts must name the same path.
STATE="$(cd "$LAB/.state" 2>/dev/null && pwd -P || echo "$LAB/.state")"
RUN="$STATE/run"
LOGS="$STATE/logs"
TLS="$STATE/tls"
EXTRA="$STATE/extra"
SCEN_STATE="$STATE/scenario"
HOST="blog.wp403.test"
EDGE_IP="127.0.80.1"
NGINX_IP="127.0.81.1"
APACHE_IP="127.0.82.1"
LIGHTTPD_IP="127.0.83.1"   # origin lighttpd (scenarios with ORIGIN=lighttpd)
ATS_IP="127.0.84.1"        # edge Apache Traffic Server (scenarios with EDGE=trafficserver)
CADDY_IP="127.0.85.1"      # edge Caddy (scenarios with EDGE=caddy; lab/gen-caddy.sh)
WP_ROOT="/usr/share/wordpress"
WP_CONTENT="/var/lib/wordpress/wp-content"
WP_CONFIG="/etc/wordpress/config-$HOST.php"
MU_DIR="$WP_CONTENT/mu-plugins"
PHP_FPM_BIN="$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)"
PACKAGES=(mariadb-server wordpress wordpress-theme-twentytwentythree php-fpm php-mysql php-cli php-curl
  php-xml php-mbstring php-gd nginx libnginx-mod-http-modsecurity modsecurity-crs apache2
  libapache2-mod-security2 apache2-utils haproxy openssl curl
  lighttpd lighttpd-mod-openssl trafficserver  # the second origin and the second edge
  caddy                          # the third edge, whose JSON log names its rules
  chromium fonts-dejavu-core     # the browser: HTML report checks and the real-browser retest
  prometheus wafw00f)            # the exporter's Prometheus test (and promtool); bench/ compares with wafw00f

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# wait_for DESC TIMEOUT_SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
  local desc="$1" timeout="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out after ${timeout}s waiting for $desc"
    sleep 0.1
  done
}

# pid_alive PIDFILE EXE: true when the pid in PIDFILE runs binary EXE (guards against reused pids).
pid_alive() {
  local pidfile="$1" exe="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(tr -dc 0-9 <"$pidfile")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$exe")" ]
}

pid_of() { tr -dc 0-9 <"$1"; }

# signal_pidfile PIDFILE EXE SIGNAL: send SIGNAL to the daemon recorded in PIDFILE.
signal_pidfile() {
  pid_alive "$1" "$2" || die "$(basename "$1") does not name a running $2 (lab not up?)"
  kill -s "$3" "$(pid_of "$1")"
}

# stop_pidfile PIDFILE EXE: TERM, wait up to 15 s, then KILL; removes the pid file.
stop_pidfile() {
  local pidfile="$1" exe="$2" pid i
  if pid_alive "$pidfile" "$exe"; then
    pid="$(pid_of "$pidfile")"
    log "stopping $(basename "$pidfile" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 150); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$pidfile"
}

# json_get FILE KEY.PATH: read one string value from a JSON file with PHP.
json_get() {
  php -r '$d=json_decode(file_get_contents($argv[1]),true); foreach(explode(".",$argv[2]) as $k){$d=$d[$k]??"";} echo is_scalar($d)?$d:json_encode($d);' "$1" "$2"
}

active_scenario() { cat "$STATE/active_scenario" 2>/dev/null || echo healthy; }

# scen_env NAME KEY DEFAULT: value of KEY in scenarios/NAME/scenario.env.
scen_env() {
  local f="$LAB/scenarios/$1/scenario.env" v=""
  [ -f "$f" ] && v="$(sed -n "s/^$2=//p" "$f" | tail -n1)"
  printf '%s' "${v:-$3}"
}

# take_lock: serialise scenario switches. lab/verify (labkit) holds the lock for a whole run and
# exports WP403_LAB_LOCK_HELD=1 to its children; everyone else waits here (max 15 min).
take_lock() {
  [ "${WP403_LAB_LOCK_HELD:-}" = 1 ] && return 0
  mkdir -p "$STATE"
  exec 9>>"$STATE/lock"
  flock -w 900 9 || die "timed out waiting for the lab lock ($STATE/lock): another verify run holds it"
}
