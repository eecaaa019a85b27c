<?php
/**
 * Plugin Name: Bastion Shield firewall (wp403 lab)
 * Description: A PHP firewall that runs as soon as it is loaded, before WordPress routes the request,
 * and answers a branded HTML block page with an incident id (the pattern of Wordfence-style WAFs).
 * Rule set here: REST user enumeration (/wp/v2/users and /wp/v2/users/ID, pretty or ?rest_route=).
 */
if (!defined('ABSPATH')) { exit; }

function wp403_lab_bastion_route() {
    $uri = isset($_SERVER['REQUEST_URI']) ? rawurldecode($_SERVER['REQUEST_URI']) : '';
    $path = (string) parse_url($uri, PHP_URL_PATH);
    if (strpos($path, '/wp-json/') === 0) {
        return substr($path, strlen('/wp-json'));
    }
    return isset($_GET['rest_route']) ? (string) $_GET['rest_route'] : '';
}

function wp403_lab_bastion_block($rule) {
    $incident = sprintf('%06d', random_int(0, 999999));
    $ip = isset($_SERVER['REMOTE_ADDR']) ? $_SERVER['REMOTE_ADDR'] : 'unknown';
    if (!headers_sent()) {
        http_response_code(403);
        header('Content-Type: text/html; charset=UTF-8');
        header('Cache-Control: no-store, no-cache, must-revalidate, max-age=0');
        header('X-Bastion-Incident: ' . $incident);
    }
    echo '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bastion Shield &mdash; Request blocked</title>',
        '<meta name="robots" content="noindex,nofollow"></head><body>',
        '<h1>Request blocked</h1>',
        '<p>Sorry ', htmlspecialchars($ip), ', Bastion Shield stopped this request because it matched a security rule of this site.</p>',
        '<p>Rule: ', htmlspecialchars($rule), '</p>',
        '<p>Incident ID: <strong>#', $incident, '</strong></p>',
        '<p>If you think this is a mistake, send the incident ID to the site owner.</p>',
        '<hr><p><small>Protected by Bastion Shield (wp403 lab firewall)</small></p></body></html>';
    exit;
}

if (preg_match('#^/wp/v2/users(/\d+)?/?$#', wp403_lab_bastion_route())) {
    wp403_lab_bastion_block('REST user enumeration');
}
