// Command wp403 finds which layer refused a WordPress REST API request,
// why, and the narrowest fix. See the README and `wp403 --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/wp403/wp403/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, cli.OSEnv(), os.Stdin, os.Stdout, os.Stderr, os.Args[1:])
	stop()
	os.Exit(code)
}
