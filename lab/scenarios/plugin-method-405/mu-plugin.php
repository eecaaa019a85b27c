<?php
/**
 * Plugin Name: Lab Method Guard (wp403 lab)
 * Description: A hardening plugin that allows only GET and POST on the REST API: any other method
 * (DELETE, PUT, PATCH) is answered on rest_pre_dispatch with 405 Method Not Allowed and an Allow header
 * naming the methods it lets through. The block editor's POST with X-HTTP-Method-Override arrives as
 * DELETE in WordPress (core applies the override before rest_pre_dispatch) and is refused the same way.
 */
add_filter('rest_pre_dispatch', 'wp403_lab_method_guard', 10, 3);

function wp403_lab_method_guard($result, $server, $request) {
    if ($result !== null || in_array($request->get_method(), ['GET', 'HEAD', 'POST', 'OPTIONS'], true)) {
        return $result;
    }
    $response = new WP_REST_Response(
        ['code' => 'rest_method_not_allowed', 'message' => 'Method not allowed.', 'data' => ['status' => 405]],
        405
    );
    $response->header('Allow', 'GET, POST');
    return $response;
}
