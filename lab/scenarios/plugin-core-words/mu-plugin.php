<?php
/**
 * Plugin Name: Lab Require Login Snippet (wp403 lab)
 * Description: The REST API handbook's "require authentication for all requests" snippet, as copied into
 * many themes and plugins: on rest_authentication_errors it answers anonymous requests with core's own
 * words (rest_not_logged_in, "You are not currently logged in.", 401) on every route, public ones
 * included, where core itself would have answered 200.
 */
add_filter('rest_authentication_errors', function ($result) {
    if (true === $result || is_wp_error($result)) {
        return $result;
    }
    if (!is_user_logged_in()) {
        return new WP_Error('rest_not_logged_in', __('You are not currently logged in.'), ['status' => 401]);
    }
    return $result;
});
