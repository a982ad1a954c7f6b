// Command lebot is a Slack bot for a legal team: it takes in legal process
// by e-mail, checks it against the company's guidelines, posts it to the
// legal channel and keeps the team on its deadlines. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// main only wires the process to run: arguments, environment, output and
// a context cancelled by SIGINT or SIGTERM.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lebot:", err)
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for bad usage, 1 for any other failure.
func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}
