<?php
/**
 * Plugin Name: Quoted block sentences (wp403 lab)
 * Description: The theme prints, on every page (front page, posts, its 404), a footer that quotes
 * vendors' block-page sentences, as a blog post about CDNs or a security widget would. These are
 * content: nothing is refused.
 */
if (!defined('ABSPATH')) { exit; }

add_action('wp_footer', function () {
    echo '<aside class="wp403-lab-quotes"><h2>Seen elsewhere</h2>',
        '<blockquote>Sorry, you have been blocked. You are unable to access this site.</blockquote>',
        '<blockquote>Your access to this site has been limited by the site owner.</blockquote>',
        '<blockquote>Request forbidden by administrative rules.</blockquote>',
        '</aside>';
});
