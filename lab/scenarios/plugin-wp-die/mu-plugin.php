<?php
/**
 * Plugin Name: Lab Site Hardening (wp403 lab)
 * Description: "Disallow unauthorized REST requests": on rest_api_init, anyone not logged in is stopped
 * with wp_die(), before WordPress routes the request (the pattern of all-in-one security plugins).
 */
add_action('rest_api_init', 'wp403_lab_check_rest_request', 10, 1);

function wp403_lab_check_rest_request($server) {
    $user = wp_get_current_user();
    if (!empty($user->ID)) {
        return;
    }
    $route = isset($GLOBALS['wp']->query_vars['rest_route']) ? $GLOBALS['wp']->query_vars['rest_route'] : '';
    foreach (apply_filters('wp403_lab_hardening_rest_allowed', ['/contact-form-7/v1']) as $ns) {
        if (strpos($route, $ns) === 0) {
            return;
        }
    }
    wp_die(apply_filters('wp403_lab_hardening_rest_message', 'You are not authorized to perform this action.'), 403);
}
