package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestDemoBadFlags(t *testing.T) {
	err := runDemo(context.Background(), []string{"--nope"}, envOf(nil), strings.NewReader(""), io.Discard, io.Discard)
	if exitCode(err) != 2 {
		t.Errorf("got %v (exit %d), want a usage error", err, exitCode(err))
	}
}
