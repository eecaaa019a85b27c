<?php
/**
 * Plugin Name: Lab Private Site (wp403 lab)
 * Description: A private-site plugin: anyone not logged in is sent to the login page with wp_redirect()
 * (302, X-Redirect-By: WordPress, redirect_to = the requested URL), the shape of My Private Site's
 * jr_ps_force_login(), but decided on init so that it also covers the REST API, as private-site plugins
 * that protect REST do. Application-password requests are not logged in yet on init and are redirected too.
 */
add_action('init', 'wp403_lab_private_site', 10);

function wp403_lab_private_site() {
    if (is_user_logged_in() || is_admin() || wp_doing_ajax() || wp_doing_cron()) {
        return;
    }
    if (isset($GLOBALS['pagenow']) && $GLOBALS['pagenow'] === 'wp-login.php') {
        return;
    }
    $scheme = is_ssl() ? 'https://' : 'http://';
    $here = $scheme . $_SERVER['HTTP_HOST'] . $_SERVER['REQUEST_URI'];
    wp_redirect(wp_login_url($here));
    exit;
}
