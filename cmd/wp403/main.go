// Command wp403 finds which layer refused a WordPress REST API request,
// why, and the narrowest fix. See the README and `wp403 --help`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/wp403/wp403/internal/cli"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal stops the run; cleanup of --write still
		// happens. A second one exits at once and says what may be left.
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, cli.AbortNote())
		os.Exit(cli.ExitInterrupted)
	}()
	code := cli.Run(ctx, cli.OSEnv(), os.Stdin, os.Stdout, os.Stderr, os.Args[1:])
	signal.Stop(sigs)
	cancel()
	os.Exit(code)
}
