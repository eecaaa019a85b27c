# lab/gen-caddy.sh: the third edge, Caddy 2 (Debian package), 127.0.85.1:443. It always runs; a scenario
# puts it in front of its origin with EDGE=caddy in scenario.env and adds its rules as Caddy JSON routes in
# caddy-routes.json (a JSON array, evaluated before the proxy route). Its JSON log (lab/.state/logs/
# caddy.log) holds only the server's access and error loggers, at DEBUG: Caddy logs the text of a 4xx
# handler error (the `error` handler a rule uses) at that level. Sourced by gen.sh.

# gen_caddy SCENARIO ORIGIN: caddy.json, proxying to ORIGIN over TLS (SNI, lab CA), Host kept.
gen_caddy() {
  local scen="$1" oip d="$STATE/caddy" routes
  oip="$(origin_ip "$2")"
  mkdir -p "$d/data" "$d/config"
  routes="$(subst <"$(scen_file "$scen" caddy-routes.json)" | sed -e 's/^[[:space:]]*\[//' -e 's/\][[:space:]]*$//')"
  [ -n "${routes//[[:space:]]/}" ] && routes="$routes,"
  cat >"$d/caddy.json" <<CONF
{
  "admin": {"disabled": true},
  "storage": {"module": "file_system", "root": "$d/data"},
  "logging": {"logs": {
    "default": {"writer": {"output": "file", "filename": "$LOGS/caddy-daemon.log"}, "encoder": {"format": "json"},
                "exclude": ["http.log.access.edge", "http.log.error.edge"]},
    "edge": {"writer": {"output": "file", "filename": "$LOGS/caddy.log"}, "encoder": {"format": "json"}, "level": "DEBUG",
             "include": ["http.log.access.edge", "http.log.error.edge"]}
  }},
  "apps": {
    "tls": {"certificates": {"load_files": [{"certificate": "$TLS/site.crt", "key": "$TLS/site.key"}]}},
    "http": {"servers": {"edge": {
      "listen": ["$CADDY_IP:443"],
      "automatic_https": {"disable": true},
      "tls_connection_policies": [{}],
      "logs": {"default_logger_name": "edge"},
      "routes": [$routes
        {"handle": [{"handler": "reverse_proxy", "upstreams": [{"dial": "$oip:443"}],
          "headers": {"request": {"set": {"X-Forwarded-Proto": ["https"]}}},
          "transport": {"protocol": "http", "tls": {"root_ca_pem_files": ["$TLS/ca.pem"], "server_name": "$HOST"}}}]}
      ]
    }}}
  }
}
CONF
}
