# lab/gen.sh: writes every daemon config under lab/.state for the active scenario. Sourced.

# scen_file NAME FILE: path of a scenario fragment, or /dev/null when the scenario has none.
scen_file() { local f="$LAB/scenarios/$1/$2"; [ -f "$f" ] && echo "$f" || echo /dev/null; }

gen_dirs() {
  mkdir -p "$RUN" "$LOGS" "$TLS" "$EXTRA" "$SCEN_STATE" "$STATE/nginx" "$STATE/apache" "$STATE/haproxy" \
    "$STATE/php" "$STATE/modsec-tmp" "$STATE/modsec-data"
  chmod 755 "$STATE" "$RUN" "$LOGS"
  chown www-data:www-data "$STATE/modsec-tmp" "$STATE/modsec-data"
  local f
  for f in modsec-before-crs.conf modsec-after-crs.conf apache-modsec-before-crs.conf \
    apache-modsec-after-crs.conf nginx-server.conf apache-vhost.conf haproxy-frontend.cfg; do
    [ -e "$EXTRA/$f" ] || : >"$EXTRA/$f"
  done
  [ -s "$STATE/settings.env" ] || printf 'AUDIT_FORMAT=JSON\n' >"$STATE/settings.env"
}

setting() { sed -n "s/^$1=//p" "$STATE/settings.env" | tail -n1; }

gen_tls() {
  [ -s "$TLS/site.pem" ] && [ -s "$TLS/ca.pem" ] && return 0
  log "creating lab CA and site certificate"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=wp403 lab CA" \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$TLS/site.key" -out "$TLS/site.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:www.%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$HOST" "$HOST" >"$TLS/ext.cnf"
  openssl x509 -req -in "$TLS/site.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 3650 \
    -extfile "$TLS/ext.cnf" -out "$TLS/site.crt" 2>/dev/null
  cat "$TLS/site.crt" "$TLS/site.key" >"$TLS/site.pem"
  chmod 600 "$TLS/"*.key "$TLS/site.pem"
}

gen_phpfpm() {
  cat >"$STATE/php/php-fpm.conf" <<CONF
[global]
pid = $RUN/php-fpm.pid
error_log = $LOGS/php-fpm.log
daemonize = yes

[wp403]
user = www-data
group = www-data
listen = $RUN/php-fpm.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
pm = dynamic
pm.max_children = 6
pm.start_servers = 2
pm.min_spare_servers = 1
pm.max_spare_servers = 3
catch_workers_output = yes
security.limit_extensions = .php
php_admin_value[error_log] = $LOGS/php-error.log
php_admin_flag[log_errors] = on
php_admin_value[opcache.revalidate_freq] = 0
php_admin_value[upload_max_filesize] = 8M
php_admin_value[post_max_size] = 8M
CONF
}

# gen_modsec_base ENGINE AUDITLOG FORMAT V3: Debian's recommended base config adapted for the lab.
gen_modsec_base() {
  local engine="$1" audit="$2" format="$3" v3="$4"
  sed -e "s|^SecRuleEngine .*|SecRuleEngine $engine|" \
    -e "s|^SecTmpDir .*|SecTmpDir $STATE/modsec-tmp/|" \
    -e "s|^SecDataDir .*|SecDataDir $STATE/modsec-data/|" \
    -e "s|^SecAuditLogParts .*|SecAuditLogParts ABDEFHIJZ|" \
    -e "s|^SecAuditLog .*|SecAuditLog $audit|" \
    -e "s|^SecUnicodeMapFile .*|SecUnicodeMapFile /etc/modsecurity/unicode.mapping 20127|" \
    /etc/modsecurity/modsecurity.conf-recommended |
    if [ "$v3" = 1 ]; then grep -v -e '^SecRequestBodyInMemoryLimit'; else cat; fi
  if [ "$v3" = 1 ] || [ "$format" = JSON ]; then echo "SecAuditLogFormat $format"; fi
}

gen_modsec() {
  local scen="$1" engine format
  engine="$(scen_env "$scen" MODSEC DetectionOnly)"
  format="$(setting AUDIT_FORMAT)"
  gen_modsec_base "$engine" "$LOGS/modsec-audit.log" "$format" 1 >"$STATE/nginx/modsec-base.conf"
  cat >"$STATE/nginx/modsec-main.conf" <<CONF
Include $STATE/nginx/modsec-base.conf
Include $SCEN_STATE/modsec-before-crs.conf
Include $EXTRA/modsec-before-crs.conf
Include /etc/modsecurity/crs/crs-setup.conf
Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf
Include $EXTRA/modsec-after-crs.conf
CONF
  gen_modsec_base "$engine" "$LOGS/apache-modsec-audit.log" "$format" 0 >"$STATE/apache/modsec-base.conf"
  cat >"$STATE/apache/modsec-main.conf" <<CONF
Include $STATE/apache/modsec-base.conf
Include $SCEN_STATE/modsec-before-crs.conf
Include $EXTRA/apache-modsec-before-crs.conf
Include /etc/modsecurity/crs/crs-setup.conf
IncludeOptional /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
IncludeOptional /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf
Include $EXTRA/apache-modsec-after-crs.conf
CONF
}

# gen_scenario_fragments NAME: copy the scenario's fragments (or empty defaults) into .state/scenario.
gen_scenario_fragments() {
  local scen="$1" f
  for f in modsec-before-crs.conf nginx-http.conf nginx-server.conf nginx-php.conf apache-vhost.conf haproxy.cfg; do
    subst <"$(scen_file "$scen" "$f")" >"$SCEN_STATE/$f"
  done
  if [ -f "$LAB/scenarios/$scen/nginx-root.conf" ]; then
    subst <"$LAB/scenarios/$scen/nginx-root.conf" >"$SCEN_STATE/nginx-root.conf"
  else
    printf 'try_files $uri $uri/ /index.php?$args;\n' >"$SCEN_STATE/nginx-root.conf"
  fi
  if [ -f "$LAB/scenarios/$scen/htaccess" ]; then
    cat "$LAB/scenarios/$scen/htaccess" >"$SCEN_STATE/htaccess"
  else
    cat "$LAB/templates/htaccess" >"$SCEN_STATE/htaccess"
  fi
}

# subst: expand @STATE@, @LAB@, @SCENARIO_DIR@, @HOST@ and @EDGE_IP@ in a scenario fragment.
subst() {
  sed -e "s|@STATE@|$STATE|g" -e "s|@LAB@|$LAB|g" -e "s|@SCENARIO_DIR@|$LAB/scenarios/$(active_scenario)|g" \
    -e "s|@HOST@|$HOST|g" -e "s|@EDGE_IP@|$EDGE_IP|g"
}

gen_basic_auth() {
  [ -s "$STATE/basic-auth.txt" ] && [ -s "$STATE/htpasswd" ] && return 0
  local pw; pw="$(openssl rand -hex 12)"
  printf 'lab-staging:%s\n' "$pw" >"$STATE/basic-auth.txt"
  printf 'lab-staging:%s\n' "$(openssl passwd -apr1 "$pw")" >"$STATE/htpasswd"
  chmod 600 "$STATE/basic-auth.txt"; chgrp www-data "$STATE/htpasswd"; chmod 640 "$STATE/htpasswd"
}

gen_all() {
  local scen; scen="$(active_scenario)"
  [ -d "$LAB/scenarios/$scen" ] || die "unknown scenario $scen"
  gen_dirs
  gen_phpfpm
  gen_basic_auth
  gen_modsec "$scen"
  gen_scenario_fragments "$scen"
  source "$LAB/gen-web.sh"
  source "$LAB/gen-more.sh"
  local origin; origin="$(scen_env "$scen" ORIGIN nginx)"
  gen_nginx; gen_apache; gen_haproxy "$origin"; gen_lighttpd "$scen"
  # Traffic Server fronts the scenario's origin when it is the scenario's edge, nginx otherwise (so that
  # switching between HAProxy scenarios never restarts it).
  if [ "$(scen_env "$scen" EDGE haproxy)" = trafficserver ]; then gen_trafficserver "$scen" "$origin"; else gen_trafficserver "$scen" nginx; fi
  source "$LAB/gen-caddy.sh"
  if [ "$(scen_env "$scen" EDGE haproxy)" = caddy ]; then gen_caddy "$scen" "$origin"; else gen_caddy "$scen" nginx; fi
  gen_wordpress_files "$scen"
}
