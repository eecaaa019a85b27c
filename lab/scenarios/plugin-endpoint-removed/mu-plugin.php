<?php
/**
 * Plugin Name: Lab Privacy Tweaks (wp403 lab)
 * Description: Hides the users endpoints from visitors who are not logged in by removing the routes
 * (rest_endpoints), as user-enumeration protections do; the API answers 404 rest_no_route.
 */
add_filter('rest_endpoints', function ($endpoints) {
    if (is_user_logged_in()) {
        return $endpoints;
    }
    unset($endpoints['/wp/v2/users'], $endpoints['/wp/v2/users/(?P<id>[\d]+)']);
    return $endpoints;
});
