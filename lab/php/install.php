<?php
// lab/php/install.php: installs or repairs the lab WordPress without wp-cli, then writes credentials.json.
// Usage: php install.php STATE_DIR HOST. Idempotent: existing users keep their stored passwords.
if ($argc < 3) { fwrite(STDERR, "usage: install.php STATE_DIR HOST\n"); exit(2); }
[$_, $state, $host] = $argv;
$credsFile = "$state/credentials.json";
$old = is_file($credsFile) ? (json_decode(file_get_contents($credsFile), true) ?: []) : [];

define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = $host;
$_SERVER['HTTPS'] = 'on';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

function lab_secret($n = 20) { return rtrim(strtr(base64_encode(random_bytes($n)), '+/', 'xy'), '='); }

$roles = ['administrator' => 'lab-admin', 'editor' => 'lab-editor', 'author' => 'lab-author'];
$users = [];
foreach ($roles as $role => $login) {
    $users[$role] = [
        'login' => $login,
        'password' => $old['users'][$role]['password'] ?? lab_secret(),
        'app_password' => $old['users'][$role]['app_password'] ?? '',
    ];
}

if (!is_blog_installed()) {
    $a = $users['administrator'];
    wp_install('wp403 lab', $a['login'], 'admin@' . $host, true, '', wp_slash($a['password']));
}
update_option('siteurl', "https://$host");
update_option('home', "https://$host");
update_option('blogdescription', 'WordPress REST API test lab');
update_option('permalink_structure', '/%postname%/');
update_option('default_comment_status', 'closed');
flush_rewrite_rules(false);

foreach ($roles as $role => $login) {
    $u = get_user_by('login', $login);
    $pw = $users[$role]['password'];
    if (!$u) {
        $id = wp_insert_user(['user_login' => $login, 'user_pass' => $pw, 'role' => $role,
            'user_email' => "$login@$host", 'display_name' => ucfirst($role) . ' (lab)']);
        if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
        $u = get_user_by('id', $id);
    } elseif (!wp_check_password($pw, $u->user_pass, $u->ID)) {
        wp_set_password($pw, $u->ID);
    }
    $u->set_role($role);
    $users[$role]['id'] = $u->ID;
    $users[$role]['app_password'] = lab_app_password($u->ID, $users[$role]['app_password']);
}

// lab_app_password keeps a stored application password named wp403-lab when it still verifies.
function lab_app_password($uid, $stored) {
    $valid = false;
    foreach (WP_Application_Passwords::get_user_application_passwords($uid) as $item) {
        if ($item['name'] !== 'wp403-lab') { continue; }
        $plain = preg_replace('/[^a-z\d]/i', '', $stored);
        if ($plain !== '' && !$valid && wp_check_password($plain, $item['password'])) { $valid = true; continue; }
        WP_Application_Passwords::delete_application_password($uid, $item['uuid']);
    }
    if ($valid) { return $stored; }
    $created = WP_Application_Passwords::create_new_application_password($uid, ['name' => 'wp403-lab']);
    if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message() . "\n"); exit(1); }
    return WP_Application_Passwords::chunk_password($created[0]);
}

$posts = [];
$samples = [
    'admin-post' => ['administrator', 'Hello from the administrator', 'post'],
    'editor-post' => ['editor', 'An editor writes', 'post'],
    'author-post' => ['author', 'An author writes', 'post'],
    'about' => ['administrator', 'About this lab', 'page'],
];
foreach ($samples as $slug => [$role, $title, $type]) {
    $p = get_page_by_path($slug, OBJECT, $type);
    $id = $p ? $p->ID : wp_insert_post(['post_name' => $slug, 'post_title' => $title, 'post_type' => $type,
        'post_status' => 'publish', 'post_author' => $users[$role]['id'],
        'post_content' => "<!-- wp:paragraph -->\n<p>$title. Sample content for wp403.</p>\n<!-- /wp:paragraph -->"]);
    $posts[$slug] = (int) $id;
}
// Remove leftovers from interrupted verify runs (drafts titled "wp403 lab draft").
foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => 200, 's' => 'wp403 lab draft']) as $p) {
    wp_delete_post($p->ID, true);
}

$logs = $state . '/logs';
[$baUser, $baPass] = explode(':', trim(@file_get_contents("$state/basic-auth.txt") ?: ':'), 2) + ['', ''];
$out = [
    'host' => $host,
    'edge' => '127.0.80.1',
    'origins' => ['nginx' => '127.0.81.1', 'apache' => '127.0.82.1', 'lighttpd' => '127.0.83.1'],
    'edges' => ['haproxy' => '127.0.80.1', 'trafficserver' => '127.0.84.1', 'caddy' => '127.0.85.1'],
    'ca' => "$state/tls/ca.pem",
    'state_dir' => $state,
    'users' => $users,
    'posts' => $posts,
    'basic_auth' => ['user' => $baUser, 'password' => $baPass],
    'agent_key_file' => is_file("$state/agent.key") ? "$state/agent.key" : '',
    'active_scenario' => trim(@file_get_contents("$state/active_scenario") ?: 'healthy'),
    'logs' => [
        'nginx_access' => "$logs/nginx-access.log",
        'nginx_error' => "$logs/nginx-error.log",
        'modsec_audit' => "$logs/modsec-audit.log",
        'apache_access' => "$logs/apache-access.log",
        'apache_error' => "$logs/apache-error.log",
        'apache_modsec_audit' => "$logs/apache-modsec-audit.log",
        'haproxy' => "$logs/haproxy.log",
        'php_fpm' => "$logs/php-fpm.log",
        'php_error' => "$logs/php-error.log",
        'lighttpd_access' => "$logs/lighttpd-access.log",
        'lighttpd_error' => "$logs/lighttpd-error.log",
        'trafficserver' => "$logs/trafficserver/ats-access.log",
        'caddy' => "$logs/caddy.log",
    ],
];
file_put_contents("$credsFile.tmp", json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
chmod("$credsFile.tmp", 0600);
rename("$credsFile.tmp", $credsFile);
echo "WordPress ready at https://$host\n";
