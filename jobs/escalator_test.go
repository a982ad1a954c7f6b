package jobs

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestEscalatorSteps walks one emergency through its steps on the
// embedded store and checks each step's pages, stop and final alert.
func TestEscalatorSteps(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) // 3 a.m.: pages ignore quiet hours
	cases := []struct {
		name   string
		policy legal.OnCallPolicy
		change func(r *legal.Request) // applied before the second tick, nil for none
		want   []string               // per tick: "" nothing, "page:U1" a level, "final" @here
	}{
		{"two levels two rounds", legal.OnCallPolicy{Levels: [][]string{{"U0A"}, {"S0GRP"}}}, nil,
			[]string{"page:U0A", "page:S0GRP", "page:U0A", "page:S0GRP", "final", ""}},
		{"nobody on call", legal.OnCallPolicy{}, nil, []string{"final", ""}},
		{"acked", legal.OnCallPolicy{Levels: [][]string{{"U0A"}, {"U0B"}}},
			func(r *legal.Request) { r.AckedBy, r.AckedAt = "U0A", t0 }, []string{"page:U0A", ""}},
		{"closed", legal.OnCallPolicy{Levels: [][]string{{"U0A"}, {"U0B"}}},
			func(r *legal.Request) { r.Status = legal.StatusClosed }, []string{"page:U0A", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			draft := legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true}}
			legal.StartPaging(&draft, t0)
			req, _, err := st.CreateRequest(ctx, store.Incoming{Raw: []byte("x"), ReceivedAt: t0, Request: draft})
			if err != nil {
				t.Fatal(err)
			}
			esc, err := NewEscalator(EscalatorConfig{Store: st, Policy: tc.policy, Delay: 5 * time.Minute, Rounds: 2, PagerDuty: true})
			if err != nil {
				t.Fatal(err)
			}
			now := t0
			for i, want := range tc.want {
				if i == 1 && tc.change != nil {
					r, _ := st.GetRequest(ctx, req.ID)
					tc.change(r)
					if err := st.UpdateRequest(ctx, r, store.AuditEntry{}); err != nil {
						t.Fatal(err)
					}
				}
				if err := esc.Tick(ctx, now); err != nil {
					t.Fatal(err)
				}
				if got := stepOf(t, st, now); got != want {
					t.Fatalf("tick %d: got %q, want %q", i, got, want)
				}
				if err := esc.Tick(ctx, now); err != nil || stepOf(t, st, now) != "" {
					t.Fatalf("tick %d again at the same instant: paged twice (%v)", i, err)
				}
				now = now.Add(5 * time.Minute)
			}
		})
	}
}

// stepOf drains the outbox items due at now and names the step they are.
func stepOf(t *testing.T, st store.Store, now time.Time) string {
	t.Helper()
	items, err := st.Claim(context.Background(), now, time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, it := range items {
		st.Ack(context.Background(), it.ID)
		if it.Kind != bot.KindPageThread {
			continue
		}
		var p bot.PagePayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			t.Fatal(err)
		}
		if p.Page.Final {
			got = "final"
		} else {
			got = "page:" + p.Page.Targets[0]
		}
	}
	return got
}
