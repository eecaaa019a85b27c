<?php
/**
 * Plugin Name: wp403 agent
 * Description: Names the callback that refused a REST API request, for `wp403 diagnose --agent-key-file`. Inert unless a request carries a valid signature made with the WP403_AGENT_KEY constant (wp-config.php).
 * Version: 1.0.0
 * Requires PHP: 7.4
 * Author: wp403
 * License: MIT
 *
 * Without a valid X-WP403-Agent header this file does nothing: no hook, no query, no header.
 * With one (v2: HMAC-SHA256 with WP403_AGENT_KEY over method, Host, path, query, body hash,
 * credentials, timestamp and request id, at most 5 minutes old, each request id once) it wraps
 * the callbacks of the hooks that can refuse a REST request and answers, on that response only,
 * an X-WP403-Trace header naming the callback that refused, who registered it, how far the
 * request got, and what PHP and WordPress saw of authentication (header names, never values).
 *
 * Opt-in refusal journal: define('WP403_AGENT_JOURNAL', true) (or a number of entries) records
 * the REST refusals of real traffic (no credentials, bodies or queries; client IPs only with
 * WP403_AGENT_JOURNAL_IPS) in the option wp403_agent_journal, written only when a request is
 * refused, and adds the Site Health test "REST API refusals in the last 24 hours".
 */
if (!defined('ABSPATH')) {
    return;
}

if (!class_exists('WP403_Agent')) {

    /** One signed request's recorder. */
    final class WP403_Agent
    {
        const VERSION = '1.0.0';
        const WINDOW = 300;
        const MAX_HEADER = 2400;
        const MAX_EVENTS = 8;

        /** Hooks whose callbacks are wrapped to see which one changed the outcome. */
        const WRAPPED = array(
            'determine_current_user', 'rest_authentication_errors', 'rest_pre_dispatch',
            'rest_request_before_callbacks', 'rest_dispatch_request', 'rest_request_after_callbacks',
            'rest_post_dispatch', 'rest_endpoints', 'wp_authenticate_application_password_errors',
            'wp_is_application_passwords_available', 'wp_is_application_passwords_available_for_user',
        );

        /** Actions whose callbacks may register more callbacks: what they add is attributed to them. */
        const LIFECYCLE = array('plugins_loaded', 'setup_theme', 'after_setup_theme', 'init', 'wp_loaded', 'rest_api_init', 'parse_request');

        /** @var WP403_Agent|null */
        public static $current;
        /** @var string */
        private $key;
        /** @var string */
        public $rid;
        /** @var string */
        public $route;
        /** @var string */
        private $method;
        /** @var array */
        private $events = array();
        /** @var array|null */
        private $refusal;
        /** @var array */
        private $auth = array();
        /** @var array */
        private $permission;
        /** @var array */
        private $removed = array();
        /** @var array */
        private $loaded = array();
        /** @var array|null */
        private $cookie;
        /** @var bool */
        private $emitted = false;
        /** @var bool */
        private $served = false;
        /** @var string */
        private $final_code = '';
        /** @var string[] credentials the client signed that did not reach PHP */
        public $stripped = array();
        /** @var array "hook|priority|id" of every callback seen in the hook table => true */
        private $seen = array();
        /** @var array "hook|priority|id" => the plugin/theme file that added it */
        private $owners = array();
        /** @var bool journal mode: an unsigned request of real traffic, recorded only if refused, never answered */
        private $journal = false;
        /** @var string the route template WordPress matched */
        private $matched = '';
        /** @var string the last hook WordPress fired, and the last plugin file loaded */
        private $last_hook = '';
        private $last_loaded = '';

        /** boot verifies the signature header; on success it starts recording this request (or runs the signed action). */
        public static function boot()
        {
            $raw = isset($_SERVER['HTTP_X_WP403_AGENT']) ? $_SERVER['HTTP_X_WP403_AGENT'] : null;
            if (!is_string($raw) || strlen($raw) > 400 || !defined('WP403_AGENT_KEY')) {
                self::journal_boot();
                return;
            }
            $key = WP403_AGENT_KEY;
            if (!is_string($key) || strlen($key) < 32) {
                return;
            }
            if (!preg_match('/^v2 t=([0-9]{1,12}) id=([A-Za-z0-9._-]{8,64})((?: [acn]=[0-9a-f]{32})*)(?: do=(journal|purge))? sig=([0-9a-f]{64})$/D', $raw, $m)) {
                return;
            }
            $ts = (int) $m[1];
            if (abs(time() - $ts) > self::WINDOW) {
                return;
            }
            $stripped = array();
            $signed = self::signed_string($key, $m, $stripped);
            if ($signed === null || !hash_equals(hash_hmac('sha256', $signed, $key), $m[5]) || !self::claim($m[2], $ts)) {
                return;
            }
            $route = self::request_route();
            self::$current = new self($key, $m[2], $route === null ? '' : $route, isset($_SERVER['REQUEST_METHOD']) ? strtoupper((string) $_SERVER['REQUEST_METHOD']) : '');
            self::$current->stripped = $stripped;
            if (isset($m[4]) && $m[4] !== '') {
                self::$current->action($m[4]);
                return;
            }
            self::$current->start();
        }

        /**
         * journal_boot records this request in the refusal journal when the site owner turned it on
         * (WP403_AGENT_JOURNAL) and it is a REST request; in wp-admin it adds the Site Health test.
         * Disabled, it does nothing at all.
         */
        private static function journal_boot()
        {
            if (!WP403_Agent_Journal::enabled()) {
                return;
            }
            if (is_admin()) {
                add_filter('site_status_tests', array('WP403_Agent_Journal', 'register'));
            }
            $route = self::request_route();
            if ($route === null) {
                return;
            }
            self::$current = new self('', '', $route, isset($_SERVER['REQUEST_METHOD']) ? strtoupper((string) $_SERVER['REQUEST_METHOD']) : '');
            self::$current->journal = true;
            self::$current->start();
        }

        /**
         * signed_string rebuilds what the client signed from what PHP received (see agent.Signer in
         * wp403): method, Host, decoded path, canonical query, Content-Type, X-HTTP-Method-Override,
         * body SHA-256, credential digests, action, time, id. A credential the header names but PHP
         * did not receive was removed on the way (noted in $stripped); one PHP received that the header
         * does not name, or whose digest differs, was added or replaced: null (refused).
         */
        private static function signed_string($key, array $m, array &$stripped)
        {
            $uri = isset($_SERVER['REQUEST_URI']) ? (string) $_SERVER['REQUEST_URI'] : '';
            $q = strpos($uri, '?');
            $path = $q === false ? $uri : substr($uri, 0, $q);
            $query = $q === false ? '' : substr($uri, $q + 1);
            $hash = hash_init('sha256');
            $in = @fopen('php://input', 'rb');
            if ($in !== false) {
                hash_update_stream($hash, $in);
                fclose($in);
            }
            $lines = array('wp403-agent/v2', isset($_SERVER['REQUEST_METHOD']) ? strtoupper((string) $_SERVER['REQUEST_METHOD']) : '',
                (string) preg_replace('/:[0-9]*$/D', '', strtolower(trim(isset($_SERVER['HTTP_HOST']) ? (string) $_SERVER['HTTP_HOST'] : ''))), rawurldecode($path), self::canonical_query($query),
                strtolower(trim(isset($_SERVER['CONTENT_TYPE']) ? (string) $_SERVER['CONTENT_TYPE'] : (isset($_SERVER['HTTP_CONTENT_TYPE']) ? (string) $_SERVER['HTTP_CONTENT_TYPE'] : ''))),
                strtoupper(trim(isset($_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE']) ? (string) $_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE'] : '')),
                hash_final($hash));
            preg_match_all('/ ([acn])=([0-9a-f]{32})/', $m[3], $given, PREG_SET_ORDER);
            $digests = array();
            foreach ($given as $g) {
                $digests[$g[1]] = $g[2];
            }
            foreach (array('a' => 'authorization', 'c' => 'cookie', 'n' => 'nonce') as $letter => $name) {
                $value = self::credential($name);
                $want = isset($digests[$letter]) ? $digests[$letter] : null;
                if ($value !== '' && ($want === null || !hash_equals($want, substr(hash_hmac('sha256', "wp403-agent/v2 credential\n" . $name . "\n" . $value, $key), 0, 32)))) {
                    return null;
                }
                if ($value === '' && $want !== null) {
                    $stripped[] = $name;
                }
                $lines[] = $letter . '=' . ($want === null ? '-' : $want);
            }
            array_push($lines, isset($m[4]) ? (string) $m[4] : '', $m[1], $m[2]);
            return implode("\n", $lines);
        }

        /** canonical_query: non-empty &-separated pairs, urldecoded, rawurlencoded, sorted, joined by &. */
        private static function canonical_query($query)
        {
            $pairs = array();
            foreach (explode('&', $query) as $p) {
                if ($p === '') {
                    continue;
                }
                $kv = explode('=', $p, 2);
                $pairs[] = rawurlencode(urldecode($kv[0])) . '=' . rawurlencode(urldecode(isset($kv[1]) ? $kv[1] : ''));
            }
            sort($pairs, SORT_STRING);
            return implode('&', $pairs);
        }

        /** credential is the value of one signed credential as PHP received it ('' when absent). */
        private static function credential($name)
        {
            if ($name === 'nonce') {
                return isset($_SERVER['HTTP_X_WP_NONCE']) ? trim((string) $_SERVER['HTTP_X_WP_NONCE']) : '';
            }
            if ($name === 'cookie') {
                $names = array();
                foreach ($_COOKIE as $k => $v) {
                    if (is_string($k) && strpos($k, 'wordpress_') === 0 && is_string($v)) {
                        $names[$k] = $v;
                    }
                }
                ksort($names, SORT_STRING);
                $out = '';
                foreach ($names as $k => $v) {
                    $out .= $k . '=' . $v . "\n";
                }
                return $out;
            }
            foreach (array('HTTP_AUTHORIZATION', 'REDIRECT_HTTP_AUTHORIZATION') as $h) {
                if (isset($_SERVER[$h]) && trim((string) $_SERVER[$h]) !== '') {
                    return trim((string) $_SERVER[$h]);
                }
            }
            if (isset($_SERVER['PHP_AUTH_USER'])) {
                return 'Basic ' . base64_encode($_SERVER['PHP_AUTH_USER'] . ':' . (isset($_SERVER['PHP_AUTH_PW']) ? $_SERVER['PHP_AUTH_PW'] : ''));
            }
            return '';
        }

        /** request_route is the REST route this request asks for, read as WordPress's parse_request does ($_POST before $_GET). */
        public static function request_route()
        {
            if (isset($_POST['rest_route']) || isset($_GET['rest_route'])) {
                $route = isset($_POST['rest_route']) ? $_POST['rest_route'] : $_GET['rest_route'];
                $route = is_string($route) ? $route : null;
            } else {
                $path = isset($_SERVER['REQUEST_URI']) ? parse_url((string) $_SERVER['REQUEST_URI'], PHP_URL_PATH) : null;
                if (!is_string($path)) {
                    return null;
                }
                $path = rawurldecode($path);
                $home = (string) parse_url(home_url('/'), PHP_URL_PATH);
                $prefix = rtrim($home, '/') . '/' . trim(rest_get_url_prefix(), '/');
                if ($path !== $prefix && strpos($path, $prefix . '/') !== 0) {
                    return null;
                }
                $route = (string) substr($path, strlen($prefix));
            }
            if ($route === null || strlen($route) > 1000) {
                return null;
            }
            $route = '/' . trim($route, '/');
            return $route;
        }

        /** dispatched takes the route WordPress's parse_request chose (the one rest_api_loaded serves). */
        public function dispatched($wp)
        {
            if (is_object($wp) && isset($wp->query_vars['rest_route']) && is_string($wp->query_vars['rest_route']) && strlen($wp->query_vars['rest_route']) <= 1000) {
                $route = untrailingslashit($wp->query_vars['rest_route']);
                $this->route = $route === '' ? '/' : $route;
            }
        }

        /** rid_table is where request ids are kept: one table for the whole network on multisite (the main site's options, whose unique key makes a claim atomic). */
        private static function rid_table()
        {
            global $wpdb;
            return function_exists('is_multisite') && is_multisite() ? $wpdb->base_prefix . 'options' : $wpdb->options;
        }

        /** claim records a request id once; it returns false when the id was seen (replay). */
        private static function claim($id, $ts)
        {
            global $wpdb;
            if (!isset($wpdb) || !is_object($wpdb)) {
                return false;
            }
            $table = self::rid_table();
            $like = $wpdb->esc_like('wp403_agent_rid_') . '%';
            $wpdb->query($wpdb->prepare("DELETE FROM {$table} WHERE option_name LIKE %s AND CAST(option_value AS UNSIGNED) < %d", $like, time()));
            $name = 'wp403_agent_rid_' . hash('sha256', $id);
            $done = $wpdb->query($wpdb->prepare("INSERT IGNORE INTO {$table} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", $name, (string) ($ts + 2 * self::WINDOW)));
            return $done === 1;
        }

        private function __construct($key, $rid, $route, $method)
        {
            $this->key = $key;
            $this->rid = $rid;
            $this->route = $route;
            $this->method = $method;
        }

        /** action runs a signed request for the agent itself, answers it and ends the request. */
        private function action($what)
        {
            $answer = array('v' => 1, 'rid' => $this->rid, 'agent' => self::VERSION, 'action' => $what);
            if ($what === 'journal') {
                $answer['enabled'] = WP403_Agent_Journal::enabled();
                $answer['journal'] = WP403_Agent_Journal::read();
            }
            if ($what === 'purge') {
                $answer['purged'] = self::purge($this->rid);
                $answer['remains'] = array('the ' . 'WP403_AGENT_KEY define in wp-config.php', 'the mu-plugin file');
            }
            $b64 = rtrim(strtr(base64_encode((string) wp_json_encode($answer, JSON_UNESCAPED_SLASHES)), '+/', '-_'), '=');
            if (!headers_sent()) {
                http_response_code(200);
                header('Content-Type: text/plain; charset=us-ascii');
                header('Cache-Control: private, no-store');
                header('X-Robots-Tag: noindex');
            }
            echo 'v1.', $b64, '.', hash_hmac('sha256', "wp403-answer/v1\n" . $this->rid . "\n" . $b64, $this->key);
            exit;
        }

        /** purge deletes everything the agent stored (wp403_agent_* options) but this request's own id; it returns how many rows went. */
        private static function purge($rid)
        {
            global $wpdb;
            $keep = 'wp403_agent_rid_' . hash('sha256', $rid);
            $like = $wpdb->esc_like('wp403_agent_') . '%';
            $n = 0;
            $tables = array(self::rid_table() => true, $wpdb->options => true);
            foreach (array_keys($tables) as $table) {
                $n += (int) $wpdb->query($wpdb->prepare("DELETE FROM {$table} WHERE option_name LIKE %s AND option_name <> %s", $like, $keep));
            }
            wp_cache_delete(WP403_Agent_Journal::OPTION, 'options');
            if (function_exists('is_multisite') && is_multisite()) {
                $n += (int) $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s", $like));
            }
            return $n;
        }

        /** start installs the hooks of a signed request. */
        private function start()
        {
            $this->auth = $this->transport();
            foreach (self::WRAPPED as $hook) {
                add_filter($hook, array($this, 'arm'), PHP_INT_MIN, 1);
            }
            add_filter('rest_endpoints', array($this, 'wrap_handlers'), PHP_INT_MAX, 1);
            foreach (array('wp_die_handler', 'wp_die_json_handler', 'wp_die_jsonp_handler', 'wp_die_ajax_handler', 'wp_die_xmlrpc_handler', 'wp_die_xml_handler') as $h) {
                add_filter($h, array($this, 'wrap_die'), PHP_INT_MAX, 1);
            }
            foreach (array('malformed', 'expired', 'bad_username', 'bad_hash', 'bad_session_token', 'valid') as $what) {
                add_action('auth_cookie_' . $what, function ($a = null, $b = null) use ($what) {
                    $this->cookie_seen($what, $a, $b);
                }, PHP_INT_MAX, 2);
            }
            add_action('application_password_failed_authentication', array($this, 'app_failed'), PHP_INT_MAX, 1);
            add_action('application_password_did_authenticate', array($this, 'app_ok'), PHP_INT_MAX, 0);
            add_action('parse_request', array($this, 'dispatched'), PHP_INT_MIN, 1);
            add_action('mu_plugin_loaded', array($this, 'file_loaded'), PHP_INT_MIN, 1);
            add_action('network_plugin_loaded', array($this, 'file_loaded'), PHP_INT_MIN, 1);
            add_action('plugin_loaded', array($this, 'file_loaded'), PHP_INT_MIN, 1);
            add_filter('rest_pre_echo_response', array($this, 'before_echo'), PHP_INT_MAX, 1);
            add_filter('rest_post_dispatch', array($this, 'matched'), PHP_INT_MAX, 1);
            header_register_callback(array($this, 'emit'));
            register_shutdown_function(array($this, 'emit'));
            if ($this->journal) {
                return;
            }
            add_action('after_setup_theme', array($this, 'theme_loaded'), PHP_INT_MIN, 0);
            foreach (self::LIFECYCLE as $hook) {
                add_action($hook, array($this, 'arm_around'), PHP_INT_MIN, 0);
            }
            add_action('all', array($this, 'fired'), PHP_INT_MIN, 1);
            $this->diff('');
        }

        /** transport records which authentication inputs reached PHP: names, never values. */
        private function transport()
        {
            $seen = array();
            foreach (array('HTTP_AUTHORIZATION', 'REDIRECT_HTTP_AUTHORIZATION', 'PHP_AUTH_USER', 'PHP_AUTH_PW') as $name) {
                if (isset($_SERVER[$name]) && $_SERVER[$name] !== '') {
                    $seen[] = $name;
                }
            }
            $scheme = '';
            foreach (array('HTTP_AUTHORIZATION', 'REDIRECT_HTTP_AUTHORIZATION') as $name) {
                if ($scheme === '' && isset($_SERVER[$name]) && preg_match('/^([A-Za-z]{1,20})\s/', (string) $_SERVER[$name], $m)) {
                    $scheme = strtolower($m[1]);
                }
            }
            return array(
                'php_saw' => $seen,
                'scheme' => in_array($scheme, array('basic', 'bearer', 'digest', 'negotiate'), true) ? $scheme : ($scheme === '' ? '' : 'other'),
                'nonce_sent' => isset($_REQUEST['_wpnonce']) || isset($_SERVER['HTTP_X_WP_NONCE']),
            );
        }

        /** arm wraps every callback of the hook being run, once, so their effect can be seen. */
        public function arm($value)
        {
            $hook = current_filter();
            if (!isset($GLOBALS['wp_filter'][$hook]) || !is_object($GLOBALS['wp_filter'][$hook])) {
                return $value;
            }
            $wp_hook = $GLOBALS['wp_filter'][$hook];
            foreach ($wp_hook->callbacks as $priority => $callbacks) {
                foreach ($callbacks as $id => $cb) {
                    $fn = $cb['function'];
                    if ($fn instanceof WP403_Agent_Call || (is_array($fn) && isset($fn[0]) && $fn[0] === $this)) {
                        continue;
                    }
                    $wp_hook->callbacks[$priority][$id]['function'] = new WP403_Agent_Call($this, $hook, $priority, $fn, $id);
                }
            }
            return $value;
        }

        /** arm_around wraps the callbacks of a lifecycle action so the callbacks each one registers are attributed to it. */
        public function arm_around()
        {
            $hook = current_filter();
            $this->arm(null);
            if (isset($GLOBALS['wp_filter'][$hook]) && is_object($GLOBALS['wp_filter'][$hook])) {
                foreach ($GLOBALS['wp_filter'][$hook]->callbacks as $priority => $callbacks) {
                    foreach ($callbacks as $id => $cb) {
                        if ($cb['function'] instanceof WP403_Agent_Call) {
                            $cb['function']->around = true;
                        }
                    }
                }
            }
        }

        /** around runs one lifecycle callback and attributes what it registered to the callback's file (unless core). */
        public function around($fn, array $args)
        {
            $this->diff('');
            $out = call_user_func_array($fn, $args);
            list($file) = self::callable_file($fn);
            $this->diff($file !== '' && !self::is_core($file) ? $file : '');
            return $out;
        }

        /** is_core tells a WordPress core file (wp-includes, wp-admin) without reading plugin headers. */
        private static function is_core($file)
        {
            $f = wp_normalize_path($file);
            foreach (array(ABSPATH . WPINC, ABSPATH . 'wp-admin') as $dir) {
                if (strpos($f, rtrim(wp_normalize_path($dir), '/') . '/') === 0) {
                    return true;
                }
            }
            return false;
        }

        /** diff records the hook table's new callbacks, owned by $file ('' for no owner). */
        private function diff($file)
        {
            if ($this->journal || !isset($GLOBALS['wp_filter']) || !is_array($GLOBALS['wp_filter'])) {
                return;
            }
            $file = $file === '' ? '' : wp_normalize_path($file);
            foreach ($GLOBALS['wp_filter'] as $hook => $wp_hook) {
                if (!is_object($wp_hook) || !isset($wp_hook->callbacks)) {
                    continue;
                }
                foreach ($wp_hook->callbacks as $priority => $callbacks) {
                    foreach ($callbacks as $id => $unused) {
                        $key = $hook . '|' . $priority . '|' . $id;
                        if (!isset($this->seen[$key])) {
                            $this->seen[$key] = true;
                            if ($file !== '') {
                                $this->owners[$key] = $file;
                            }
                        }
                    }
                }
            }
        }

        /** fired notes the hook WordPress is running (the 'all' hook), to say how far a request got. */
        public function fired($hook)
        {
            if (!$this->emitted && is_string($hook) && $hook !== 'shutdown' && $hook !== 'gettext' && strpos($hook, 'gettext_') !== 0) {
                $this->last_hook = $hook;
            }
        }

        /** theme_loaded attributes what the theme's functions.php registered to it. */
        public function theme_loaded()
        {
            foreach (array(get_stylesheet_directory(), get_template_directory()) as $dir) {
                if (is_file($dir . '/functions.php')) {
                    $this->diff($dir . '/functions.php');
                    return;
                }
            }
        }

        /** observe is called by every wrapped callback with its input and output. */
        public function observe($hook, $priority, $fn, $in, $out, $id = null)
        {
            switch ($hook) {
                case 'determine_current_user':
                    if ($out !== $in) {
                        $this->auth['determined_by'] = self::callable_name($fn);
                    }
                    return;
                case 'rest_endpoints':
                    $this->endpoints_changed($fn, $in, $out, $priority, $id);
                    return;
                case 'wp_is_application_passwords_available':
                case 'wp_is_application_passwords_available_for_user':
                    if ($in && !$out) {
                        $this->auth['app_passwords_disabled_by'] = $this->where($fn, $hook, $priority, $id);
                    }
                    return;
                case 'wp_authenticate_application_password_errors':
                    if (is_wp_error($in) && !$in->has_errors() && is_wp_error($out) && $out->has_errors()) {
                        $this->refused($fn, $hook, $priority, $out, $id);
                    }
                    return;
            }
            $was = self::outcome($in);
            $now = self::outcome($out);
            if ($now !== null && $now !== $was && ($was === null || $was['status'] < 400 || $was['code'] !== $now['code'])) {
                if ($now['status'] >= 400 || $now['code'] !== '') {
                    $this->refused($fn, $hook, $priority, $out, $id);
                }
            }
        }

        /** outcome reduces a hook value to {code, status}, or null when it decides nothing. */
        public static function outcome($v)
        {
            if (is_wp_error($v)) {
                $data = $v->get_error_data();
                $status = is_array($data) && isset($data['status']) ? (int) $data['status'] : 500;
                return array('code' => (string) $v->get_error_code(), 'status' => $status);
            }
            if ($v instanceof WP_HTTP_Response) {
                $data = $v->get_data();
                $code = is_array($data) && isset($data['code']) && is_string($data['code']) && $v->get_status() >= 400 ? $data['code'] : '';
                return array('code' => $code, 'status' => (int) $v->get_status());
            }
            return null;
        }

        /** refused records that a callback turned the request into an error. */
        public function refused($fn, $hook, $priority, $result, $id = null)
        {
            $o = self::outcome($result);
            $e = $this->where($fn, $hook, $priority, $id);
            $e['code'] = $o ? $o['code'] : '';
            $e['status'] = $o ? $o['status'] : 0;
            if ($this->refusal === null) {
                $this->refusal = $e;
            }
            $this->event($e);
        }

        private function event(array $e)
        {
            if (count($this->events) < self::MAX_EVENTS) {
                $this->events[] = $e;
            }
        }

        /** endpoints_changed notes routes a rest_endpoints callback removed that match this request. */
        private function endpoints_changed($fn, $in, $out, $priority = null, $id = null)
        {
            if (!is_array($in) || !is_array($out)) {
                return;
            }
            foreach (array_keys(array_diff_key($in, $out)) as $pattern) {
                if (is_string($pattern) && @preg_match('@^' . $pattern . '$@i', $this->route)) {
                    $e = $this->where($fn, 'rest_endpoints', $priority, $id);
                    $e['removed'] = $pattern;
                    $this->removed[$pattern] = $e;
                }
            }
        }

        /** wrap_handlers wraps the permission_callback and callback of the routes this request can match. */
        public function wrap_handlers($endpoints)
        {
            if (!is_array($endpoints)) {
                return $endpoints;
            }
            foreach ($endpoints as $pattern => $handlers) {
                if (!is_string($pattern) || !is_array($handlers) || !@preg_match('@^' . $pattern . '$@i', $this->route)) {
                    continue;
                }
                $single = isset($handlers['callback']);
                $list = $single ? array($handlers) : $handlers;
                foreach ($list as $i => $h) {
                    if (!is_int($i)) {
                        continue;
                    }
                    foreach (array('permission_callback', 'callback') as $field) {
                        if (is_array($h) && isset($h[$field]) && !($h[$field] instanceof WP403_Agent_Call)) {
                            $list[$i][$field] = new WP403_Agent_Call($this, $field, $pattern, $h[$field]);
                        }
                    }
                }
                $endpoints[$pattern] = $single ? $list[0] : $list;
            }
            return $endpoints;
        }

        /** handler_called records a permission_callback or callback result (not the Allow header's re-checks). */
        public function handler_called($field, $pattern, $fn, $out)
        {
            if (doing_filter('rest_post_dispatch')) {
                return;
            }
            if ($field === 'permission_callback') {
                $p = $this->where($fn, 'permission_callback', null);
                $p['route'] = $pattern;
                $p['result'] = is_wp_error($out) ? 'error' : ($out === true ? 'true' : (is_bool($out) || $out === null ? 'false' : 'truthy'));
                $this->permission = $p;
                if ($out === true || (!is_wp_error($out) && $out)) {
                    return;
                }
                $result = is_wp_error($out) ? $out : new WP_Error('rest_forbidden', '', array('status' => rest_authorization_required_code()));
                $this->refused($fn, 'permission_callback', null, $result);
                return;
            }
            $o = self::outcome($out);
            if ($o !== null && $o['status'] >= 400) {
                $this->refused($fn, 'callback', null, $out);
            }
        }

        /** wrap_die puts a recorder in front of the wp_die handler WordPress chose. */
        public function wrap_die($handler)
        {
            if ($handler instanceof WP403_Agent_Call || !is_callable($handler)) {
                return $handler;
            }
            return new WP403_Agent_Call($this, current_filter(), null, $handler);
        }

        /** died records who called wp_die(), from the stack (without arguments). */
        public function died($args)
        {
            $frames = debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS, 40);
            $at = null;
            foreach ($frames as $i => $f) {
                if (isset($f['function']) && $f['function'] === 'wp_die' && !isset($f['class'])) {
                    $at = $i;
                    break;
                }
            }
            if ($at === null) {
                return;
            }
            $call = $frames[$at];
            for ($i = $at; $i < count($frames) - 1; $i++) {
                if (isset($frames[$i]['file']) && self::component($frames[$i]['file'])['type'] !== 'core') {
                    $call = $frames[$i];
                    $at = $i;
                    break;
                }
            }
            $caller = isset($frames[$at + 1]) ? $frames[$at + 1] : array();
            $name = isset($caller['function']) ? (isset($caller['class']) ? $caller['class'] . '::' : '') . $caller['function'] : '(file)';
            $file = isset($call['file']) ? $call['file'] : '';
            $stack = isset($GLOBALS['wp_current_filter']) && is_array($GLOBALS['wp_current_filter']) ? $GLOBALS['wp_current_filter'] : array();
            $status = 500;
            if (isset($args[2]) && is_array($args[2]) && isset($args[2]['response'])) {
                $status = (int) $args[2]['response'];
            } elseif (isset($args[2]) && is_int($args[2])) {
                $status = $args[2];
            }
            $code = 'wp_die';
            if (isset($args[0]) && is_wp_error($args[0])) {
                $code = (string) $args[0]->get_error_code();
            }
            $e = array('hook' => 'wp_die_handler', 'during' => $stack ? (string) end($stack) : '', 'callable' => $name,
                'file' => self::rel($file), 'line' => isset($call['line']) ? (int) $call['line'] : 0,
                'component' => self::component($file), 'code' => $code, 'status' => $status);
            if ($this->refusal === null) {
                $this->refusal = $e;
            }
            $this->event($e);
        }

        public function file_loaded($file)
        {
            if (is_string($file)) {
                $this->diff($file);
                $this->loaded[] = wp_normalize_path($file);
                $this->last_loaded = wp_normalize_path($file);
            }
        }

        /** progress says how far WordPress got: the last stage reached, plugin file loaded and hook fired. */
        private function progress()
        {
            $stage = 'mu-plugins';
            foreach (array('muplugins_loaded' => 'plugins', 'plugins_loaded' => 'theme', 'after_setup_theme' => 'init', 'wp_loaded' => 'routing', 'parse_request' => 'rest', 'rest_api_init' => 'rest') as $action => $next) {
                if (did_action($action)) {
                    $stage = $next;
                }
            }
            if ($this->served) {
                $stage = 'served';
            }
            return array('stage' => $stage, 'last_loaded' => self::rel($this->last_loaded), 'last_hook' => $this->last_hook);
        }

        public function cookie_seen($what, $a, $b)
        {
            $scheme = is_array($a) && isset($a['scheme']) ? $a['scheme'] : (is_string($b) ? $b : '');
            if ($scheme !== 'logged_in') {
                return;
            }
            if ($what === 'malformed' && ($a === '' || $a === null)) {
                $what = 'none';
            }
            $this->auth['cookie'] = $what;
            if ($what === 'valid' && $b instanceof WP_User) {
                $this->cookie = array('uid' => (int) $b->ID, 'token' => isset($a['token']) ? (string) $a['token'] : '');
            }
        }

        public function app_failed($error)
        {
            $this->auth['app_password'] = array('result' => 'failed', 'code' => is_wp_error($error) ? (string) $error->get_error_code() : '');
        }

        public function app_ok()
        {
            $this->auth['app_password'] = array('result' => 'ok');
        }

        public function before_echo($result)
        {
            $this->served = true;
            if (is_array($result) && isset($result['code']) && is_string($result['code'])) {
                $this->final_code = $result['code'];
            }
            $this->emit();
            return $result;
        }

        /** emit adds the trace header and Cache-Control: private, no-store, once. */
        public function emit()
        {
            if ($this->journal) {
                $this->journal_entry();
                return;
            }
            if ($this->emitted || headers_sent()) {
                return;
            }
            $this->emitted = true;
            try {
                $trace = $this->trace();
            } catch (\Throwable $e) {
                $trace = array('v' => 1, 'rid' => $this->rid, 'error' => 'trace failed');
            }
            $value = $this->encode($trace);
            header('Cache-Control: private, no-store', true);
            header('X-WP403-Trace: ' . $value, true);
        }

        /** matched keeps the route template WordPress matched (for the journal). */
        public function matched($response)
        {
            if ($response instanceof WP_REST_Response) {
                $this->matched = (string) $response->get_matched_route();
            }
            return $response;
        }

        /**
         * journal_entry records a refused request of real traffic: a 401, 403 or 404 the REST server sent
         * with an error code, or a request that stopped while plugins loaded. A request that succeeds
         * returns on the first test, without a query.
         */
        private function journal_entry()
        {
            $status = http_response_code();
            $early = !did_action('plugins_loaded');
            if ($this->emitted || (!$early && !in_array($status, array(401, 403, 404), true))) {
                return;
            }
            $this->emitted = true;
            if (!$early && !($this->served && $this->final_code !== '')) {
                return;
            }
            try {
                $t = $this->trace();
            } catch (\Throwable $e) {
                return;
            }
            $r = isset($t['refusal']) ? $t['refusal'] : array();
            $a = $t['auth'];
            $kind = 'none';
            if ($a['php_saw']) {
                $kind = $a['scheme'] === 'basic' ? 'application-password' : 'other-header';
            } elseif ($a['cookie_sent']) {
                $kind = 'cookie';
            }
            $e = array('t' => time(), 'method' => $this->method, 'route' => $this->template(), 'status' => (int) $status,
                'code' => isset($r['code']) && $r['code'] !== '' ? $r['code'] : $this->final_code, 'auth' => $kind,
                'role' => $a['roles'] ? (string) $a['roles'][0] : '', 'stopped' => $early ? 'plugin load' : '');
            foreach (array('hook', 'callable', 'file', 'added_by', 'component') as $k) {
                if (isset($r[$k])) {
                    $e['by'][$k] = $r[$k];
                }
            }
            if (defined('WP403_AGENT_JOURNAL_IPS') && WP403_AGENT_JOURNAL_IPS && isset($_SERVER['REMOTE_ADDR'])) {
                $e['ip'] = self::clean($_SERVER['REMOTE_ADDR'], 45);
            }
            register_shutdown_function(array('WP403_Agent_Journal', 'add'), $e);
        }

        /** template is the matched route pattern, or the route with numbers replaced (never the query). */
        private function template()
        {
            if ($this->matched !== '') {
                return self::clean($this->matched, 200);
            }
            return self::clean((string) preg_replace('#/[0-9]+(?=/|$)#', '/{n}', $this->route), 200);
        }

        /** encode serialises, shrinks to the size cap, and authenticates the trace for this request id. */
        private function encode(array $trace)
        {
            array_walk_recursive($trace, function (&$v) {
                if (is_string($v)) {
                    $v = self::clean($v, 200);
                }
            });
            $steps = array('events', 'removed', 'permission');
            do {
                $json = wp_json_encode($trace, JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR);
                $b64 = rtrim(strtr(base64_encode((string) $json), '+/', '-_'), '=');
                if (strlen($b64) <= self::MAX_HEADER) {
                    break;
                }
                $trace['truncated'] = true;
                $drop = array_shift($steps);
                if ($drop === null) {
                    $trace = array('v' => 1, 'rid' => $this->rid, 'truncated' => true);
                    $steps = array();
                    continue;
                }
                unset($trace[$drop]);
            } while (true);
            return 'v1.' . $b64 . '.' . hash_hmac('sha256', "wp403-trace/v1\n" . $this->rid . "\n" . $b64, $this->key);
        }

        /** trace is what the response reports. */
        private function trace()
        {
            $status = http_response_code();
            $t = array('v' => 1, 'agent' => self::VERSION, 'rid' => $this->rid, 'method' => $this->method, 'route' => $this->route,
                'status' => is_int($status) ? $status : 0, 'wp' => isset($GLOBALS['wp_version']) ? (string) $GLOBALS['wp_version'] : '');
            $refusal = $this->refusal;
            if ($refusal === null && $this->removed) {
                $refusal = reset($this->removed);
                $refusal['code'] = 'rest_no_route';
                $refusal['status'] = 404;
            }
            if ($refusal === null && $t['status'] >= 400 && $this->served) {
                $refusal = array('hook' => 'dispatch', 'callable' => 'WP_REST_Server->dispatch', 'file' => 'wp-includes/rest-api/class-wp-rest-server.php',
                    'line' => 0, 'component' => self::component(ABSPATH . WPINC . '/rest-api/class-wp-rest-server.php'), 'code' => $this->final_code, 'status' => $t['status']);
            }
            if ($refusal === null && $t['status'] >= 400) {
                $refusal = $this->early_exit();
            }
            if ($refusal !== null) {
                $t['refusal'] = $refusal;
            }
            $t['auth'] = $this->auth_state();
            $t['progress'] = $this->progress();
            if ($this->permission !== null) {
                $t['permission'] = $this->permission;
            }
            if ($this->removed) {
                $t['removed'] = array_values($this->removed);
            }
            if ($this->events) {
                $t['events'] = $this->events;
            }
            return $t;
        }

        /** early_exit names code that answered before WordPress routed the request (loading, or a hook that exited). */
        private function early_exit()
        {
            $e = array('hook' => '', 'callable' => '', 'file' => '', 'line' => 0, 'component' => self::component(''), 'code' => '', 'status' => http_response_code());
            foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS, 40) as $i => $f) {
                if (isset($f['file']) && $f['file'] !== __FILE__ && self::component($f['file'])['type'] !== 'core') {
                    $e['hook'] = 'output';
                    $e['file'] = self::rel($f['file']);
                    $e['line'] = isset($f['line']) ? (int) $f['line'] : 0;
                    $e['component'] = self::component($f['file']);
                    break;
                }
            }
            $stack = isset($GLOBALS['wp_current_filter']) && is_array($GLOBALS['wp_current_filter']) ? $GLOBALS['wp_current_filter'] : array();
            if ($stack) {
                $e['during'] = (string) end($stack);
            }
            $loading = $this->loading_file();
            if ($loading !== '') {
                $e['during'] = did_action('muplugins_loaded') ? 'plugin load' : 'mu-plugin load';
                if ($e['file'] === '') {
                    $e['hook'] = 'load';
                    $e['file'] = self::rel($loading);
                    $e['component'] = self::component($loading);
                }
            }
            return $e['file'] === '' && !$stack ? null : $e;
        }

        /** loading_file is the plugin file being loaded when the response started, or ''. */
        private function loading_file()
        {
            if (!did_action('muplugins_loaded')) {
                $files = function_exists('wp_get_mu_plugins') ? wp_get_mu_plugins() : array();
            } elseif (!did_action('plugins_loaded')) {
                $files = function_exists('wp_get_active_and_valid_plugins') ? wp_get_active_and_valid_plugins() : array();
            } else {
                return '';
            }
            foreach ($files as $f) {
                $f = wp_normalize_path($f);
                if (!in_array($f, $this->loaded, true) && $f !== wp_normalize_path(__FILE__)) {
                    return $f;
                }
            }
            return '';
        }

        /** auth_state reports authentication as WordPress saw it, without any secret. */
        private function auth_state()
        {
            $a = $this->auth;
            $a['cookie_sent'] = false;
            foreach (array_keys($_COOKIE) as $name) {
                $a['cookie_sent'] = $a['cookie_sent'] || (defined('LOGGED_IN_COOKIE') ? $name === LOGGED_IN_COOKIE : strpos((string) $name, 'wordpress_logged_in_') === 0);
            }
            if (!isset($a['cookie'])) {
                $a['cookie'] = $a['cookie_sent'] ? 'not-checked' : 'none';
            }
            if (!isset($a['app_password'])) {
                $a['app_password'] = array('result' => in_array('PHP_AUTH_USER', $a['php_saw'], true) ? 'not-tried' : 'no-credentials');
            }
            $a['nonce'] = $a['nonce_sent'] ? $this->nonce_result() : null;
            $a['ssl'] = is_ssl();
            $a['environment'] = function_exists('wp_get_environment_type') ? wp_get_environment_type() : '';
            if (function_exists('wp_is_application_passwords_available')) {
                $a['app_passwords_available'] = (bool) wp_is_application_passwords_available();
                $a['app_passwords_in_use'] = class_exists('WP_Application_Passwords') && WP_Application_Passwords::is_in_use();
                $why = array();
                if (!wp_is_application_passwords_supported()) {
                    $why[] = 'not-https-and-not-local';
                }
                if (wp_is_application_passwords_supported() && !$a['app_passwords_available']) {
                    $why[] = 'filtered';
                }
                if (!$a['app_passwords_in_use']) {
                    $why[] = 'none-created';
                }
                $a['app_passwords_why_not'] = $why;
            }
            $user = isset($GLOBALS['current_user']) && $GLOBALS['current_user'] instanceof WP_User ? $GLOBALS['current_user'] : null;
            $a['user_determined'] = $user !== null;
            $a['user_id'] = $user ? (int) $user->ID : 0;
            $a['roles'] = $user ? array_values(array_map('strval', (array) $user->roles)) : array();
            if ($this->stripped) {
                $a['stripped'] = $this->stripped;
            }
            return $a;
        }

        /** nonce_result is wp_verify_nonce's answer for the wp_rest nonce sent (0, 1 or 2), computed without firing its failure action. */
        private function nonce_result()
        {
            $nonce = isset($_REQUEST['_wpnonce']) ? $_REQUEST['_wpnonce'] : (isset($_SERVER['HTTP_X_WP_NONCE']) ? $_SERVER['HTTP_X_WP_NONCE'] : '');
            if (!is_string($nonce) || $nonce === '' || !function_exists('wp_hash')) {
                return 0;
            }
            $uid = $this->cookie ? $this->cookie['uid'] : (int) apply_filters('nonce_user_logged_out', 0, 'wp_rest');
            $token = $this->cookie ? $this->cookie['token'] : '';
            $tick = wp_nonce_tick('wp_rest');
            foreach (array(1 => $tick, 2 => $tick - 1) as $result => $i) {
                if (hash_equals(substr(wp_hash($i . '|wp_rest|' . $uid . '|' . $token, 'nonce'), -12, 10), $nonce)) {
                    return $result;
                }
            }
            return 0;
        }

        /** where describes a callable: its name, file, line and component. */
        public function where($fn, $hook, $priority, $id = null)
        {
            list($file, $line) = self::callable_file($fn);
            $e = array('hook' => $hook, 'callable' => self::callable_name($fn), 'file' => self::rel($file), 'line' => $line,
                'component' => self::component($file));
            $key = $hook . '|' . $priority . '|' . $id;
            if ($id !== null && isset($this->owners[$key]) && in_array($e['component']['type'], array('core', 'unknown'), true)) {
                $e['added_by'] = self::rel($this->owners[$key]);
                $e['component'] = self::component($this->owners[$key]);
            }
            if ($priority !== null) {
                $e['priority'] = (int) $priority;
            }
            return $e;
        }

        public static function callable_name($fn)
        {
            if ($fn instanceof WP403_Agent_Call) {
                $fn = $fn->fn;
            }
            if (is_string($fn)) {
                return $fn;
            }
            if (is_array($fn) && count($fn) === 2 && is_string($fn[1])) {
                return is_object($fn[0]) ? get_class($fn[0]) . '->' . $fn[1] : (string) $fn[0] . '::' . $fn[1];
            }
            if ($fn instanceof Closure) {
                return 'Closure';
            }
            return is_object($fn) ? get_class($fn) . '->__invoke' : '(unknown)';
        }

        /** callable_file finds where a callable is defined, by reflection. */
        public static function callable_file($fn)
        {
            try {
                if (is_string($fn) && strpos($fn, '::') !== false) {
                    $fn = explode('::', $fn, 2);
                }
                if (is_array($fn) && count($fn) === 2) {
                    $r = new ReflectionMethod($fn[0], $fn[1]);
                } elseif ($fn instanceof Closure || is_string($fn)) {
                    $r = new ReflectionFunction($fn);
                } elseif (is_object($fn)) {
                    $r = new ReflectionMethod($fn, '__invoke');
                } else {
                    return array('', 0);
                }
                return array((string) $r->getFileName(), (int) $r->getStartLine());
            } catch (\Throwable $e) {
                return array('', 0);
            }
        }

        /** rel shows a file relative to the WordPress root ("wp-content/plugins/acme/acme.php"). */
        public static function rel($file)
        {
            if (!is_string($file) || $file === '') {
                return '';
            }
            $file = wp_normalize_path($file);
            $content = wp_normalize_path(WP_CONTENT_DIR) . '/';
            if (strpos($file, $content) === 0) {
                return 'wp-content/' . substr($file, strlen($content));
            }
            $root = wp_normalize_path(ABSPATH);
            if (strpos($file, $root) === 0) {
                return substr($file, strlen($root));
            }
            return basename($file);
        }

        /** component maps a file to plugin / mu-plugin / theme / core, with the plugin header's name and version. */
        public static function component($file)
        {
            $c = array('type' => 'unknown', 'slug' => '', 'name' => '', 'version' => '');
            if (!is_string($file) || $file === '') {
                return $c;
            }
            $file = wp_normalize_path($file);
            $dirs = array(
                'mu-plugin' => defined('WPMU_PLUGIN_DIR') ? WPMU_PLUGIN_DIR : '',
                'plugin' => defined('WP_PLUGIN_DIR') ? WP_PLUGIN_DIR : '',
                'theme' => function_exists('get_theme_root') && did_action('setup_theme') ? get_theme_root() : WP_CONTENT_DIR . '/themes',
                'core' => ABSPATH . WPINC,
                'core-admin' => ABSPATH . 'wp-admin',
                'other' => WP_CONTENT_DIR,
            );
            foreach ($dirs as $type => $dir) {
                $dir = wp_normalize_path((string) $dir);
                if ($dir === '' || strpos($file, rtrim($dir, '/') . '/') !== 0) {
                    continue;
                }
                $c['type'] = $type === 'core-admin' ? 'core' : $type;
                $sub = substr($file, strlen(rtrim($dir, '/')) + 1);
                $slug = strtok($sub, '/');
                if ($c['type'] === 'plugin' || $c['type'] === 'mu-plugin' || $c['type'] === 'theme') {
                    $c['slug'] = preg_replace('/\.php$/', '', (string) $slug);
                    list($c['name'], $c['version']) = self::header_of($type, rtrim($dir, '/'), (string) $slug, $file);
                }
                if ($c['type'] === 'core') {
                    $c['name'] = 'WordPress';
                    $c['version'] = isset($GLOBALS['wp_version']) ? (string) $GLOBALS['wp_version'] : '';
                }
                return $c;
            }
            if (strpos($file, wp_normalize_path(ABSPATH)) === 0) {
                $c['type'] = 'core';
                $c['name'] = 'WordPress';
            }
            return $c;
        }

        /** header_of reads Name and Version from the plugin or theme header. */
        private static function header_of($type, $dir, $slug, $file)
        {
            static $seen = array();
            $key = $type . '|' . $dir . '|' . $slug;
            if (!isset($seen[$key])) {
                $seen[$key] = self::read_header($type, $dir, $slug, $file);
            }
            return $seen[$key];
        }

        /** read_header reads Name and Version from the plugin or theme files. */
        private static function read_header($type, $dir, $slug, $file)
        {
            $want = array('name' => $type === 'theme' ? 'Theme Name' : 'Plugin Name', 'version' => 'Version');
            if ($type === 'theme') {
                $candidates = array("$dir/$slug/style.css");
            } elseif (substr($slug, -4) === '.php') {
                $candidates = array("$dir/$slug");
            } else {
                $candidates = array_merge(array($file), array_slice((array) glob("$dir/$slug/*.php"), 0, 20));
            }
            foreach ($candidates as $f) {
                if (is_string($f) && is_file($f)) {
                    $h = get_file_data($f, $want);
                    if ($h['name'] !== '') {
                        return array(self::clean($h['name']), self::clean($h['version']));
                    }
                }
            }
            return array('', '');
        }

        /** clean keeps printable ASCII only, capped. */
        public static function clean($s, $max = 100)
        {
            return substr((string) preg_replace('/[^\x20-\x7e]/', '', (string) $s), 0, $max);
        }
    }

    /** A recorder put in place of a callback: it calls the original and reports what it did. */
    final class WP403_Agent_Call
    {
        public $fn;
        /** @var bool a lifecycle callback: what it registers is attributed to it */
        public $around = false;
        private $agent;
        private $hook;
        private $priority;
        private $id;

        public function __construct(WP403_Agent $agent, $hook, $priority, $fn, $id = null)
        {
            $this->agent = $agent;
            $this->hook = $hook;
            $this->priority = $priority;
            $this->fn = $fn;
            $this->id = $id;
        }

        public function __invoke(...$args)
        {
            if ($this->around) {
                return $this->agent->around($this->fn, $args);
            }
            if (strpos((string) $this->hook, 'wp_die_') === 0) {
                $this->agent->died($args);
                return call_user_func_array($this->fn, $args);
            }
            $in = isset($args[0]) ? $args[0] : null;
            $out = call_user_func_array($this->fn, $args);
            if ($this->hook === 'permission_callback' || $this->hook === 'callback') {
                $this->agent->handler_called($this->hook, $this->priority, $this->fn, $out);
            } else {
                $this->agent->observe($this->hook, $this->priority, $this->fn, $in, $out, $this->id);
            }
            return $out;
        }
    }

    /**
     * The refusal journal: an opt-in ring of the REST refusals of real traffic, in one option
     * (autoload off), written only when a request is refused. define('WP403_AGENT_JOURNAL', true)
     * (or a number of entries) turns it on; define('WP403_AGENT_JOURNAL_IPS', true) adds client IPs.
     */
    final class WP403_Agent_Journal
    {
        const OPTION = 'wp403_agent_journal';
        const DEFAULT_SIZE = 200;
        const MAX_SIZE = 1000;
        const MAX_BYTES = 131072;
        const TTL = 604800;
        const DOMAIN = 'wp403-agent';

        public static function enabled()
        {
            return defined('WP403_AGENT_JOURNAL') && WP403_AGENT_JOURNAL;
        }

        private static function size()
        {
            $n = is_int(WP403_AGENT_JOURNAL) ? WP403_AGENT_JOURNAL : self::DEFAULT_SIZE;
            return max(1, min(self::MAX_SIZE, $n));
        }

        /** read returns the entries younger than the TTL, oldest first. */
        public static function read()
        {
            if (!self::enabled()) {
                return array();
            }
            $j = get_option(self::OPTION, array());
            $cut = time() - self::TTL;
            return array_values(array_filter(is_array($j) ? $j : array(), function ($e) use ($cut) {
                return is_array($e) && isset($e['t']) && (int) $e['t'] >= $cut;
            }));
        }

        /** add appends an entry, keeping the newest within the entry count and the byte cap. */
        public static function add(array $e)
        {
            $j = self::read();
            $j[] = $e;
            $j = array_slice($j, -self::size());
            while (count($j) > 1 && strlen((string) wp_json_encode($j)) > self::MAX_BYTES) {
                array_shift($j);
            }
            update_option(self::OPTION, $j, false);
        }

        /** register adds the Site Health test. */
        public static function register($tests)
        {
            if (is_array($tests)) {
                $tests['direct']['wp403_rest_refusals'] = array(
                    'label' => __('REST API refusals in the last 24 hours', self::DOMAIN),
                    'test' => array('WP403_Agent_Journal', 'site_health'),
                );
            }
            return $tests;
        }

        /** site_health is the Site Health test: which code refused which route for which kind of client. */
        public static function site_health()
        {
            $result = array('test' => 'wp403_rest_refusals', 'status' => 'good', 'badge' => array('label' => __('Security'), 'color' => 'blue'),
                'label' => __('No REST API refusals in the last 24 hours', self::DOMAIN), 'description' => '', 'actions' => '');
            if (!current_user_can('view_site_health_checks')) {
                return $result;
            }
            $groups = self::groups(time() - 86400);
            $result['description'] = '<p>' . esc_html__('The wp403 agent records REST API requests that WordPress or a plugin refused (401, 403, 404 with an error code) and requests that stopped while plugins loaded. Requests refused before WordPress (CDN, firewall, web server) are not seen here.', self::DOMAIN) . '</p>';
            $result['actions'] = '<p>' . sprintf(
                /* translators: %s: a command line */
                esc_html__('To see what happens before WordPress, run %s on your computer.', self::DOMAIN),
                '<code>' . esc_html('wp403 diagnose ' . home_url('/')) . '</code>'
            ) . '</p>';
            if (!$groups) {
                return $result;
            }
            $result['status'] = 'recommended';
            $result['label'] = __('REST API refusals in the last 24 hours', self::DOMAIN);
            $items = '';
            foreach (array_slice($groups, 0, 20) as $g) {
                $items .= '<li>' . self::describe($g) . '</li>';
            }
            $result['description'] .= '<ul>' . $items . '</ul>';
            return $result;
        }

        /** groups counts the entries since $since by who refused, route, code and client kind, most first. */
        private static function groups($since)
        {
            $out = array();
            foreach (self::read() as $e) {
                if ((int) $e['t'] < $since) {
                    continue;
                }
                $by = isset($e['by']['component']) ? $e['by']['component'] : array('type' => 'unknown', 'slug' => '', 'name' => '');
                $key = implode('|', array($by['type'], $by['slug'], $e['route'], $e['code'], $e['auth']));
                if (!isset($out[$key])) {
                    $out[$key] = array('e' => $e, 'by' => $by, 'n' => 0);
                }
                $out[$key]['n']++;
            }
            usort($out, function ($a, $b) {
                return $b['n'] - $a['n'];
            });
            return $out;
        }

        private static function describe(array $g)
        {
            $e = $g['e'];
            $by = $g['by'];
            $kinds = array('none' => __('anonymous', self::DOMAIN), 'cookie' => __('logged-in (cookie)', self::DOMAIN),
                'application-password' => __('application password', self::DOMAIN), 'other-header' => __('other Authorization header', self::DOMAIN));
            $who = $by['type'] === 'core' ? __('WordPress core', self::DOMAIN) : trim(($by['name'] !== '' ? $by['name'] : $by['slug']) . ' ' . (isset($by['version']) ? $by['version'] : ''));
            $line = sprintf(
                /* translators: 1: plugin or "WordPress core", 2: HTTP method and REST route, 3: kind of client, 4: count, 5: HTTP status, 6: error code */
                esc_html__('%1$s refused %2$s for %3$s clients %4$d time(s) (HTTP %5$d, %6$s).', self::DOMAIN),
                '<strong>' . esc_html($who === '' ? __('Unknown code', self::DOMAIN) : $who) . '</strong>',
                '<code>' . esc_html($e['method'] . ' ' . $e['route']) . '</code>',
                esc_html(isset($kinds[$e['auth']]) ? $kinds[$e['auth']] : $e['auth']),
                (int) $g['n'], (int) $e['status'], '<code>' . esc_html($e['code'] !== '' ? $e['code'] : '-') . '</code>'
            );
            if ($e['stopped'] !== '') {
                $line .= ' ' . esc_html__('The request stopped while plugins loaded.', self::DOMAIN);
            }
            return $line . ' ' . self::where_to_change($by);
        }

        /** where_to_change points to the setting to change: the plugin's own Settings link when it has one. */
        private static function where_to_change(array $by)
        {
            if ($by['type'] === 'core') {
                return esc_html__('Check the user\'s role and credentials, or the plugin that filters them.', self::DOMAIN);
            }
            if ($by['type'] === 'mu-plugin') {
                return esc_html__('It is a must-use plugin (wp-content/mu-plugins): change or remove it there.', self::DOMAIN);
            }
            if ($by['type'] !== 'plugin' || $by['slug'] === '') {
                return '';
            }
            $url = self::settings_url($by['slug']);
            if ($url !== '') {
                return sprintf(
                    /* translators: %s: link to the plugin's settings */
                    esc_html__('Allow this route for these clients in the plugin\'s own settings: %s.', self::DOMAIN),
                    '<a href="' . esc_url($url) . '">' . esc_html__('Settings', self::DOMAIN) . '</a>'
                );
            }
            return sprintf(
                /* translators: %s: link to the Plugins screen */
                esc_html__('Allow this route for these clients in the plugin\'s settings, or deactivate it on the %s screen to confirm.', self::DOMAIN),
                '<a href="' . esc_url(admin_url('plugins.php')) . '">' . esc_html__('Plugins', self::DOMAIN) . '</a>'
            );
        }

        /** settings_url finds the Settings link the plugin adds to its row on the Plugins screen. */
        private static function settings_url($slug)
        {
            if (!function_exists('get_plugins')) {
                require_once ABSPATH . 'wp-admin/includes/plugin.php';
            }
            foreach (get_plugins() as $file => $data) {
                if (strtok($file, '/') !== $slug) {
                    continue;
                }
                foreach ((array) apply_filters('plugin_action_links_' . $file, array(), $file, $data, 'all') as $link) {
                    if (is_string($link) && preg_match('/<a\s[^>]*href=["\']([^"\']+)["\'][^>]*>\s*([^<]*)</i', $link, $m) && stripos($m[2], __('Settings')) !== false) {
                        return html_entity_decode($m[1]);
                    }
                }
            }
            return '';
        }
    }

    WP403_Agent::boot();
}
