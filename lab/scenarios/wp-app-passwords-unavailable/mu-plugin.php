<?php
/**
 * Plugin Name: Lab Hosting Tweaks (wp403 lab)
 * Description: Turns application passwords off, as hosting and security plugins offer to do.
 */
add_filter('wp_is_application_passwords_available', '__return_false');
