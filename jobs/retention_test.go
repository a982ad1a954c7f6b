package jobs

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestRetention runs the retention job on a real store with the clock
// moved: a request closed longer ago than the window loses its raw
// message and identifiers and gains an audit entry; a recently closed
// one and an open one are untouched; a second run changes nothing; and
// RETENTION_DAYS=0 deletes nothing.
func TestRetention(t *testing.T) {
	for _, backend := range []string{"redis", "bolt"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, backend)
			facts := func(r *legal.Request) {
				r.Facts.Identifiers = []string{"+14155550100", "target@example.com"}
				r.Facts.Agent = legal.Agent{Name: "Det. Kim", Email: "kim@pd.gov", Phone: "+14155550199"}
				r.From, r.ReplyTo, r.Subject = "Det. Kim <kim@pd.gov>", "kim@pd.gov", "Records for 555-0100"
			}
			old, recent, open := e.create(facts), e.create(facts), e.create(facts)
			e.update(old.ID, func(r *legal.Request) { r.Status, r.ClosedAt = legal.StatusClosed, at(2026, 3, 3, 10, 0) })
			e.update(recent.ID, func(r *legal.Request) {
				r.Status, r.RespondedAt = legal.StatusResponded, at(2026, 5, 20, 10, 0)
			})
			now := at(2026, 6, 10, 3, 0) // 99 days after old closed, 21 after recent responded
			e.clock.Set(now)

			keepAll, err := NewRetention(e.store, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := keepAll.Run(ctx, now, false); err != nil || len(got) != 0 {
				t.Fatalf("RETENTION_DAYS=0: got %v, %v, want nothing", got, err)
			}
			ret, err := NewRetention(e.store, 90, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := ret.Run(ctx, now, true); err != nil || !slices.Equal(got, []string{old.ID}) {
				t.Fatalf("dry run: got %v, %v, want [%s]", got, err, old.ID)
			}
			before := map[string]*legal.Request{}
			for _, r := range []*legal.Request{old, recent, open} {
				before[r.ID] = e.get(r.ID)
				if _, err := e.store.RawMessage(ctx, r.ID); err != nil {
					t.Fatalf("after a dry run or with 0 days, raw of %s: %v", r.ID, err)
				}
			}
			if got, err := ret.Run(ctx, now, false); err != nil || !slices.Equal(got, []string{old.ID}) {
				t.Fatalf("run: got %v, %v, want [%s]", got, err, old.ID)
			}
			e.drain() // the card update renders the redacted request

			if _, err := e.store.RawMessage(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("raw of purged request: got %v, want ErrNotFound", err)
			}
			p := e.get(old.ID)
			if len(p.Facts.Identifiers) != 0 || p.Facts.Agent.Email != "" || p.Facts.Agent.Phone != "" || p.From != "" || p.ReplyTo != "" || p.Subject != "" {
				t.Errorf("purged: got %+v from %q reply-to %q subject %q, want no identifiers, agent e-mail or phone, sender or subject", p.Facts, p.From, p.ReplyTo, p.Subject)
			}
			if !p.Purged.Equal(now) || p.Status != legal.StatusClosed || !p.ReceivedAt.Equal(old.ReceivedAt) ||
				!p.ClosedAt.Equal(at(2026, 3, 3, 10, 0)) || p.Facts.Agent.Name != "Det. Kim" || !slices.Equal(p.Facts.Kinds, old.Facts.Kinds) {
				t.Errorf("purged request: got %+v, want id, kinds, status and dates kept and Purged set", p)
			}
			for _, res := range legal.Evaluate(p.Facts, p.Decisions) {
				if res.Item == legal.ItemAccountIdentifier || res.Item == legal.ItemAgentContact {
					if res.Outcome != legal.Passed {
						t.Errorf("checklist %s after purge: got %s, want the automatic result (passed) kept", res.Item, res.Outcome)
					}
				}
			}
			audit, err := e.store.Audit(ctx, old.ID)
			if err != nil || len(audit) == 0 {
				t.Fatalf("audit: %v, %v", audit, err)
			}
			last := audit[len(audit)-1]
			if last.Actor != "lebot" || last.Action != "retention" || last.Note != "raw message and identifiers deleted after 90 days" {
				t.Errorf("audit entry: got %+v", last)
			}
			if audit[0].Action != "created" {
				t.Errorf("audit trail: got %+v, want the earlier entries kept", audit)
			}
			if n, err := e.store.CountRange(ctx, store.IndexClosed, time.Unix(0, 0), now); err != nil || n != 1 {
				t.Errorf("closed index after purge: got %d, %v, want only the recent one", n, err)
			}

			for _, r := range []*legal.Request{recent, open} {
				got := e.get(r.ID)
				if got.Version != before[r.ID].Version || !got.Purged.IsZero() || len(got.Facts.Identifiers) != 2 {
					t.Errorf("%s: got %+v, want it untouched", r.ID, got)
				}
				if _, err := e.store.RawMessage(ctx, r.ID); err != nil {
					t.Errorf("%s raw: got %v, want kept", r.ID, err)
				}
			}

			version := p.Version
			if got, err := ret.Run(ctx, now.AddDate(0, 0, 1), false); err != nil || len(got) != 0 {
				t.Errorf("second run: got %v, %v, want nothing", got, err)
			}
			if again := e.get(old.ID); again.Version != version {
				t.Errorf("second run: version %d, want %d (unchanged)", again.Version, version)
			}
			if a, _ := e.store.Audit(ctx, old.ID); len(a) != len(audit) {
				t.Errorf("second run: audit has %d entries, want %d", len(a), len(audit))
			}
		})
	}
}

// TestRetentionSkipsReopened: a request reopened after the cut-off was
// read is not purged, and one closed again recently is within the window.
func TestRetentionSkipsReopened(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "bolt")
	r := e.create(func(r *legal.Request) { r.Facts.Identifiers = []string{"+14155550100"} })
	e.update(r.ID, func(r *legal.Request) { r.Status, r.ClosedAt = legal.StatusClosed, at(2026, 3, 3, 10, 0) })
	e.update(r.ID, func(r *legal.Request) { r.Status = legal.StatusInReview })
	ret, err := NewRetention(e.store, 30, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := at(2026, 6, 10, 3, 0)
	if got, err := ret.Run(ctx, now, false); err != nil || len(got) != 0 {
		t.Errorf("reopened: got %v, %v, want nothing", got, err)
	}
	e.update(r.ID, func(r *legal.Request) { r.Status, r.ClosedAt = legal.StatusClosed, at(2026, 6, 1, 10, 0) })
	if got, err := ret.Run(ctx, now, false); err != nil || len(got) != 0 {
		t.Errorf("closed again 9 days ago: got %v, %v, want nothing", got, err)
	}
	if _, err := e.store.RawMessage(ctx, r.ID); err != nil {
		t.Errorf("raw: got %v, want kept", err)
	}
}

// TestRetentionPages purges more requests than one page, some closed at
// the same instant.
func TestRetentionPages(t *testing.T) {
	t.Parallel() // hundreds of requests on its own embedded store
	ctx := context.Background()
	e := newEnv(t, "bolt")
	n := retentionPage + 30
	for i := range n {
		// Cards play no part here: posting 130 of them (a few fsynced
		// commits each) was most of this test's time.
		id := e.add(nil)
		closed := at(2026, 3, 3, 10, 0).Add(time.Duration(i/50) * time.Minute)
		e.update(id, func(r *legal.Request) { r.Status, r.ClosedAt = legal.StatusRejected, closed })
	}
	ret, err := NewRetention(e.store, 30, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := at(2026, 6, 10, 3, 0)
	if got, err := ret.Run(ctx, now, true); err != nil || len(got) != n {
		t.Errorf("dry run: got %d, %v, want %d", len(got), err, n)
	}
	if got, err := ret.Run(ctx, now, false); err != nil || len(got) != n {
		t.Errorf("run: got %d, %v, want %d", len(got), err, n)
	}
	if got, err := ret.Run(ctx, now, false); err != nil || len(got) != 0 {
		t.Errorf("second run: got %d, %v, want 0", len(got), err)
	}
}
