// Package labtest gives an integration test the shared lab, with one
// policy for every package:
//   - WP403_LAB=0 or -short: the test skips;
//   - the lab is not up: it skips, or fails with WP403_LAB=1 (CI);
//   - any other problem with the lab: it fails.
//
// One lab serves the machine, so the test holds the lab lock until it ends.
package labtest
