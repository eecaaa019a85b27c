<?php
/**
 * Plugin Name: Lab REST Guard (wp403 lab)
 * Description: Only authenticated users may use the REST API, except allow-listed namespaces;
 * behaves like the "disable REST API" family of plugins (rest_authentication_errors, priority 20).
 */
add_filter('rest_authentication_errors', 'wp403_lab_rest_guard', 20);

function wp403_lab_rest_guard($access) {
    if (is_wp_error($access) || is_user_logged_in()) {
        return $access;
    }
    $route = isset($GLOBALS['wp']->query_vars['rest_route']) ? $GLOBALS['wp']->query_vars['rest_route'] : '';
    foreach (apply_filters('wp403_lab_rest_guard_allowed', ['/contact-form-7/v1', '/oembed/1.0']) as $ns) {
        if (strpos($route, $ns) === 0) {
            return $access;
        }
    }
    $message = apply_filters('wp403_lab_rest_guard_message', 'Only authenticated users can access the REST API.');
    return new WP_Error('rest_cannot_access', $message, ['status' => rest_authorization_required_code()]);
}
