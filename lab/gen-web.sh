# lab/gen-web.sh: nginx, Apache, HAProxy and WordPress-side files for the active scenario. Sourced.

gen_nginx() {
  cat >"$STATE/nginx/nginx.conf" <<CONF
user www-data;
worker_processes 1;
pid $RUN/nginx.pid;
error_log $LOGS/nginx-error.log info;
load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  server_tokens on;
  client_max_body_size 16m;
  client_body_temp_path $STATE/nginx/tmp-body;
  fastcgi_temp_path $STATE/nginx/tmp-fastcgi;
  proxy_temp_path $STATE/nginx/tmp-proxy;
  uwsgi_temp_path $STATE/nginx/tmp-uwsgi;
  scgi_temp_path $STATE/nginx/tmp-scgi;
  log_format wp403 '\$remote_addr - \$remote_user [\$time_local] "\$request" \$status \$body_bytes_sent '
                   '"\$http_referer" "\$http_user_agent" host=\$host rid="\$http_x_wp403_request_id" '
                   'rt=\$request_time';
  access_log $LOGS/nginx-access.log wp403;
  include $SCEN_STATE/nginx-http.conf;
  server {
    listen $NGINX_IP:80;
    listen $NGINX_IP:443 ssl;
    server_name $HOST www.$HOST;
    ssl_certificate $TLS/site.crt;
    ssl_certificate_key $TLS/site.key;
    root $WP_ROOT;
    index index.php index.html;
    modsecurity on;
    modsecurity_rules_file $STATE/nginx/modsec-main.conf;
    include $SCEN_STATE/nginx-server.conf;
    include $EXTRA/nginx-server.conf;
    location ^~ /wp-content/ {
      alias $WP_CONTENT/;
      location ~ \.php\$ { deny all; }
    }
    location / {
      include $SCEN_STATE/nginx-root.conf;
    }
    location ~ \.php\$ {
      try_files \$uri =404;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param HTTPS \$https if_not_empty;
      fastcgi_pass unix:$RUN/php-fpm.sock;
      include $SCEN_STATE/nginx-php.conf;
    }
  }
}
CONF
  mkdir -p "$STATE/nginx/"tmp-{body,fastcgi,proxy,uwsgi,scgi}
  chown www-data "$STATE/nginx/"tmp-*
}

APACHE_MODULES="mpm_event authz_core authz_host authn_core authn_file auth_basic authz_user access_compat
  alias dir mime rewrite setenvif env headers ssl socache_shmcb proxy proxy_fcgi unique_id security2"

gen_apache() {
  local m conf="$STATE/apache/apache2.conf"
  {
    echo "ServerRoot /etc/apache2"
    echo "DefaultRuntimeDir $RUN/apache"
    echo "PidFile $RUN/apache2.pid"
    echo "Mutex file:$RUN/apache default"
    for m in $APACHE_MODULES; do echo "LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so"; done
    cat <<CONF
ServerName $HOST
User www-data
Group www-data
Listen $APACHE_IP:80
Listen $APACHE_IP:443
StartServers 1
ServerLimit 2
ThreadsPerChild 10
MaxRequestWorkers 20
Timeout 60
KeepAlive On
TypesConfig /etc/mime.types
ErrorLog $LOGS/apache-error.log
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" host=%{Host}i rid=\"%{X-WP403-Request-Id}i\" rt=%D" wp403
CustomLog $LOGS/apache-access.log wp403
ServerTokens Full
SSLSessionCache shmcb:$RUN/apache/ssl_scache(512000)
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<IfModule security2_module>
  Include $STATE/apache/modsec-main.conf
</IfModule>
<VirtualHost $APACHE_IP:80>
  Include $STATE/apache/site.conf
</VirtualHost>
<VirtualHost $APACHE_IP:443>
  SSLEngine on
  SSLCertificateFile $TLS/site.crt
  SSLCertificateKeyFile $TLS/site.key
  Include $STATE/apache/site.conf
</VirtualHost>
CONF
  } >"$conf"
  mkdir -p "$RUN/apache"
  cat >"$STATE/apache/site.conf" <<CONF
ServerName $HOST
ServerAlias www.$HOST
DocumentRoot $WP_ROOT
Alias /wp-content $WP_CONTENT
DirectoryIndex index.php index.html
<Directory $WP_ROOT>
  Options FollowSymLinks
  AllowOverride All
  Require all granted
</Directory>
<Directory $WP_CONTENT>
  Options FollowSymLinks
  AllowOverride None
  Require all granted
</Directory>
<FilesMatch "\.php\$">
  SetHandler "proxy:unix:$RUN/php-fpm.sock|fcgi://localhost/"
</FilesMatch>
Include $SCEN_STATE/apache-vhost.conf
Include $EXTRA/apache-vhost.conf
CONF
}

gen_haproxy() {
  local origin="$1" oip
  oip="$(origin_ip "$origin")"
  cat >"$STATE/haproxy/haproxy.cfg" <<CONF
global
  log stdout format raw local0 info
  maxconn 512
  ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
  mode http
  log global
  option httplog
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-request 15s

frontend edge
  bind $EDGE_IP:80
  bind $EDGE_IP:443 ssl crt $TLS/site.pem alpn http/1.1
  capture request header Host len 64
  capture request header X-WP403-Request-Id len 64
  unique-id-format %{+X}o%[rand,hex]%Ts
  http-request del-header X-Forwarded-Proto
  http-request set-header X-Forwarded-Proto https if { ssl_fc }
  http-request set-header X-Forwarded-Proto http unless { ssl_fc }
  http-request set-header X-Edge wp403-lab
  http-request add-header Via "1.1 wp403-edge"
  option forwardfor
  http-after-response set-header x-edge wp403-lab
  http-after-response add-header via "1.1 wp403-edge"
  http-after-response set-header x-edge-ref %[unique-id]
# --- scenario rules ($(active_scenario))
$(cat "$SCEN_STATE/haproxy.cfg")
# --- extra/haproxy-frontend.cfg
$(cat "$EXTRA/haproxy-frontend.cfg")
# --- routing to the active origin ($origin)
  use_backend origin_https if { ssl_fc }
  default_backend origin_http

backend origin_http
  server $origin $oip:80 source $EDGE_IP

backend origin_https
  server $origin $oip:443 ssl verify required ca-file $TLS/ca.pem sni str($HOST) source $EDGE_IP
CONF
}

gen_wordpress_files() {
  local scen="$1"
  [ -e "$STATE/htaccess.debian-orig" ] || cp /etc/wordpress/htaccess "$STATE/htaccess.debian-orig" 2>/dev/null || true
  cat "$SCEN_STATE/htaccess" >/etc/wordpress/htaccess
  mkdir -p "$MU_DIR"
  # The wp403 agent (internal/agent/php), inert without a signed request; its key is in wp-config (daemons.sh).
  install -m 0644 "$LAB/../internal/agent/php/wp403-agent.php" "$MU_DIR/0-wp403-agent.php"
  if [ -f "$LAB/scenarios/$scen/mu-plugin.php" ]; then
    cp "$LAB/scenarios/$scen/mu-plugin.php" "$MU_DIR/wp403-lab-scenario.php"
  else
    rm -f "$MU_DIR/wp403-lab-scenario.php"
  fi
}
