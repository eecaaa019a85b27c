<?php
/**
 * Plugin Name: Lab front-end REST app (wp403 lab)
 * Description: A theme feature that calls the REST API from front-end pages: it enqueues core's
 * wp-api-request, which prints wpApiSettings.nonce into every page. The nonce life is cut to two
 * minutes (nonce_life filter) so that a page older than that carries an expired nonce in tests.
 */
add_action('wp_enqueue_scripts', function () {
    wp_enqueue_script('wp-api-request');
});
add_filter('nonce_life', function () {
    return 120;
});
