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
 * With one (HMAC-SHA256 with WP403_AGENT_KEY over method, REST route, timestamp and request id,
 * at most 5 minutes old, each request id once) it wraps the callbacks of the hooks that can refuse
 * a REST request and answers, on that response only, an X-WP403-Trace header naming the callback
 * that refused and what PHP and WordPress saw of authentication (header names, never values).
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

        /** boot verifies the signature header; on success it starts recording this request. */
        public static function boot()
        {
            $raw = isset($_SERVER['HTTP_X_WP403_AGENT']) ? $_SERVER['HTTP_X_WP403_AGENT'] : null;
            if (!is_string($raw) || strlen($raw) > 200 || !defined('WP403_AGENT_KEY')) {
                return;
            }
            $key = WP403_AGENT_KEY;
            if (!is_string($key) || strlen($key) < 32) {
                return;
            }
            if (!preg_match('/^v1 t=([0-9]{1,12}) id=([A-Za-z0-9._-]{8,64}) sig=([0-9a-f]{64})$/D', $raw, $m)) {
                return;
            }
            $ts = (int) $m[1];
            if (abs(time() - $ts) > self::WINDOW) {
                return;
            }
            $method = isset($_SERVER['REQUEST_METHOD']) ? strtoupper((string) $_SERVER['REQUEST_METHOD']) : '';
            $route = self::request_route();
            if ($route === null) {
                return;
            }
            $want = hash_hmac('sha256', "wp403-agent/v1\n" . $method . "\n" . $route . "\n" . $ts . "\n" . $m[2], $key);
            if (!hash_equals($want, $m[3]) || !self::claim($m[2], $ts)) {
                return;
            }
            self::$current = new self($key, $m[2], $route, $method);
            self::$current->start();
        }

        /** request_route is the REST route this request asks for, as WordPress will route it. */
        public static function request_route()
        {
            if (isset($_GET['rest_route'])) {
                $route = is_string($_GET['rest_route']) ? $_GET['rest_route'] : null;
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

        /** claim records a request id once; it returns false when the id was seen (replay). */
        private static function claim($id, $ts)
        {
            global $wpdb;
            if (!isset($wpdb) || !is_object($wpdb)) {
                return false;
            }
            $like = $wpdb->esc_like('wp403_agent_rid_') . '%';
            $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND CAST(option_value AS UNSIGNED) < %d", $like, time()));
            $name = 'wp403_agent_rid_' . hash('sha256', $id);
            $done = $wpdb->query($wpdb->prepare("INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", $name, (string) ($ts + 2 * self::WINDOW)));
            return $done === 1;
        }

        private function __construct($key, $rid, $route, $method)
        {
            $this->key = $key;
            $this->rid = $rid;
            $this->route = $route;
            $this->method = $method;
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
            add_action('mu_plugin_loaded', array($this, 'file_loaded'), PHP_INT_MAX, 1);
            add_action('plugin_loaded', array($this, 'file_loaded'), PHP_INT_MAX, 1);
            add_filter('rest_pre_echo_response', array($this, 'before_echo'), PHP_INT_MAX, 1);
            header_register_callback(array($this, 'emit'));
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
                    $wp_hook->callbacks[$priority][$id]['function'] = new WP403_Agent_Call($this, $hook, $priority, $fn);
                }
            }
            return $value;
        }

        /** observe is called by every wrapped callback with its input and output. */
        public function observe($hook, $priority, $fn, $in, $out)
        {
            switch ($hook) {
                case 'determine_current_user':
                    if ($out !== $in) {
                        $this->auth['determined_by'] = self::callable_name($fn);
                    }
                    return;
                case 'rest_endpoints':
                    $this->endpoints_changed($fn, $in, $out);
                    return;
                case 'wp_is_application_passwords_available':
                case 'wp_is_application_passwords_available_for_user':
                    if ($in && !$out) {
                        $this->auth['app_passwords_disabled_by'] = $this->where($fn, $hook, $priority);
                    }
                    return;
                case 'wp_authenticate_application_password_errors':
                    if (is_wp_error($in) && !$in->has_errors() && is_wp_error($out) && $out->has_errors()) {
                        $this->refused($fn, $hook, $priority, $out);
                    }
                    return;
            }
            $was = self::outcome($in);
            $now = self::outcome($out);
            if ($now !== null && $now !== $was && ($was === null || $was['status'] < 400 || $was['code'] !== $now['code'])) {
                if ($now['status'] >= 400 || $now['code'] !== '') {
                    $this->refused($fn, $hook, $priority, $out);
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
        public function refused($fn, $hook, $priority, $result)
        {
            $o = self::outcome($result);
            $e = $this->where($fn, $hook, $priority);
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
        private function endpoints_changed($fn, $in, $out)
        {
            if (!is_array($in) || !is_array($out)) {
                return;
            }
            foreach (array_keys(array_diff_key($in, $out)) as $pattern) {
                if (is_string($pattern) && @preg_match('@^' . $pattern . '$@i', $this->route)) {
                    $e = $this->where($fn, 'rest_endpoints', null);
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
                $this->loaded[] = wp_normalize_path($file);
            }
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
        public function where($fn, $hook, $priority)
        {
            list($file, $line) = self::callable_file($fn);
            $e = array('hook' => $hook, 'callable' => self::callable_name($fn), 'file' => self::rel($file), 'line' => $line,
                'component' => self::component($file));
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
        private $agent;
        private $hook;
        private $priority;

        public function __construct(WP403_Agent $agent, $hook, $priority, $fn)
        {
            $this->agent = $agent;
            $this->hook = $hook;
            $this->priority = $priority;
            $this->fn = $fn;
        }

        public function __invoke(...$args)
        {
            if (strpos((string) $this->hook, 'wp_die_') === 0) {
                $this->agent->died($args);
                return call_user_func_array($this->fn, $args);
            }
            $in = isset($args[0]) ? $args[0] : null;
            $out = call_user_func_array($this->fn, $args);
            if ($this->hook === 'permission_callback' || $this->hook === 'callback') {
                $this->agent->handler_called($this->hook, $this->priority, $this->fn, $out);
            } else {
                $this->agent->observe($this->hook, $this->priority, $this->fn, $in, $out);
            }
            return $out;
        }
    }

    WP403_Agent::boot();
}
