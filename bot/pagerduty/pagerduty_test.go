package pagerduty

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/fakepagerduty"
)

const testRoutingKey = "R0123456789abcdef0123456789abcde"

func TestPagerDutySend(t *testing.T) {
	trigger := Event{EventAction: "trigger", DedupKey: "LE-2026-0001",
		Payload: &Payload{Summary: "s", Source: "lebot", Severity: "critical"}}
	cases := []struct {
		name      string
		fault     func(*fakepagerduty.Server)
		ev        Event
		ok        bool
		permanent bool
		after     time.Duration // RetryAfter delay, 0 when none
	}{
		{"accepted", nil, trigger, true, false, 0},
		{"invalid", nil, Event{EventAction: "trigger", DedupKey: "x"}, false, true, 0},
		{"bad request", func(s *fakepagerduty.Server) { s.Fail(1, 400) }, trigger, false, true, 0},
		{"rate limited", func(s *fakepagerduty.Server) { s.Fail(1, 429) }, trigger, false, false, 30 * time.Second},
		{"server error", func(s *fakepagerduty.Server) { s.Fail(1, 502) }, trigger, false, false, 0},
		{"dropped", func(s *fakepagerduty.Server) { s.Drop(1) }, trigger, false, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakepagerduty.New(t)
			if tc.fault != nil {
				tc.fault(srv)
			}
			pd, err := New(Config{RoutingKey: testRoutingKey, URL: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			err = pd.Send(context.Background(), tc.ev)
			if (err == nil) != tc.ok {
				t.Fatalf("error: got %v, want ok=%v", err, tc.ok)
			}
			if got := outbox.IsPermanent(err); got != tc.permanent {
				t.Errorf("permanent: got %v, want %v (%v)", got, tc.permanent, err)
			}
			if after, got := outbox.RetryDelay(err); got != (tc.after > 0) || (got && after != tc.after) {
				t.Errorf("retry after: got %v, want %v", err, tc.after)
			}
			var pe *Error
			if err != nil && !errors.As(err, &pe) {
				t.Errorf("error %v is not a *Error", err)
			}
		})
	}
}

func TestFakePagerDutyState(t *testing.T) {
	srv := fakepagerduty.New(t)
	pd, err := New(Config{RoutingKey: testRoutingKey, URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	steps := []struct {
		action string
		want   fakepagerduty.State
	}{
		{"trigger", fakepagerduty.Triggered},
		{"acknowledge", fakepagerduty.Acknowledged},
		{"trigger", fakepagerduty.Acknowledged}, // a trigger does not un-ack
		{"resolve", fakepagerduty.Resolved},
		{"trigger", fakepagerduty.Triggered}, // a new alert after a resolve
	}
	for i, s := range steps {
		ev := Event{EventAction: s.action, DedupKey: "LE-2026-0009"}
		if s.action == "trigger" {
			ev.Payload = &Payload{Summary: "s", Source: "lebot", Severity: "critical"}
		}
		if err := pd.Send(ctx, ev); err != nil {
			t.Fatalf("step %d %s: %v", i, s.action, err)
		}
		if got := srv.State(testRoutingKey, "LE-2026-0009"); got != s.want {
			t.Errorf("after step %d %s: got %q, want %q", i, s.action, got, s.want)
		}
	}
	if _, err := New(Config{RoutingKey: "short"}); err == nil {
		t.Error("a short routing key: got no error, want one")
	}
	_ = http.StatusOK
}
