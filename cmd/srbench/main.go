// Command srbench is the harness's command-line interface: it prepares datasets, runs
// experiments and renders reports.
//
// Run `srbench help` for the list of subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := newRootCommand().ExecuteContext(ctx)
	if err == nil {
		return
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "srbench: interrupted")
		os.Exit(130)
	}
	fmt.Fprintf(os.Stderr, "srbench: %v\n", err)
	os.Exit(1)
}
