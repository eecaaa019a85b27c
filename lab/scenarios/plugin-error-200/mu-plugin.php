<?php
/**
 * Plugin Name: Lab User Shield (wp403 lab)
 * Description: User-enumeration protection that builds its refusal by hand: on rest_pre_dispatch it
 * returns an array shaped like a REST error ({"code","message","data":{"status":403}}) instead of a
 * WP_Error, so the REST server sends it with HTTP 200. Clients that look only at the status see success.
 */
add_filter('rest_pre_dispatch', 'wp403_lab_user_shield', 10, 3);

function wp403_lab_user_shield($result, $server, $request) {
    if ($result !== null || is_user_logged_in()) {
        return $result;
    }
    if (strpos($request->get_route(), '/wp/v2/users') !== 0) {
        return $result;
    }
    return [
        'code' => 'rest_user_cannot_view',
        'message' => __('Sorry, you are not allowed to list users.'),
        'data' => ['status' => 403],
    ];
}
