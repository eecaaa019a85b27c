# lab/gen-more.sh: configs of the second origin (lighttpd, 127.0.83.1) and the second edge (Apache Traffic
# Server, 127.0.84.1). Both always run; a scenario uses them with ORIGIN=lighttpd or EDGE=trafficserver in its
# scenario.env. Sourced by gen.sh.

# gen_lighttpd SCENARIO: lighttpd + php-fpm (mod_fastcgi), WordPress pretty permalinks through
# url.rewrite-if-not-file, the scenario's lighttpd.conf fragment appended.
gen_lighttpd() {
  local scen="$1"
  mkdir -p "$STATE/lighttpd"
  touch "$LOGS/lighttpd-access.log" "$LOGS/lighttpd-error.log"
  chown www-data "$LOGS/lighttpd-access.log" "$LOGS/lighttpd-error.log"
  cat >"$STATE/lighttpd/lighttpd.conf" <<CONF
server.modules = ("mod_access", "mod_accesslog", "mod_rewrite", "mod_fastcgi", "mod_openssl")
server.document-root = "$WP_ROOT"
server.bind = "$LIGHTTPD_IP"
server.port = 80
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "$RUN/lighttpd.pid"
server.errorlog = "$LOGS/lighttpd-error.log"
index-file.names = ("index.php", "index.html")
include_shell "/usr/share/lighttpd/create-mime.conf.pl"
accesslog.filename = "$LOGS/lighttpd-access.log"
accesslog.format = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" host=%V rid=\"%{X-WP403-Request-Id}i\" rt=%D"
\$SERVER["socket"] == "$LIGHTTPD_IP:443" {
  ssl.engine = "enable"
  ssl.pemfile = "$TLS/site.crt"
  ssl.privkey = "$TLS/site.key"
}
\$HTTP["url"] =~ "^/wp-content/" { server.document-root = "$(dirname "$WP_CONTENT")" }
url.rewrite-if-not-file = ("^/(.*)\$" => "/index.php/\$1")
fastcgi.server = (".php" => (("socket" => "$RUN/php-fpm.sock", "check-local" => "enable", "broken-scriptfilename" => "enable")))
# --- scenario fragment ($scen)
$(subst <"$(scen_file "$scen" lighttpd.conf)")
CONF
}

# gen_trafficserver SCENARIO ORIGIN: Apache Traffic Server 9 as a reverse proxy in its own runroot
# (.state/trafficserver), remapping the site to the scenario's origin; caching off; the scenario may
# replace ip_allow.yaml (trafficserver-ip_allow.yaml) and add remap rules (trafficserver-remap.config).
gen_trafficserver() {
  local scen="$1" oip d="$STATE/trafficserver"
  oip="$(origin_ip "$2")"
  mkdir -p "$d/etc" "$RUN/trafficserver" "$LOGS/trafficserver"
  [ -d "$d/etc/body_factory" ] || cp -r /etc/trafficserver/body_factory "$d/etc/"
  cat >"$d/runroot.yaml" <<CONF
prefix: /usr
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $d/etc
datadir: /usr/share/trafficserver
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $RUN/trafficserver
runtimedir: $RUN/trafficserver
logdir: $LOGS/trafficserver
cachedir: $RUN/trafficserver
CONF
  cat >"$d/etc/records.config" <<CONF
CONFIG proxy.config.http.server_ports STRING 80:ipv4:ip-in=$ATS_IP 443:ipv4:ssl:ip-in=$ATS_IP
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.exec_thread.autoconfig INT 0
CONFIG proxy.config.exec_thread.limit INT 1
CONFIG proxy.config.task_threads INT 1
CONFIG proxy.config.accept_threads INT 1
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.url_remap.pristine_host_hdr INT 1
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.http.insert_request_via_str INT 1
CONFIG proxy.config.http.insert_response_via_str INT 1
CONFIG proxy.config.http.insert_squid_x_forwarded_for INT 1
CONFIG proxy.config.ssl.server.cert.path STRING $TLS
CONFIG proxy.config.ssl.server.private_key.path STRING $TLS
CONFIG proxy.config.ssl.client.verify.server.policy STRING ENFORCED
CONFIG proxy.config.ssl.client.verify.server.properties STRING ALL
CONFIG proxy.config.ssl.client.CA.cert.filename STRING $TLS/ca.pem
CONFIG proxy.config.ssl.client.sni_policy STRING host
CONFIG proxy.config.log.logging_enabled INT 3
CONFIG proxy.config.diags.debug.enabled INT 0
CONFIG proxy.config.http.connect_attempts_timeout INT 5
CONFIG proxy.config.http.transaction_no_activity_timeout_out INT 60
CONFIG proxy.config.http.transaction_no_activity_timeout_in INT 60
CONFIG proxy.config.hostdb.host_file.path STRING /etc/hosts
CONF
  echo "dest_ip=* ssl_cert_name=site.crt ssl_key_name=site.key" >"$d/etc/ssl_multicert.config"
  : >"$d/etc/storage.config"   # no cache storage: the edge relays, it never caches (cache.http 0)
  local f
  for f in cache.config hosting.config parent.config plugin.config socks.config splitdns.config volume.config sni.yaml strategies.yaml; do
    : >"$d/etc/$f"
  done
  {
    subst <"$(scen_file "$scen" trafficserver-remap.config)"
    printf 'map https://%s/ https://%s/\nmap http://%s/ http://%s/\n' "$HOST" "$oip" "$HOST" "$oip"
  } >"$d/etc/remap.config"
  if [ -f "$LAB/scenarios/$scen/trafficserver-ip_allow.yaml" ]; then
    subst <"$LAB/scenarios/$scen/trafficserver-ip_allow.yaml" >"$d/etc/ip_allow.yaml"
  else
    printf 'ip_allow:\n  - apply: in\n    ip_addrs: 0/0\n    action: allow\n    methods: ALL\n  - apply: out\n    ip_addrs: 0/0\n    action: allow\n    methods: ALL\n' >"$d/etc/ip_allow.yaml"
  fi
  cat >"$d/etc/logging.yaml" <<'CONF'
logging:
  formats:
    - name: wp403
      format: '%<chi> - - [%<cqtn>] "%<cqtx>" %<pssc> %<pscl> host=%<{Host}cqh> rid="%<{X-WP403-Request-Id}cqh>" crc=%<crc> sssc=%<sssc> ttms=%<ttms>'
  logs:
    - filename: ats-access
      format: wp403
      mode: ascii
CONF
}

origin_ip() {
  case "$1" in nginx) echo "$NGINX_IP" ;; apache) echo "$APACHE_IP" ;; lighttpd) echo "$LIGHTTPD_IP" ;; *) die "bad origin $1" ;; esac
}
