<?php
// lab/php/labctl.php: small WordPress-side helpers for labkit, run as root with php-cli.
//   draft ROLE_LOGIN   create a draft "wp403 lab draft (target)" owned by that login; prints its id
//   cleanup            delete every post/page/attachment the lab's requests created (by title)
//   options PREFIX     count the options whose name starts with PREFIX
if ($argc < 2) { fwrite(STDERR, "usage: labctl.php draft LOGIN | cleanup\n"); exit(2); }
$_SERVER['HTTP_HOST'] = 'blog.wp403.test';
$_SERVER['HTTPS'] = 'on';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require '/usr/share/wordpress/wp-load.php';

switch ($argv[1]) {
case 'draft':
    $u = get_user_by('login', $argv[2] ?? '');
    if (!$u) { fwrite(STDERR, "no such user\n"); exit(1); }
    $id = wp_insert_post(['post_title' => 'wp403 lab draft (target)', 'post_status' => 'draft',
        'post_author' => $u->ID, 'post_content' => 'Target of a lab request.'], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    echo $id, "\n";
    break;
case 'cleanup':
    global $wpdb;
    $ids = $wpdb->get_col("SELECT ID FROM {$wpdb->posts} WHERE post_title LIKE 'wp403 lab draft%' OR post_title LIKE 'wp403-lab-upload%'");
    foreach ($ids as $id) {
        if (get_post_type($id) === 'attachment') { wp_delete_attachment((int) $id, true); }
        else { wp_delete_post((int) $id, true); }
    }
    echo count($ids), "\n";
    break;
case 'options':
    global $wpdb;
    echo (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like($argv[2] ?? 'x') . '%')), "\n";
    break;
default:
    fwrite(STDERR, "unknown command\n"); exit(2);
}
