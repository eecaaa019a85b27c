<?php
/**
 * Plugin Name: Lab Token Auth (wp403 lab)
 * Description: Token authentication in the manner of "JWT Authentication for WP REST API"
 * (Tmeister/wp-api-jwt-auth, public/class-jwt-auth-public.php): determine_current_user validates any
 * "Authorization: Bearer" token; a token that fails is kept and returned from rest_pre_dispatch, so the
 * request is refused (403, the plugin's jwt_auth_* code) on every route, public ones included, while the
 * same request without the header passes. HS256 with a key derived from the site's salts.
 */
add_filter('determine_current_user', 'wp403_lab_token_user', 10);
add_filter('rest_pre_dispatch', 'wp403_lab_token_error', 10, 1);

function wp403_lab_token_user($user) {
    $uri = isset($_SERVER['REQUEST_URI']) ? (string) $_SERVER['REQUEST_URI'] : '';
    $is_rest = (defined('REST_REQUEST') && REST_REQUEST) || strpos($uri, rest_get_url_prefix()) !== false;
    if ($is_rest && $user) {
        return $user;
    }
    $header = isset($_SERVER['HTTP_AUTHORIZATION']) ? (string) $_SERVER['HTTP_AUTHORIZATION'] : '';
    if ($header === '' || strpos($header, 'Bearer') !== 0) {
        return $user;
    }
    $claims = wp403_lab_token_decode(trim(substr($header, 6)));
    if (is_wp_error($claims)) {
        $GLOBALS['wp403_lab_token_error'] = $claims;
        return $user;
    }
    return (int) $claims['data']['user']['id'];
}

function wp403_lab_token_error($result) {
    $error = isset($GLOBALS['wp403_lab_token_error']) ? $GLOBALS['wp403_lab_token_error'] : null;
    return is_wp_error($error) ? $error : $result;
}

function wp403_lab_b64url($s) {
    return base64_decode(strtr($s, '-_', '+/') . str_repeat('=', (4 - strlen($s) % 4) % 4), true);
}

function wp403_lab_token_decode($token) {
    $parts = explode('.', $token);
    if (count($parts) !== 3) {
        return new WP_Error('jwt_auth_invalid_token', 'Wrong number of segments', ['status' => 403]);
    }
    $claims = json_decode((string) wp403_lab_b64url($parts[1]), true);
    if (!is_array($claims)) {
        return new WP_Error('jwt_auth_invalid_token', 'Syntax error, malformed JSON', ['status' => 403]);
    }
    $key = hash_hmac('sha256', 'wp403-lab-token', wp_salt('auth'));
    $want = hash_hmac('sha256', $parts[0] . '.' . $parts[1], $key, true);
    if (!hash_equals($want, (string) wp403_lab_b64url($parts[2]))) {
        return new WP_Error('jwt_auth_invalid_token', 'Signature verification failed', ['status' => 403]);
    }
    if (isset($claims['exp']) && time() >= (int) $claims['exp']) {
        return new WP_Error('jwt_auth_invalid_token', 'Expired token', ['status' => 403]);
    }
    if (!isset($claims['data']['user']['id'])) {
        return new WP_Error('jwt_auth_bad_request', 'User ID not found in the token', ['status' => 403]);
    }
    return $claims;
}
