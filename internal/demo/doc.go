// Package demo owns the captures embedded in the binary: real responses
// recorded from the lab's scenarios (lab/capture), which 'wp403 demo'
// replays through the whole diagnosis so a newcomer sees a real report
// without a site, and which tests replay as real-stack evidence.
package demo
