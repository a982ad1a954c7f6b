package main

import (
	"context"
	"errors"
	"io"
)

// These commands are wired as the packages they need land (store.Open,
// intake.Triage, the bot dispatcher); until then they say so.
var errNotWired = errors.New("not available in this build yet")

func runServe(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	if _, err := loadAndValidate(getenv, true); err != nil {
		return err
	}
	return errNotWired
}

func runTriage(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errNotWired
}

func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errNotWired
}

func runJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errNotWired
}
