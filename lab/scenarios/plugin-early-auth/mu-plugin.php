<?php
/**
 * Plugin Name: Lab Members Gate (wp403 lab)
 * Description: "REST API for logged-in users only", decided on init from the request URI with
 * is_user_logged_in(), the way several security and membership plugins do it. On init WordPress has not
 * resolved application passwords yet (that happens only once REST_REQUEST is defined, in parse_request),
 * so a valid application password is refused here while the browser session passes. The answer is
 * sent with wp_send_json() before the REST server runs: none of its headers, core's code and message.
 */
add_action('init', 'wp403_lab_members_gate', 10);

function wp403_lab_members_gate() {
    if (is_admin() || wp_doing_ajax() || is_user_logged_in()) {
        return;
    }
    $uri = isset($_SERVER['REQUEST_URI']) ? (string) $_SERVER['REQUEST_URI'] : '';
    $prefix = '/' . rest_get_url_prefix() . '/';
    if (strpos($uri, $prefix) !== 0 && !isset($_GET['rest_route'])) {
        return;
    }
    wp_send_json(
        ['code' => 'rest_forbidden', 'message' => __('Sorry, you are not allowed to do that.'), 'data' => ['status' => 401]],
        401
    );
}
